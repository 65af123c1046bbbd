#include "tests/support/raw_http2.h"

#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <cstdio>

namespace wandb::testing::http2 {
namespace {

// How long a write may wait for the peer to read before the peer counts as gone: a daemon
// that stopped reading one connection is a finding of its own, not a reason to hang a test.
constexpr int kSendTimeoutSeconds = 10;

void PutBigEndian(std::string* out, uint64_t value, int bytes) {
  for (int shift = 8 * (bytes - 1); shift >= 0; shift -= 8) {
    out->push_back(static_cast<char>((value >> shift) & 0xff));
  }
}

}  // namespace

std::string FrameHeader(uint32_t length, uint8_t type, uint8_t flags, uint32_t stream) {
  std::string header;
  PutBigEndian(&header, length & 0xffffff, 3);
  header.push_back(static_cast<char>(type));
  header.push_back(static_cast<char>(flags));
  PutBigEndian(&header, stream & 0x7fffffff, 4);  // the reserved bit stays clear
  return header;
}

std::string Frame(uint8_t type, uint8_t flags, uint32_t stream, const std::string& payload) {
  return FrameHeader(static_cast<uint32_t>(payload.size()), type, flags, stream) + payload;
}

std::string Setting(uint16_t id, uint32_t value) {
  std::string out;
  PutBigEndian(&out, id, 2);
  PutBigEndian(&out, value, 4);
  return out;
}

std::string WindowUpdate(uint32_t stream, uint32_t increment) {
  std::string payload;
  PutBigEndian(&payload, increment & 0x7fffffff, 4);
  return Frame(kWindowUpdate, 0, stream, payload);
}

std::string Ping(uint64_t opaque) {
  std::string payload;
  PutBigEndian(&payload, opaque, 8);
  return Frame(kPing, 0, 0, payload);
}

std::string HpackInteger(uint64_t value, int prefix_bits, uint8_t first_byte_flags) {
  const uint64_t max_prefix = (uint64_t{1} << prefix_bits) - 1;
  std::string out;
  if (value < max_prefix) {
    out.push_back(static_cast<char>(first_byte_flags | value));
    return out;
  }
  out.push_back(static_cast<char>(first_byte_flags | max_prefix));
  value -= max_prefix;
  while (value >= 128) {
    out.push_back(static_cast<char>((value & 127) | 128));
    value >>= 7;
  }
  out.push_back(static_cast<char>(value));
  return out;
}

std::string HpackLiteralStart(const std::string& name, uint64_t value_length) {
  // 0000 0000: literal without indexing, new name; then name and value, each a 7-bit-prefix
  // length whose top bit (Huffman) is clear.
  return std::string(1, '\0') + HpackInteger(name.size(), 7) + name + HpackInteger(value_length, 7);
}

std::string HpackLiteral(const std::string& name, const std::string& value) {
  return HpackLiteralStart(name, value.size()) + value;
}

std::string GrpcCallHeaders(const std::string& path) {
  return HpackLiteral(":method", "POST") + HpackLiteral(":scheme", "http") +
         HpackLiteral(":path", path) + HpackLiteral(":authority", "localhost") +
         HpackLiteral("content-type", "application/grpc") + HpackLiteral("te", "trailers");
}

Connection::Connection(const std::string& socket_path) {
  int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd < 0) return;
  sockaddr_un addr{};
  addr.sun_family = AF_UNIX;
  std::snprintf(addr.sun_path, sizeof(addr.sun_path), "%s", socket_path.c_str());
  if (connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof(addr)) != 0) {
    close(fd);
    return;
  }
  timeval timeout{.tv_sec = kSendTimeoutSeconds, .tv_usec = 0};
  setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &timeout, sizeof(timeout));
  fd_ = fd;
  reader_ = std::thread([this] { Drain(); });
}

Connection::~Connection() {
  if (fd_ < 0) return;
  shutdown(fd_, SHUT_RDWR);  // ends the reader's recv()
  reader_.join();
  close(fd_);
}

void Connection::Drain() {
  char buffer[16 * 1024];
  while (true) {
    ssize_t n = recv(fd_, buffer, sizeof(buffer), 0);
    if (n <= 0) break;
    received_ += static_cast<uint64_t>(n);
  }
  peer_closed_ = true;
}

bool Connection::Send(const std::string& bytes) {
  if (fd_ < 0) return false;
  for (size_t at = 0; at < bytes.size();) {
    ssize_t n = send(fd_, bytes.data() + at, bytes.size() - at, MSG_NOSIGNAL);
    if (n <= 0) return false;
    at += static_cast<size_t>(n);
  }
  return true;
}

bool Connection::SendPreface() { return Send(std::string(kPreface) + Frame(kSettings, 0, 0, "")); }

}  // namespace wandb::testing::http2
