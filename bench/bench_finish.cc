// Time of the finish() call alone after a run of 100,000 rows of 10 scalars:
//   burst:   finish() right after the last log() of a tight loop, so it also waits for the
//            rows still queued in the client and the daemon to be written;
//   settled: finish() once the daemon has caught up (summary().get() round trip, then a
//            short pause), as at the end of a real training loop that logs at a human pace.
//
//   bench_finish [--rows N] [--reps N]
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <thread>
#include <vector>

#include <wandb/wandb.h>

#include "bench/bench_util.h"
#include "bench/rows.h"

namespace {

int64_t TimedFinish(int64_t rows, bool settle, int64_t* log_ns) {
  wandb::Run run = wandb::init({.project = "bench", .name = settle ? "finish-settled" : "finish"});
  int64_t t0 = bench::NowNs();
  for (int64_t i = 0; i < rows; ++i) run.log(bench::Row(i));
  *log_ns = bench::NowNs() - t0;
  if (settle) {
    run.summary().get();
    std::this_thread::sleep_for(std::chrono::milliseconds(300));
  }
  int64_t t1 = bench::NowNs();
  run.finish();
  return bench::NowNs() - t1;
}

void Report(const char* what, const char* name, std::vector<int64_t> ns,
            std::vector<int64_t> log_ns) {
  std::printf("  %-10s finish():", what);
  for (int64_t d : ns) std::printf(" %.1f", bench::Ms(d));
  double median = bench::Ms(bench::Quantile(ns, 0.5));
  std::printf(" ms -> median %.1f ms (the log() loop itself: median %.1f ms)\n", median,
              bench::Ms(bench::Quantile(log_ns, 0.5)));
  bench::Result(name, median, "ms");
}

}  // namespace

int main(int argc, char** argv) {
  int64_t rows = 100'000;
  int reps = 5;
  for (int i = 1; i + 1 < argc; i += 2) {
    if (std::strcmp(argv[i], "--rows") == 0) rows = std::atoll(argv[i + 1]);
    if (std::strcmp(argv[i], "--reps") == 0) reps = std::atoi(argv[i + 1]);
  }
  bench::BenchEnv env;
  int64_t unused = 0;
  TimedFinish(1000, false, &unused);  // starts the daemon and warms both processes up

  std::vector<int64_t> burst, burst_log, settled, settled_log;
  for (int r = 0; r < reps; ++r) {
    int64_t log_ns = 0;
    burst.push_back(TimedFinish(rows, false, &log_ns));
    burst_log.push_back(log_ns);
    settled.push_back(TimedFinish(rows, true, &log_ns));
    settled_log.push_back(log_ns);
  }
  std::printf("finish() after %lld rows of 10 scalars, %d repetitions\n",
              static_cast<long long>(rows), reps);
  Report("burst", "finish_burst_ms", burst, burst_log);
  Report("settled", "finish_settled_ms", settled, settled_log);
  return 0;
}
