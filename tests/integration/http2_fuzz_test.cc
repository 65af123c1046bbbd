// Hostile HTTP/2 on the daemon's socket (issue 12, point 10): a peer that gets the connection
// preface right and then sends frames that are well formed on the wire but hostile in what
// they say. Each phase below is one kind of abuse; while they run, a real run logs rows on a
// thread of its own. Afterwards the daemon must be the same process, the run must finish with
// every row in its log and in the store, and the daemon's resident memory must have come back
// under a bound after each phase. The figures (before, peak, after) are printed, and quoted in
// docs/performance.md.
#include <signal.h>
#include <unistd.h>

#include <wandb/wandb.h>
#include <atomic>
#include <catch2/catch.hpp>
#include <chrono>
#include <cstdio>
#include <functional>
#include <memory>
#include <random>
#include <thread>
#include <vector>

#include "service/store/local_store.h"
#include "tests/support/raw_http2.h"
#include "tests/support/rss_sampler.h"
#include "tests/support/test_env.h"

namespace wandb::testing {
namespace {

using namespace http2;  // NOLINT(google-build-using-namespace): the frame vocabulary

constexpr char kHello[] = "/wandb.service.WandbService/Hello";
constexpr char kPublish[] = "/wandb.service.WandbService/Publish";
constexpr uint32_t kMaxInt31 = 0x7fffffff;

// What the daemon may hold once a phase is over and its connections are closed. It idles at
// about 20 MB with one live run, and gRPC, the allocator's cached pages (jemalloc keeps freed
// pages for reuse) and the live run's own buffers add some tens of MB after a burst (the
// benchmark saw 64-86 MB). The failures were far above this: 300-415 MB kept after a
// few thousand junk connections, 1.7 GB kept after one 64 MB CONTINUATION flood. A phase
// whose frames the daemon kept (a header block, a stream per HEADERS frame, a queued reply per
// PING) would cross it at these volumes, while allocator noise stays well below it.
constexpr double kSettledBoundMb = 300;

// A live run that logs a row every millisecond or so until stopped; counts what it logged.
class BackgroundLogger {
 public:
  explicit BackgroundLogger(Run* run) : run_(run) {
    thread_ = std::thread([this] {
      while (!stop_.load()) {
        run_->log({{"i", rows_.load()}});
        ++rows_;
        std::this_thread::sleep_for(std::chrono::milliseconds(1));
      }
    });
  }
  ~BackgroundLogger() { Stop(); }
  int Stop() {
    stop_ = true;
    if (thread_.joinable()) thread_.join();
    return rows_.load();
  }

