// wandb::init() time, each in a new process as a training script would pay it:
//   warm: a daemon already serves the service directory;
//   cold: a fresh service directory, so init() has to start a daemon.
// Also init() repeated in one process against the warm daemon (gRPC already initialised).
// With --concurrent N: N processes call init() at the same moment (each waits for a line on
// its stdin, then all are released), cold (no daemon yet: one of them starts it) and warm;
// reports the p50 and p99 of their init() times and how many failed.
//
//   bench_init [--reps N] [--concurrent N]
//   bench_init --child      (times one init() and prints INIT <ns>)
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <vector>

#include <wandb/wandb.h>

#include "bench/bench_util.h"

namespace {

int64_t TimedInit() {
  int64_t t0 = bench::NowNs();
  wandb::Run run = wandb::init({.project = "bench", .name = "init"});
  int64_t ns = bench::NowNs() - t0;
  run.finish();
  return ns;
}

// init() in a new process; its time as the child measured it.
int64_t InitInChild() {
  bench::Child child = bench::Spawn(bench::SelfDir() + "/bench_init", {"--child"});
  long long ns = -1;
  std::string line = bench::ReadLine(child.from);
  if (bench::Wait(child) != 0 || std::sscanf(line.c_str(), "INIT %lld", &ns) != 1) {
    std::fprintf(stderr, "the child's init() failed: '%s'\n", line.c_str());
    std::exit(1);
  }
  return ns;
}

void Report(const char* what, const char* name, std::vector<int64_t> ns) {
  std::printf("  %-34s", what);
  for (int64_t d : ns) std::printf(" %.1f", bench::Ms(d));
  double median = bench::Ms(bench::Quantile(ns, 0.5));
  std::printf("  -> median %.1f ms, min %.1f, max %.1f\n", median, bench::Ms(ns.front()),
              bench::Ms(ns.back()));
  bench::Result(name, median, "ms");
}

// `n` children released together; their init() times, and the count of those that failed.
std::vector<int64_t> InitTogether(int n, int* failed) {
  std::vector<bench::Child> children;
  for (int c = 0; c < n; ++c) {
    children.push_back(bench::Spawn(bench::SelfDir() + "/bench_init", {"--child", "--wait"}));
  }
  for (bench::Child& child : children) {
    std::fputs("go\n", child.to);
    std::fflush(child.to);
  }
  std::vector<int64_t> ns;
  for (bench::Child& child : children) {
    long long t = -1;
    std::string line = bench::ReadLine(child.from);
    if (bench::Wait(child) == 0 && std::sscanf(line.c_str(), "INIT %lld", &t) == 1) {
      ns.push_back(t);
    } else {
      ++*failed;
    }
  }
  return ns;
}

void ReportTogether(const char* what, int n, std::vector<int64_t> ns, int failed) {
  double p50 = bench::Ms(bench::Quantile(ns, 0.5));
  double p99 = bench::Ms(bench::Quantile(ns, 0.99));
  std::printf("  %-34s p50 %.1f ms, p99 %.1f ms, max %.1f ms, %d of %d failed\n", what, p50, p99,
              ns.empty() ? 0.0 : bench::Ms(ns.back()), failed, n);
  std::string name = std::string("init_") + (std::strstr(what, "cold") ? "cold" : "warm") + "_" +
                     std::to_string(n) + "_together";
  bench::Result(name + "_p50_ms", p50, "ms");
  bench::Result(name + "_p99_ms", p99, "ms");
  bench::Result(name + "_failed", failed, "processes");
}

int RunTogether(int n) {
  bench::BenchEnv env;
  std::printf("wandb::init() in %d processes at once\n", n);
  env.NewServiceDir();
  int cold_failed = 0;
  std::vector<int64_t> cold = InitTogether(n, &cold_failed);
  int warm_failed = 0;
  std::vector<int64_t> warm = InitTogether(n, &warm_failed);
  ReportTogether("cold (one of them starts it):", n, cold, cold_failed);
  ReportTogether("warm (daemon up):", n, warm, warm_failed);
  return cold_failed + warm_failed == 0 ? 0 : 1;
}

}  // namespace

int main(int argc, char** argv) {
  int reps = 9;
  bool child = false;
  bool wait = false;
  int together = 0;
  for (int i = 1; i < argc; ++i) {
    if (std::strcmp(argv[i], "--child") == 0) child = true;
    if (std::strcmp(argv[i], "--wait") == 0) wait = true;
    if (std::strcmp(argv[i], "--reps") == 0 && i + 1 < argc) reps = std::atoi(argv[++i]);
    if (std::strcmp(argv[i], "--concurrent") == 0 && i + 1 < argc) together = std::atoi(argv[++i]);
  }
  if (child) {
    if (wait) bench::ReadLine(stdin);  // the parent releases every child at once
    std::printf("INIT %lld\n", static_cast<long long>(TimedInit()));
    return 0;
  }
  if (together > 0) return RunTogether(together);
  bench::BenchEnv env;
  std::printf("wandb::init() times in ms, %d repetitions each\n", reps);

  std::vector<int64_t> cold;
  for (int r = 0; r < reps; ++r) {
    env.NewServiceDir();  // stops the previous repetition's daemon
    cold.push_back(InitInChild());
  }

  env.NewServiceDir();
  InitInChild();  // starts the daemon
  std::vector<int64_t> warm;
  for (int r = 0; r < reps; ++r) warm.push_back(InitInChild());

  TimedInit();  // this process's first init: gRPC set-up, not counted
  std::vector<int64_t> warm_again;
  for (int r = 0; r < reps; ++r) warm_again.push_back(TimedInit());

  Report("cold (new process, no daemon):", "init_cold_ms", cold);
  Report("warm (new process, daemon up):", "init_warm_ms", warm);
  Report("warm (same process, again):", "init_warm_repeat_ms", warm_again);
  return 0;
}
