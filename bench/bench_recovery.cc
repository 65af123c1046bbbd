// Recovery from a daemon crash: a run logs rows steadily on one thread while the benchmark
// kills its daemon with SIGKILL, then calls flush(). flush() returns once a new daemon has
// been started, the run re-attached to it, and every row logged before the kill (the ones the
// dead daemon had not written, sent again) is in the run's log: the time from the kill to
// then is the time the run's rows take to flow again.
//
//   bench_recovery [--reps N] [--rate ROWS_PER_S]
#include <signal.h>

#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <thread>
#include <vector>

#include <wandb/wandb.h>

#include "bench/bench_util.h"

int main(int argc, char** argv) {
  int reps = 5;
  long rate = 10000;
  for (int i = 1; i + 1 < argc; i += 2) {
    if (std::strcmp(argv[i], "--reps") == 0) reps = std::atoi(argv[i + 1]);
    if (std::strcmp(argv[i], "--rate") == 0) rate = std::atol(argv[i + 1]);
  }
  bench::BenchEnv env;
  wandb::Run run = wandb::init({.project = "bench-recovery"});
  std::atomic<bool> stop{false};
  std::atomic<long> logged{0};
  std::thread logger([&] {
    // Rows in bursts of 100, `rate` rows a second.
    auto burst = std::chrono::microseconds(100'000'000 / rate);
    auto next = std::chrono::steady_clock::now();
    for (long i = 0; !stop.load(); ++i) {
      run.log({{"i", i}, {"loss", 1.0 / static_cast<double>(i + 1)}});
      logged.store(i + 1);
      if ((i + 1) % 100 == 0) {
        next += burst;
        std::this_thread::sleep_until(next);
      }
    }
  });

  std::vector<int64_t> ns;
  for (int r = 0; r < reps; ++r) {
    std::this_thread::sleep_for(std::chrono::seconds(1));  // rows flowing to this daemon
    pid_t daemon = env.daemon_pid();
    if (daemon <= 0) {
      std::fprintf(stderr, "bench_recovery: no daemon to kill\n");
      return 1;
    }
    int64_t killed = bench::NowNs();
    kill(daemon, SIGKILL);
    bool flushed = run.flush();
    int64_t took = bench::NowNs() - killed;
    std::printf(
        "  kill -9 of wandb-service pid %d -> rows logged before it in the new "
        "daemon's log: %.1f ms%s\n",
        daemon, bench::Ms(took), flushed ? "" : " (flush() gave up)");
    if (!flushed) break;
    ns.push_back(took);
  }
  stop.store(true);
  logger.join();
  run.finish();
  if (static_cast<int>(ns.size()) < reps) return 1;
  std::printf("  %ld rows logged at %ld rows/s across %d daemon kills\n", logged.load(), rate,
              reps);
  double median = bench::Ms(bench::Quantile(ns, 0.5));
  double max = bench::Ms(bench::Quantile(ns, 1.0));
  std::printf("  recovery from a daemon kill: median %.1f ms, max %.1f ms\n", median, max);
  bench::Result("daemon_kill_recovery_median_ms", median, "ms");
  bench::Result("daemon_kill_recovery_max_ms", max, "ms");
  return 0;
}
