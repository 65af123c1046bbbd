// Raw HTTP/2 written by hand, for tests that play a hostile peer on the daemon's socket: frames
// that are well formed on the wire (RFC 9113 section 4.1: a 9-byte header, then the payload)
// whatever nonsense they carry, and HPACK literal header fields (RFC 7541 section 6.2.2), which
// are enough to open a gRPC call. Nothing here checks what it writes: that is the point.
#ifndef WANDB_TESTS_SUPPORT_RAW_HTTP2_H_
#define WANDB_TESTS_SUPPORT_RAW_HTTP2_H_

#include <atomic>
#include <cstdint>
#include <string>
#include <thread>

namespace wandb::testing::http2 {

inline constexpr char kPreface[] = "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n";

enum FrameType : uint8_t {
  kData = 0,
  kHeaders = 1,
  kPriority = 2,
  kRstStream = 3,
  kSettings = 4,
  kPushPromise = 5,
  kPing = 6,
  kGoAway = 7,
  kWindowUpdate = 8,
  kContinuation = 9,
};

inline constexpr uint8_t kEndStream = 0x1;  // DATA, HEADERS
inline constexpr uint8_t kAck = 0x1;        // SETTINGS, PING
inline constexpr uint8_t kEndHeaders = 0x4;

// SETTINGS parameters (RFC 9113 section 6.5.2).
enum SettingId : uint16_t {
  kHeaderTableSize = 1,
  kEnablePush = 2,
  kMaxConcurrentStreams = 3,
  kInitialWindowSize = 4,
  kMaxFrameSize = 5,
  kMaxHeaderListSize = 6,
};

// A frame header announcing `length` payload bytes, whether or not that many follow.
std::string FrameHeader(uint32_t length, uint8_t type, uint8_t flags, uint32_t stream);
// A whole frame: its header, then `payload`.
std::string Frame(uint8_t type, uint8_t flags, uint32_t stream, const std::string& payload);

// One SETTINGS parameter (6 bytes), to concatenate into a SETTINGS payload.
std::string Setting(uint16_t id, uint32_t value);
std::string WindowUpdate(uint32_t stream, uint32_t increment);
std::string Ping(uint64_t opaque);

// An HPACK integer whose first byte holds `prefix_bits` bits after `first_byte_flags`.
std::string HpackInteger(uint64_t value, int prefix_bits, uint8_t first_byte_flags = 0);
// A literal header field without indexing, with a new name; no Huffman coding.
std::string HpackLiteral(const std::string& name, const std::string& value);
// The start of such a field whose value is `value_length` bytes long, the value not included:
// what a header block split over CONTINUATION frames begins with.
std::string HpackLiteralStart(const std::string& name, uint64_t value_length);
// The request headers of a gRPC call to `path` (e.g. "/wandb.service.WandbService/Hello").
std::string GrpcCallHeaders(const std::string& path);

// One connection to a Unix socket. A thread reads and drops what the peer sends (SETTINGS
// acks, PING acks, GOAWAY), so the peer never waits on us to read. Closed on destruction.
class Connection {
 public:
  explicit Connection(const std::string& socket_path);
  ~Connection();
  Connection(const Connection&) = delete;
  Connection& operator=(const Connection&) = delete;

  bool connected() const { return fd_ >= 0; }
  // Writes all of `bytes`; false once the peer has closed the connection (or stopped reading
  // for several seconds).
  bool Send(const std::string& bytes);
  // The client connection preface and an empty SETTINGS frame.
  bool SendPreface();
  // Whether the peer has closed its side (the reader saw the end of the stream).
  bool closed_by_peer() const { return peer_closed_.load(); }
  uint64_t bytes_received() const { return received_.load(); }

 private:
  void Drain();

  int fd_ = -1;
  std::atomic<bool> peer_closed_{false};
  std::atomic<uint64_t> received_{0};
  std::thread reader_;
};

}  // namespace wandb::testing::http2

#endif  // WANDB_TESTS_SUPPORT_RAW_HTTP2_H_
