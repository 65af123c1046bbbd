// Online mode (issue 15) against the fake W&B server of the tests, over real TCP on
// 127.0.0.1: what the upload lane costs and how it batches, not what a real network does.
//
//   streamed:  N rows of 10 scalars logged in a tight loop, then finish(); rows per second
//              from the first log() until finish() returns with the server holding every
//              row and the final request (end to end: client, daemon, log, HTTP, server).
//   paced:     1,000 rows/s for --seconds; file_stream requests per minute (wandb 0.12
//              posts at most every 2 s in a run's first minute, so about 30).
//   outage:    with --outage S, the server answers 503 to everything for S seconds while a
//              run logs 1,000 rows/s: the daemon's resident memory meanwhile (the log is the
//              buffer, so it should stay flat), then the time from the server's return until
//              it holds every row (wandb's backoff, 2 s doubling to 5 minutes, decides most).
//
//   bench_online [--rows N] [--seconds S] [--outage S]
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <thread>

#include <wandb/wandb.h>

#include "bench/bench_util.h"
#include "bench/rows.h"
#include "tests/support/fake_wandb_server.h"

namespace {

using wandb::testing::FakeWandbServer;

wandb::Settings Online(const FakeWandbServer& server, const std::string& id) {
  return {.project = "bench-online",
          .id = id,
          .mode = wandb::Mode::kOnline,
          .base_url = server.base_url(),
          .api_key = std::string(FakeWandbServer::kApiKey)};
}

size_t RowsOnServer(const FakeWandbServer& server, const std::string& id) {
  std::optional<FakeWandbServer::RunState> run = server.Run(id);
  if (!run.has_value()) return 0;
  auto it = run->files.find("wandb-history.jsonl");
  return it == run->files.end() ? 0 : it->second.size();
}

// Waits up to `limit` for `done`; false if it never held.
template <typename Done>
bool WaitFor(Done done, std::chrono::seconds limit) {
  auto until = std::chrono::steady_clock::now() + limit;
  while (!done()) {
    if (std::chrono::steady_clock::now() > until) return false;
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  return true;
}

void Outage(const bench::BenchEnv& env, FakeWandbServer& server, int seconds) {
  wandb::Run run = wandb::init(Online(server, "outage"));
  run.log(bench::Row(0));
  if (!WaitFor([&] { return RowsOnServer(server, "outage") == 1; }, std::chrono::seconds(60))) {
    std::printf("outage: the run never reached the server\n");
    return;
  }
  const pid_t daemon = env.daemon_pid();
  const long rss_before = bench::StatusKb(daemon, "VmRSS");
  long rss_peak = rss_before;
  server.SetDown(true);
  auto start = std::chrono::steady_clock::now();
  int64_t logged = 1;
  for (; logged <= int64_t{1000} * seconds; ++logged) {
    run.log(bench::Row(logged));
    if (logged % 1000 == 0) rss_peak = std::max(rss_peak, bench::StatusKb(daemon, "VmRSS"));
    std::this_thread::sleep_until(start + std::chrono::microseconds(1000 * logged));
  }
  const long rss_end = bench::StatusKb(daemon, "VmRSS");
  server.SetDown(false);
  int64_t up = bench::NowNs();
  bool caught_up =
      WaitFor([&] { return RowsOnServer(server, "outage") == static_cast<size_t>(logged); },
              std::chrono::seconds(900));
  double catch_up_s = static_cast<double>(bench::NowNs() - up) / 1e9;
  run.finish();
  std::printf(
      "outage: %d s down while logging 1,000 rows/s: daemon RSS %.1f MB before, %.1f MB at "
      "most, %.1f MB at the end; %lld rows on the server %.1f s after its return%s\n",
      seconds, rss_before / 1024.0, rss_peak / 1024.0, rss_end / 1024.0,
      static_cast<long long>(logged), catch_up_s, caught_up ? "" : " (NOT caught up: gave up)");
  bench::Result("online_outage_daemon_rss_growth_mb", (rss_peak - rss_before) / 1024.0, "MB");
  bench::Result("online_outage_catch_up_s", catch_up_s, "s");
}

}  // namespace

int main(int argc, char** argv) {
  int64_t rows = 100'000;
  int seconds = 30;
  int outage = 0;
  for (int i = 1; i + 1 < argc; i += 2) {
    if (std::strcmp(argv[i], "--rows") == 0) rows = std::atoll(argv[i + 1]);
    if (std::strcmp(argv[i], "--seconds") == 0) seconds = std::atoi(argv[i + 1]);
    if (std::strcmp(argv[i], "--outage") == 0) outage = std::atoi(argv[i + 1]);
  }
  bench::BenchEnv env;
  FakeWandbServer server;
  {
    wandb::Run warm = wandb::init(Online(server, "warmup"));  // starts the daemon
    warm.log(bench::Row(0));
    warm.finish();
  }

  int64_t t0 = bench::NowNs();
  wandb::Run run = wandb::init(Online(server, "streamed"));
  for (int64_t i = 0; i < rows; ++i) run.log(bench::Row(i));
  run.finish();
  double s = static_cast<double>(bench::NowNs() - t0) / 1e9;
  size_t received = RowsOnServer(server, "streamed");
  bool complete = server.Run("streamed").has_value() && server.Run("streamed")->complete;
  std::printf(
      "streamed: %lld rows logged, %zu on the server (complete: %s) in %.2f s -> %.0f rows/s\n",
      static_cast<long long>(rows), received, complete ? "yes" : "no", s,
      static_cast<double>(received) / s);
  bench::Result("online_rows_per_s", static_cast<double>(received) / s, "rows/s");

  int before = server.requests();
  wandb::Run paced = wandb::init(Online(server, "paced"));
  auto start = std::chrono::steady_clock::now();
  for (int64_t i = 0; i < int64_t{1000} * seconds; ++i) {
    paced.log(bench::Row(i));
    std::this_thread::sleep_until(start + std::chrono::microseconds(1000 * (i + 1)));
  }
  int during = server.requests() - before;
  paced.finish();
  double per_minute = during * 60.0 / seconds;
  std::printf(
      "paced: 1,000 rows/s for %d s -> %d requests (%.0f per minute), %zu rows on the server\n",
      seconds, during, per_minute, RowsOnServer(server, "paced"));
  bench::Result("online_requests_per_min_at_1000_rows_per_s", per_minute, "req/min");
  if (outage > 0) Outage(env, server, outage);
  return 0;
}
