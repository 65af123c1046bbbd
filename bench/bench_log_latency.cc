// Caller-side cost of run.log() with 10 scalar metrics: every call timed on its own with the
// steady clock, after a warm-up; the daemon is private to this benchmark.
//
//   bench_log_latency [--calls N] [--warmup N]
#include <cstdlib>
#include <cstring>
#include <vector>

#include <wandb/wandb.h>

#include "bench/bench_util.h"
#include "bench/rows.h"

namespace {

// Keeps the compiler from dropping work whose result is unused.
template <typename T>
void Escape(T* p) {
  asm volatile("" : : "g"(p) : "memory");
}

}  // namespace

int main(int argc, char** argv) {
  int64_t calls = 200'000;
  int64_t warmup = 20'000;
  for (int i = 1; i + 1 < argc; i += 2) {
    if (std::strcmp(argv[i], "--calls") == 0) calls = std::atoll(argv[i + 1]);
    if (std::strcmp(argv[i], "--warmup") == 0) warmup = std::atoll(argv[i + 1]);
  }
  bench::BenchEnv env;
  wandb::Run run = wandb::init({.project = "bench", .name = "log-latency"});

  // What the clock itself costs, and what building the 10-entry map costs without log().
  std::vector<int64_t> clock_ns(10'000);
  for (int64_t& d : clock_ns) {
    int64_t t0 = bench::NowNs();
    d = bench::NowNs() - t0;
  }
  std::vector<int64_t> build_ns(50'000);
  for (size_t i = 0; i < build_ns.size(); ++i) {
    int64_t t0 = bench::NowNs();
    wandb::Value::Map row = bench::Row(static_cast<int64_t>(i));
    Escape(&row);
    build_ns[i] = bench::NowNs() - t0;
  }

  int64_t step = 0;
  for (int64_t i = 0; i < warmup; ++i) run.log(bench::Row(step++));

  std::vector<int64_t> ns(static_cast<size_t>(calls));
  int64_t start = bench::NowNs();
  for (int64_t i = 0; i < calls; ++i) {
    int64_t t0 = bench::NowNs();
    run.log(bench::Row(step++));
    ns[static_cast<size_t>(i)] = bench::NowNs() - t0;
  }
  int64_t loop_ns = bench::NowNs() - start;
  run.finish();

  int64_t over_10us = 0;
  int64_t over_100us = 0;
  int64_t sum = 0;
  for (int64_t d : ns) {
    over_10us += d > 10'000;
    over_100us += d > 100'000;
    sum += d;
  }
  double median = bench::Us(bench::Quantile(ns, 0.5));
  double p90 = bench::Us(bench::Quantile(ns, 0.9));
  double p99 = bench::Us(bench::Quantile(ns, 0.99));
  double p999 = bench::Us(bench::Quantile(ns, 0.999));
  double max = bench::Us(ns.back());
  std::printf("log() with 10 scalars, %lld calls after %lld warm-up calls (%.1f ms in all)\n",
              static_cast<long long>(calls), static_cast<long long>(warmup), bench::Ms(loop_ns));
  std::printf(
      "  median %.3f us  p90 %.3f us  p99 %.3f us  p99.9 %.3f us  max %.1f us  mean %.3f us\n",
      median, p90, p99, p999, max, bench::Us(sum) / static_cast<double>(calls));
  std::printf("  calls over 10 us: %lld, over 100 us: %lld\n", static_cast<long long>(over_10us),
              static_cast<long long>(over_100us));
  std::printf(
      "  of which building the row map alone: median %.3f us; clock overhead median %.3f us\n",
      bench::Us(bench::Quantile(build_ns, 0.5)), bench::Us(bench::Quantile(clock_ns, 0.5)));
  bench::Result("log_median_us", median, "us");
  bench::Result("log_p99_us", p99, "us");
  bench::Result("log_max_us", max, "us");
  return 0;
}
