// Peak resident memory (VmHWM) of the daemon after one run of N rows, each N with a fresh
// daemon of its own, to show whether the daemon's memory grows with the rows logged.
// By default rows are logged in a tight loop (the daemon's worst case: as many rows in flight
// as the client can make); --rate paces the loop to R rows/s, below what the pipeline can
// take, which separates memory held per row from memory held by a backlog.
//
//   bench_daemon_rss [--rate R] [ROWS...]        default: 1000 100000 1000000
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <thread>
#include <vector>

#include <wandb/wandb.h>

#include "bench/bench_util.h"
#include "bench/rows.h"

int main(int argc, char** argv) {
  std::vector<int64_t> counts;
  double rate = 0;
  for (int i = 1; i < argc; ++i) {
    if (std::strcmp(argv[i], "--rate") == 0 && i + 1 < argc) {
      rate = std::atof(argv[++i]);
    } else {
      counts.push_back(std::atoll(argv[i]));
    }
  }
  if (counts.empty()) counts = {1'000, 100'000, 1'000'000};

  bench::BenchEnv env;
  std::printf(
      "wandb-service peak RSS (VmHWM) after one run, a fresh daemon for each; %s\n",
      rate > 0 ? ("rows paced at " + std::to_string(static_cast<int64_t>(rate)) + " rows/s").c_str()
               : "rows logged in a tight loop");
  std::string tag = rate > 0 ? "_paced" : "";
  for (int64_t rows : counts) {
    env.NewServiceDir();
    wandb::Run run = wandb::init({.project = "bench", .name = "daemon-rss"});
    pid_t daemon = env.daemon_pid();
    long start_kb = bench::StatusKb(daemon, "VmHWM");
    int64_t t0 = bench::NowNs();
    for (int64_t i = 0; i < rows; ++i) {
      if (rate > 0 && i % 100 == 0) {
        auto due = std::chrono::nanoseconds(t0 + static_cast<int64_t>(1e9 * i / rate));
        std::this_thread::sleep_until(std::chrono::steady_clock::time_point(due));
      }
      run.log(bench::Row(i));
    }
    run.finish();
    double seconds = static_cast<double>(bench::NowNs() - t0) / 1e9;
    long hwm_kb = bench::StatusKb(daemon, "VmHWM");
    long rss_kb = bench::StatusKb(daemon, "VmRSS");
    std::printf(
        "  %9lld rows in %.1f s: VmHWM %.1f MB (%.1f MB after init), VmRSS after "
        "finish %.1f MB; this client's VmHWM so far %.1f MB\n",
        static_cast<long long>(rows), seconds, static_cast<double>(hwm_kb) / 1024,
        static_cast<double>(start_kb) / 1024, static_cast<double>(rss_kb) / 1024,
        static_cast<double>(bench::StatusKb(getpid(), "VmHWM")) / 1024);
    bench::Result("daemon_hwm_mb_" + std::to_string(rows) + tag, static_cast<double>(hwm_kb) / 1024,
                  "MB");
  }
  return 0;
}
