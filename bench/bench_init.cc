// wandb::init() time, each in a new process as a training script would pay it:
//   warm: a daemon already serves the service directory;
//   cold: a fresh service directory, so init() has to start a daemon.
// Also init() repeated in one process against the warm daemon (gRPC already initialised).
//
//   bench_init [--reps N]
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

}  // namespace

int main(int argc, char** argv) {
  int reps = 9;
  for (int i = 1; i < argc; ++i) {
    if (std::strcmp(argv[i], "--child") == 0) {
      std::printf("INIT %lld\n", static_cast<long long>(TimedInit()));
      return 0;
    }
    if (std::strcmp(argv[i], "--reps") == 0 && i + 1 < argc) reps = std::atoi(argv[++i]);
  }
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
