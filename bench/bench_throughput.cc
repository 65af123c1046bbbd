// Sustained rows/s end to end: from the first log() until finish() returns, which is when the
// daemon has written every row to the transaction log. One process, or several processes at
// once (started with posix_spawn, each logging to its own run, all sharing one daemon). The
// logs are then read back and their history records counted.
//
//   bench_throughput [--processes P] [--rows N]      N rows per process
//   bench_throughput --worker N                      (a child: started by the above)
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <memory>
#include <string>
#include <vector>

#include <wandb/wandb.h>

#include "bench/bench_util.h"
#include "bench/rows.h"

namespace {

struct Timed {
  int64_t start_ns = 0;
  int64_t logged_ns = 0;  // when the last log() returned
  int64_t end_ns = 0;     // when finish() returned
  std::string log_path;
};

std::string LogPath(const wandb::Run& run) { return run.dir() + "/run-" + run.id() + ".wandb"; }

Timed LogRows(wandb::Run& run, int64_t rows) {
  Timed t;
  t.start_ns = bench::NowNs();
  for (int64_t i = 0; i < rows; ++i) run.log(bench::Row(i));
  t.logged_ns = bench::NowNs();
  run.finish();
  t.end_ns = bench::NowNs();
  t.log_path = LogPath(run);
  return t;
}

// A child: init, say READY, wait for GO, log, finish, report the times.
int Worker(int64_t rows) {
  wandb::Run run = wandb::init({.project = "bench", .name = "throughput-worker"});
  std::printf("READY\n");
  std::fflush(stdout);
  if (bench::ReadLine(stdin) != "GO") return 1;
  Timed t = LogRows(run, rows);
  std::printf("DONE %lld %lld %lld %s\n", static_cast<long long>(t.start_ns),
              static_cast<long long>(t.logged_ns), static_cast<long long>(t.end_ns),
              t.log_path.c_str());
  return 0;
}

// Counts the history records of `paths` with bench_count_history; -1 on any problem.
long long CountHistory(const std::vector<std::string>& paths) {
  bench::Child counter = bench::Spawn(bench::SelfDir() + "/bench_count_history", paths);
  long long total = 0;
  for (std::string line; !(line = bench::ReadLine(counter.from)).empty();) {
    long long history = 0;
    if (std::sscanf(line.c_str(), "HISTORY %lld", &history) != 1) return -1;
    total += history;
  }
  return bench::Wait(counter) == 0 ? total : -1;
}

}  // namespace

int main(int argc, char** argv) {
  int processes = 1;
  int64_t rows = 500'000;
  for (int i = 1; i + 1 < argc; i += 2) {
    if (std::strcmp(argv[i], "--worker") == 0) return Worker(std::atoll(argv[i + 1]));
    if (std::strcmp(argv[i], "--processes") == 0) processes = std::atoi(argv[i + 1]);
    if (std::strcmp(argv[i], "--rows") == 0) rows = std::atoll(argv[i + 1]);
  }
  bench::BenchEnv env;
  std::vector<Timed> results;
  std::unique_ptr<bench::CpuSampler> cpu;  // the daemon's threads (and this process's)

  if (processes == 1) {
    wandb::Run run = wandb::init({.project = "bench", .name = "throughput"});
    cpu = std::make_unique<bench::CpuSampler>(std::vector<pid_t>{env.daemon_pid(), getpid()});
    results.push_back(LogRows(run, rows));
    cpu->Stop();
  } else {
    std::vector<bench::Child> children;
    for (int p = 0; p < processes; ++p) {
      children.push_back(
          bench::Spawn(bench::SelfDir() + "/bench_throughput", {"--worker", std::to_string(rows)}));
    }
    for (bench::Child& c : children) {
      if (bench::ReadLine(c.from) != "READY") {
        std::fprintf(stderr, "a worker failed to start its run\n");
        return 1;
      }
    }
    std::vector<pid_t> pids = {env.daemon_pid()};
    for (const bench::Child& c : children) pids.push_back(c.pid);
    cpu = std::make_unique<bench::CpuSampler>(pids);
    for (bench::Child& c : children) {
      std::fprintf(c.to, "GO\n");
      std::fflush(c.to);
    }
    for (bench::Child& c : children) {
      char path[4096] = {0};
      long long s = 0, l = 0, e = 0;
      std::string line = bench::ReadLine(c.from);
      if (std::sscanf(line.c_str(), "DONE %lld %lld %lld %4095s", &s, &l, &e, path) != 4) {
        std::fprintf(stderr, "a worker failed: '%s'\n", line.c_str());
        return 1;
      }
      results.push_back({s, l, e, path});
    }
    cpu->Stop();
    for (bench::Child& c : children) bench::Wait(c);
  }

  int64_t start = results[0].start_ns, logged = 0, end = 0;
  std::vector<std::string> paths;
  for (const Timed& t : results) {
    start = std::min(start, t.start_ns);
    logged = std::max(logged, t.logged_ns);
    end = std::max(end, t.end_ns);
    paths.push_back(t.log_path);
  }
  int64_t total_rows = rows * processes;
  double wall_s = static_cast<double>(end - start) / 1e9;
  double rate = static_cast<double>(total_rows) / wall_s;
  long long counted = CountHistory(paths);

  std::printf("%d process(es) x %lld rows of 10 scalars, one daemon\n", processes,
              static_cast<long long>(rows));
  std::printf("  first log() to last finish() returned: %.3f s -> %.0f rows/s\n", wall_s, rate);
  std::printf(
      "  last log() returned after %.3f s (caller-side %.0f rows/s); finish drained %.3f s\n",
      static_cast<double>(logged - start) / 1e9,
      static_cast<double>(total_rows) / (static_cast<double>(logged - start) / 1e9),
      static_cast<double>(end - logged) / 1e9);
  std::printf("  history records read back from %zu log(s): %lld of %lld %s\n", paths.size(),
              counted, static_cast<long long>(total_rows),
              counted == total_rows ? "(all there)" : "(MISMATCH)");
  // Process 0 of the sampler is the daemon; the others are the clients (this process alone
  // when there is one).
  double client_cpu = 0;
  for (int p = 1; p <= processes; ++p) client_cpu += cpu->TotalSeconds(static_cast<size_t>(p));
  cpu->Print(0, "wandb-service", end - start);
  if (processes == 1) {
    cpu->Print(1, "client", end - start);
  } else {
    std::printf("  %d clients' CPU: total %.2fs (%.0f%% of one core)\n", processes, client_cpu,
                100.0 * client_cpu / wall_s);
  }
  std::printf("  CPU per row: wandb-service %.1f us, client side %.1f us\n",
              1e6 * cpu->TotalSeconds(0) / static_cast<double>(total_rows),
              1e6 * client_cpu / static_cast<double>(total_rows));
  // The figures of the default (local) mode are told apart from those of the log alone.
  const char* mode = std::getenv("WANDB_MODE");
  std::string tag = std::to_string(processes) + "proc" +
                    (mode != nullptr && std::string(mode) == "local" ? "_local" : "");
  bench::Result("rows_per_s_" + tag, rate, "rows/s");
  bench::Result("rows_verified_" + tag, static_cast<double>(counted), "rows");
  return counted == total_rows ? 0 : 1;
}