 private:
  Run* run_;
  std::atomic<bool> stop_{false};
  std::atomic<int> rows_{0};
  std::thread thread_;
};

int64_t StoredRows(const TestEnv& env, const std::string& id) {
  auto store = store::LocalStore::Open(env.store_dir());
  if (!store.ok()) return -1;
  auto run = (*store)->runs().Find(id);
  if (!run.ok()) return -1;
  auto history = (*store)->series().History(run->key);
  return history.ok() ? static_cast<int64_t>(history->size()) : -1;
}

// A connection that has sent the preface and an empty SETTINGS frame.
std::unique_ptr<Connection> Open(const std::string& socket) {
  auto connection = std::make_unique<Connection>(socket);
  if (connection->connected()) connection->SendPreface();
  return connection;
}

// --- the phases: each returns once its connections are closed -------------------------------

// One header block of `megabytes` MB: a gRPC call's headers, then one literal whose value
// runs over 16 KiB CONTINUATION frames, never ended; then a block of many small complete
// literals over thousands of small CONTINUATION frames.
void ContinuationFlood(const std::string& socket, int megabytes) {
  {
    auto c = Open(socket);
    const uint64_t total = static_cast<uint64_t>(megabytes) << 20;
    c->Send(Frame(kHeaders, 0, 1, GrpcCallHeaders(kHello) + HpackLiteralStart("x", total)));
    const std::string chunk(16 << 10, 'a');
    for (uint64_t sent = 0; sent < total && c->Send(Frame(kContinuation, 0, 1, chunk));) {
      sent += chunk.size();
    }
  }
  {
    auto c = Open(socket);
    c->Send(Frame(kHeaders, 0, 1, GrpcCallHeaders(kHello)));
    for (int i = 0; i < 8000; ++i) {
      const std::string field = HpackLiteral("h" + std::to_string(i), std::string(1000, 'v'));
      if (!c->Send(Frame(kContinuation, 0, 1, field))) break;
    }
  }
}

// SETTINGS at the edges of their ranges and beyond, many times over, on many connections.
void AbsurdSettings(const std::string& socket) {
  const std::string legal_extremes =
      Setting(kHeaderTableSize, 0xffffffff) + Setting(kEnablePush, 1) +
      Setting(kMaxConcurrentStreams, 0xffffffff) + Setting(kInitialWindowSize, kMaxInt31) +
      Setting(kMaxFrameSize, (1 << 24) - 1) + Setting(kMaxHeaderListSize, 0xffffffff) +
      Setting(0xffff, 0xffffffff);  // unknown: to be ignored
  const std::string illegal[] = {
      Setting(kInitialWindowSize, 0x80000000),  // FLOW_CONTROL_ERROR
      Setting(kMaxFrameSize, 0),                // PROTOCOL_ERROR
      Setting(kMaxFrameSize, 1 << 24),          // PROTOCOL_ERROR
      Setting(kEnablePush, 7),                  // PROTOCOL_ERROR
  };
  for (int i = 0; i < 200; ++i) {
    auto c = Open(socket);
    std::string bytes;
    for (int j = 0; j < 100; ++j) bytes += Frame(kSettings, 0, 0, legal_extremes);
    bytes += Frame(kSettings, kAck, 0, "");  // an ack of nothing
    bytes += Frame(kHeaders, kEndHeaders, 1, GrpcCallHeaders(kHello));
    bytes += Frame(kSettings, 0, 0, illegal[i % 4]);
    c->Send(bytes);
  }
}

// Thousands of calls opened (HEADERS without END_STREAM) and never completed, the
// connections held open while the peak is sampled. Some are Publish calls, whose handler
// waits on a thread of the daemon's for the stream's first message.
void OpenStreams(const std::string& socket) {
  std::vector<std::unique_ptr<Connection>> held;
  for (int c = 0; c < 8; ++c) {
    auto connection = Open(socket);
    const char* path = c == 0 ? kPublish : kHello;
    std::string bytes;
    for (uint32_t s = 0; s < 2000; ++s) {
      bytes += Frame(kHeaders, kEndHeaders, 2 * s + 1, GrpcCallHeaders(path));
    }
    connection->Send(bytes);
    held.push_back(std::move(connection));
  }
  std::this_thread::sleep_for(std::chrono::seconds(1));
}

// DATA where no stream can take it: on the connection (stream 0), on a stream never opened,
// on one the client reset, on a server-initiated (even) id.
void DataOnDeadStreams(const std::string& socket) {
  const std::string payload(16 << 10, 'd');
  std::string reset;
  reset.append("\0\0\0\x08", 4);  // RST_STREAM, CANCEL
  for (int i = 0; i < 200; ++i) {
    auto c = Open(socket);
    std::string bytes;
    switch (i % 4) {
      case 0:
        bytes = Frame(kData, 0, 0, payload);
        break;
      case 1:
        for (int j = 0; j < 20; ++j) bytes += Frame(kData, 0, 101 + 2 * j, payload);
        break;
      case 2:
        bytes = Frame(kHeaders, kEndHeaders, 1, GrpcCallHeaders(kHello)) +
                Frame(kRstStream, 0, 1, reset);
        for (int j = 0; j < 100; ++j) bytes += Frame(kData, 0, 1, payload);
        break;
      default:
        bytes = Frame(kData, kEndStream, 2, payload);
        break;
    }
    c->Send(bytes);
  }
}

// WINDOW_UPDATE of 0 (a protocol error) and of 2^31-1, twice (past the largest window).
void WindowUpdates(const std::string& socket) {
  for (int i = 0; i < 200; ++i) {
    auto c = Open(socket);
    std::string bytes = Frame(kHeaders, kEndHeaders, 1, GrpcCallHeaders(kHello));
    switch (i % 4) {
      case 0:
        bytes += WindowUpdate(0, 0);
        break;
      case 1:
        bytes += WindowUpdate(1, 0);
        break;
      case 2:
        bytes += WindowUpdate(0, kMaxInt31) + WindowUpdate(0, kMaxInt31);
        break;
      default:
        bytes += WindowUpdate(1, kMaxInt31) + WindowUpdate(1, kMaxInt31);
        break;
    }
    c->Send(bytes);
  }
}

// PINGs as fast as the socket takes them, each of which asks for an ack.
void PingFlood(const std::string& socket) {
  for (int c = 0; c < 4; ++c) {
    auto connection = Open(socket);
    std::string burst;
    for (uint64_t i = 0; i < 1000; ++i) burst += Ping(i);
    for (int i = 0; i < 100 && connection->Send(burst); ++i) {
    }
  }
}

// Frame headers announcing more than the daemon's maximum frame size (16 KiB unless it says
// more), followed by that many bytes for as long as the daemon reads them; and control frames
// of the wrong length.
void OversizedFrames(const std::string& socket) {
  const uint8_t types[] = {kData, kHeaders, kContinuation, kSettings, kPing, 0xfa};
  const std::string megabyte(1 << 20, 'o');
  for (int i = 0; i < 60; ++i) {
    auto c = Open(socket);
    const uint8_t type = types[i % 6];
    c->Send(FrameHeader((1 << 24) - 1, type, 0, type == kSettings || type == kPing ? 0 : 1));
    for (int j = 0; j < 16 && c->Send(megabyte); ++j) {
    }
  }
  for (int i = 0; i < 60; ++i) {
    auto c = Open(socket);
    c->Send(i % 2 == 0 ? Frame(kSettings, 0, 0, std::string(7, 's'))
                       : Frame(kPing, 0, 0, std::string(9, 'p')));
  }
}

// Frames of random types (the ten defined and unknown ones), flags, stream ids and payloads
// from a seeded generator, after a valid start on half of the connections.
void RandomFrames(const std::string& socket) {
  std::mt19937 rng(20261212);
  for (int i = 0; i < 500; ++i) {
    auto c = Open(socket);
    std::string bytes;
    if (i % 2 == 0) bytes = Frame(kHeaders, kEndHeaders, 1, GrpcCallHeaders(kHello));
    for (int f = 0; f < 200; ++f) {
      const uint8_t type = static_cast<uint8_t>(rng() % 16);
      const uint8_t flags = static_cast<uint8_t>(rng());
      uint32_t stream = 0;
      switch (rng() % 3) {
        case 0:
          break;
        case 1:
          stream = 1 + 2 * (rng() % 8);
          break;
        default:
          stream = rng() & kMaxInt31;
          break;
      }
      std::string payload(rng() % 1024, '\0');
      for (char& ch : payload) ch = static_cast<char>(rng());
      bytes += Frame(type, flags, stream, payload);
    }
    c->Send(bytes);
  }
}

struct Phase {
  const char* name;
  std::function<void(const std::string& socket)> attack;
};

}  // namespace

TEST_CASE("hostile HTTP/2 frames leave the daemon up with bounded memory and a live run whole") {
  TestEnv env;
  Run run = wandb::init({.project = "fuzz", .id = "http2fuzz"});
  run.log({{"i", -1}});
  run.summary().get();  // the daemon is up and has the run
  const std::vector<pid_t> daemons = env.DaemonPids();
  REQUIRE(daemons.size() == 1);
  const pid_t daemon = daemons[0];
  const std::string socket = env.socket_path();

  const Phase phases[] = {
      // 16 MB: gRPC 1.51 takes in a header block at about 1 MB/s (docs/performance.md).
      {"a 16 MB header block in 16 KiB CONTINUATIONs, then 8,000 of 1 KB fields",
       [](const std::string& s) { ContinuationFlood(s, 16); }},
      {"absurd SETTINGS, 200 connections x 100 frames", AbsurdSettings},
      {"8 connections x 2,000 calls opened, never completed", OpenStreams},
      {"DATA on closed, unknown and server streams, 200 connections", DataOnDeadStreams},
      {"WINDOW_UPDATE of 0 and 2^31-1 (twice), 200 connections", WindowUpdates},
      {"PING flood, 4 connections x 100,000", PingFlood},
      {"frames over the maximum frame size, and of wrong lengths", OversizedFrames},
      {"random frames from a seeded RNG, 500 connections x 200", RandomFrames},
  };
  int64_t logged = 0;
  {
    BackgroundLogger logger(&run);
    std::printf("wandb-service VmRSS (MB) under hostile HTTP/2: before / peak / after\n");
    for (const Phase& phase : phases) {
      INFO("phase: " << phase.name);
      const double before = RssMb(daemon);
      const auto start = std::chrono::steady_clock::now();
      double peak = 0;
      {
        RssSampler sampler(daemon);
        phase.attack(socket);
        // The daemon notices closed connections and drops their calls on its own threads.
        std::this_thread::sleep_for(std::chrono::seconds(1));
        peak = sampler.peak_mb();
      }
      const double after = RssMb(daemon);
      const auto took = std::chrono::steady_clock::now() - start;
      // The allocator gives freed pages back to the system over seconds (jemalloc's decay),
      // not at once: the bound is for the memory to come back under, not for one instant.
      // Under load (CI on 2 cores) the PING flood's ~1 GB took longer than 20 s to go back.
      const bool settled =
          Eventually([&] { return RssMb(daemon) < kSettledBoundMb; }, std::chrono::seconds(90));
      std::printf("  %-72s %6.1f / %6.1f / %6.1f MB (%.1f s)\n", phase.name, before, peak, after,
                  std::chrono::duration<double>(took).count());
      std::fflush(stdout);
      REQUIRE(env.DaemonPids() == daemons);  // alive, and the same daemon: no crash, no respawn
      CHECK(settled);
    }
    logged = logger.Stop();
  }
  run.finish();
  CHECK(env.DaemonPids() == daemons);
  INFO("rows logged during the fuzz: " << logged);
  CHECK(CountHistoryRows(env, "http2fuzz") == logged + 1);
  CHECK(StoredRows(env, "http2fuzz") == logged + 1);
  CHECK(RssMb(daemon) < kSettledBoundMb);
}

}  // namespace wandb::testing
