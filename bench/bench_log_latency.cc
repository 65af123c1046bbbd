// Caller-side cost of run.log() with 10 scalar metrics: every call timed on its own with the
// steady clock, after a warm-up; the daemon is private to this benchmark. Two loops, one run:
//   tight: calls back to back (a burst; the pipeline behind log() runs flat out), then
//   paced:  calls at --rate rows/s (10,000 by default, a training loop that logs every step),
//           the thread sleeping until each call is due, as a loop waiting on a GPU would.
//
//   bench_log_latency [--calls N] [--warmup N] [--paced-calls N] [--rate R]
// --calls 0 or --paced-calls 0 skips that loop.
#include <chrono>
#include <cstdlib>
#include <cstring>
#include <string>
#include <thread>
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

// Times `calls` log() calls, each on its own; `rate` > 0 spaces them 1/rate s apart.
std::vector<int64_t> TimeCalls(wandb::Run& run, int64_t calls, double rate, int64_t* step) {
  std::vector<int64_t> ns(static_cast<size_t>(calls));
  int64_t start = bench::NowNs();
  for (int64_t i = 0; i < calls; ++i) {
    if (rate > 0) {
      auto due = std::chrono::nanoseconds(start + static_cast<int64_t>(1e9 * i / rate));
      std::this_thread::sleep_until(std::chrono::steady_clock::time_point(due));
    }
    int64_t t0 = bench::NowNs();
    run.log(bench::Row((*step)++));
    ns[static_cast<size_t>(i)] = bench::NowNs() - t0;
  }
  return ns;
}

// Prints the distribution of `ns` and its RESULT lines, named log_<tag>...
void Report(const char* what, const std::string& tag, std::vector<int64_t> ns) {
  if (ns.empty()) return;
  int64_t over_5us = 0;
  int64_t over_10us = 0;
  int64_t over_100us = 0;
  int64_t sum = 0;
  for (int64_t d : ns) {
    over_5us += d > 5'000;
    over_10us += d > 10'000;
    over_100us += d > 100'000;
    sum += d;
  }
  double median = bench::Us(bench::Quantile(ns, 0.5));
  double p90 = bench::Us(bench::Quantile(ns, 0.9));
  double p99 = bench::Us(bench::Quantile(ns, 0.99));
  double p999 = bench::Us(bench::Quantile(ns, 0.999));
  double max = bench::Us(ns.back());
  std::printf("%s, %zu calls\n", what, ns.size());
  std::printf(
      "  median %.3f us  p90 %.3f us  p99 %.3f us  p99.9 %.3f us  max %.1f us  mean %.3f us\n",
      median, p90, p99, p999, max, bench::Us(sum) / static_cast<double>(ns.size()));
  std::printf("  calls over 5 us: %lld, over 10 us: %lld, over 100 us: %lld\n",
              static_cast<long long>(over_5us), static_cast<long long>(over_10us),
              static_cast<long long>(over_100us));
  bench::Result("log" + tag + "_median_us", median, "us");
  bench::Result("log" + tag + "_p99_us", p99, "us");
  bench::Result("log" + tag + "_p999_us", p999, "us");
  bench::Result("log" + tag + "_max_us", max, "us");
}

}  // namespace

int main(int argc, char** argv) {
  int64_t calls = 200'000;
  int64_t warmup = 20'000;
  int64_t paced_calls = 50'000;
  double rate = 10'000;
  for (int i = 1; i + 1 < argc; i += 2) {
    if (std::strcmp(argv[i], "--calls") == 0) calls = std::atoll(argv[i + 1]);
    if (std::strcmp(argv[i], "--warmup") == 0) warmup = std::atoll(argv[i + 1]);
    if (std::strcmp(argv[i], "--paced-calls") == 0) paced_calls = std::atoll(argv[i + 1]);
    if (std::strcmp(argv[i], "--rate") == 0) rate = std::atof(argv[i + 1]);
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
  std::vector<int64_t> tight = TimeCalls(run, calls, 0, &step);
  // Let the tight loop's backlog drain before pacing, so the paced calls see a steady state.
  run.flush();
  std::vector<int64_t> paced = TimeCalls(run, paced_calls, rate, &step);
  run.finish();

  std::printf("log() with 10 scalars, after %lld warm-up calls\n", static_cast<long long>(warmup));
  Report("tight loop", "", std::move(tight));
  Report(("paced at " + std::to_string(static_cast<int64_t>(rate)) + " rows/s").c_str(), "_paced",
         std::move(paced));
  std::printf("building the row map alone: median %.3f us; clock overhead median %.3f us\n",
              bench::Us(bench::Quantile(build_ns, 0.5)), bench::Us(bench::Quantile(clock_ns, 0.5)));
  return 0;
}
