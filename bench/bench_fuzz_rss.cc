// The daemon's resident memory (VmRSS) before and after hostile HTTP/2 on its socket, while a
// run stays live, to show what one connection can cost it (issue 12, point 10):
//   junk:      N connections of random bytes, every fourth after the HTTP/2 preface;
//   streams:   connections that each open many calls (HEADERS) and never send a message;
//   flood:     one connection sending a header block of M MB as CONTINUATION frames.
// Then the live run logs again and finishes, which fails loudly if the daemon is gone.
//
//   bench_fuzz_rss [--connections N] [--flood-mb M]
#include <signal.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <random>
#include <string>
#include <thread>

#include <wandb/wandb.h>

#include "bench/bench_util.h"

namespace {

constexpr char kPreface[] = "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n";
constexpr uint8_t kHeaders = 1, kSettings = 4, kContinuation = 9;
constexpr uint8_t kEndHeaders = 4;

int Connect(const std::string& socket_path) {
  int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
  sockaddr_un addr{};
  addr.sun_family = AF_UNIX;
  std::snprintf(addr.sun_path, sizeof(addr.sun_path), "%s", socket_path.c_str());
  if (fd >= 0 && connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof(addr)) != 0) {
    close(fd);
    return -1;
  }
  return fd;
}

// Writes all of `bytes`; false once the daemon closed the connection.
bool Send(int fd, const std::string& bytes) {
  for (size_t at = 0; at < bytes.size();) {
    ssize_t n = send(fd, bytes.data() + at, bytes.size() - at, MSG_NOSIGNAL);
    if (n <= 0) return false;
    at += static_cast<size_t>(n);
  }
  return true;
}

std::string Frame(uint8_t type, uint8_t flags, uint32_t stream, const std::string& payload) {
  std::string f;
  size_t n = payload.size();
  f += {static_cast<char>(n >> 16),
        static_cast<char>(n >> 8),
        static_cast<char>(n),
        static_cast<char>(type),
        static_cast<char>(flags),
        static_cast<char>(stream >> 24),
        static_cast<char>(stream >> 16),
        static_cast<char>(stream >> 8),
        static_cast<char>(stream)};
  return f + payload;
}

// An HPACK integer with a 7-bit prefix (a string's length, no Huffman coding).
std::string HpackLength(uint64_t n) {
  std::string out;
  if (n < 127) return std::string(1, static_cast<char>(n));
  out.push_back(127);
  n -= 127;
  while (n >= 128) {
    out.push_back(static_cast<char>((n & 127) | 128));
    n >>= 7;
  }
  out.push_back(static_cast<char>(n));
  return out;
}

// A literal header field without indexing, new name.
std::string Literal(const std::string& name, const std::string& value) {
  return std::string(1, '\0') + HpackLength(name.size()) + name + HpackLength(value.size()) + value;
}

std::string CallHeaders() {
  return Literal(":method", "POST") + Literal(":scheme", "http") +
         Literal(":path", "/wandb.service.WandbService/Hello") +
         Literal(":authority", "localhost") + Literal("content-type", "application/grpc") +
         Literal("te", "trailers");
}

double RssMb(pid_t pid) { return static_cast<double>(bench::StatusKb(pid, "VmRSS")) / 1024; }

void Junk(const std::string& socket, int connections) {
  std::mt19937 rng(1234);
  for (int i = 0; i < connections; ++i) {
    int fd = Connect(socket);
    if (fd < 0) continue;
    std::string junk(1 + rng() % 8192, '\0');
    for (char& c : junk) c = static_cast<char>(rng());
    if (i % 4 == 0) junk = kPreface + Frame(kSettings, 0, 0, "") + junk;
    Send(fd, junk);
    close(fd);
  }
}

void ManyStreams(const std::string& socket, int connections, int streams) {
  for (int c = 0; c < connections; ++c) {
    int fd = Connect(socket);
    if (fd < 0) continue;
    std::string bytes = std::string(kPreface) + Frame(kSettings, 0, 0, "");
    for (int s = 0; s < streams; ++s) {
      bytes += Frame(kHeaders, kEndHeaders, static_cast<uint32_t>(2 * s + 1), CallHeaders());
    }
    Send(fd, bytes);
    close(fd);
  }
}

void Flood(const std::string& socket, int64_t megabytes) {
  int fd = Connect(socket);
  if (fd < 0) return;
  uint64_t total = static_cast<uint64_t>(megabytes) << 20;
  std::string start = std::string(1, '\0') + HpackLength(1) + "x" + HpackLength(total);
  bool open = Send(fd, std::string(kPreface) + Frame(kSettings, 0, 0, "") +
                           Frame(kHeaders, 0, 1, CallHeaders() + start));
  std::string chunk(16 << 10, 'a');
  for (uint64_t sent = 0; open && sent < total; sent += chunk.size()) {
    open = Send(fd, Frame(kContinuation, 0, 1, chunk));
  }
  close(fd);
}

}  // namespace

int main(int argc, char** argv) {
  int connections = 2000;
  int64_t flood_mb = 64;
  for (int i = 1; i < argc; ++i) {
    if (std::strcmp(argv[i], "--connections") == 0 && i + 1 < argc)
      connections = std::atoi(argv[++i]);
    if (std::strcmp(argv[i], "--flood-mb") == 0 && i + 1 < argc) flood_mb = std::atoll(argv[++i]);
  }
  bench::BenchEnv env;
  env.NewServiceDir();
  wandb::Run run = wandb::init({.project = "bench", .name = "fuzz-rss"});
  run.log({{"before", 1}});
  run.summary().get();
  pid_t daemon = env.daemon_pid();
  std::string socket = env.service_dir() + "/service.sock";
  std::printf("wandb-service VmRSS under hostile HTTP/2 (a run live throughout)\n");
  double start = RssMb(daemon);
  std::printf("  at start:                                  %.1f MB\n", start);
  Junk(socket, connections);
  double junk = RssMb(daemon);
  std::printf("  after %d junk connections:               %.1f MB\n", connections, junk);
  ManyStreams(socket, connections / 10, 1000);
  double streams = RssMb(daemon);
  std::printf("  after %d connections x 1000 calls opened:  %.1f MB\n", connections / 10, streams);
  Flood(socket, flood_mb);
  double flood = RssMb(daemon);
  std::printf("  after a %lld MB CONTINUATION flood:         %.1f MB\n",
              static_cast<long long>(flood_mb), flood);
  std::this_thread::sleep_for(std::chrono::seconds(5));
  double settled = RssMb(daemon);
  std::printf("  5 s later:                                  %.1f MB\n", settled);
  run.log({{"after", 2}});
  run.finish();  // throws nothing, but warns if the daemon is gone
  bool alive = kill(daemon, 0) == 0;
  std::printf("  daemon %s\n", alive ? "alive, run finished" : "GONE");
  bench::Result("fuzz_rss_start_mb", start, "MB");
  bench::Result("fuzz_rss_after_junk_mb", junk, "MB");
  bench::Result("fuzz_rss_after_streams_mb", streams, "MB");
  bench::Result("fuzz_rss_after_flood_mb", flood, "MB");
  bench::Result("fuzz_rss_settled_mb", settled, "MB");
  return alive ? 0 : 1;
}
