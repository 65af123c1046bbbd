// The cost of console capture (issue 5): a training process printing 100,000 lines, with the
// run's console setting on and off. The process's stdout is a pipe this benchmark reads, as
// a terminal would (the capture's pipe path; a terminal takes the pseudo-terminal path).
//
//   burst: 100,000 lines as fast as the program can print them, one write(2) per line (what
//          a line-buffered terminal program does) and through stdio's full buffering (what
//          a program whose stdout is a pipe does): the print loop's wall time, finish(), and
//          the CPU time of the training process (all its threads) and of the daemon;
//   paced: 2,000 lines 0.5 ms apart, each stamped with the time it was written: the latency
//          from write(2) in the program to the line's arrival on the terminal's side.
//
//   bench_console [--lines N] [--reps N]
#include <sys/resource.h>

#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <thread>
#include <vector>

#include <wandb/wandb.h>

#include "bench/bench_util.h"

namespace {

double CpuSeconds() {
  struct rusage usage;
  getrusage(RUSAGE_SELF, &usage);
  return static_cast<double>(usage.ru_utime.tv_sec + usage.ru_stime.tv_sec) +
         static_cast<double>(usage.ru_utime.tv_usec + usage.ru_stime.tv_usec) / 1e6;
}

// The training process: prints, finishes, then reports on its own stdout.
int ChildMain(const std::string& console, long lines, const std::string& style) {
  setenv("WANDB_CONSOLE", console.c_str(), 1);  // wandb's strings: on, off, ...
  wandb::Run run = wandb::init({.project = "bench", .name = "console-" + console});
  bool paced = style == "paced";
  double cpu0 = CpuSeconds();
  int64_t t0 = bench::NowNs();
  char line[160];
  for (long i = 0; i < lines; ++i) {
    int n = std::snprintf(line, sizeof(line),
                          "L %lld step %ld: loss 0.%06ld, an ordinary line of training output\n",
                          static_cast<long long>(bench::NowNs()), i, (i * 7919) % 1000000);
    if (style == "stdio") {
      std::fputs(line, stdout);
    } else if (write(STDOUT_FILENO, line, static_cast<size_t>(n)) != n) {
      return 1;
    }
    if (paced) std::this_thread::sleep_for(std::chrono::microseconds(500));
  }
  std::fflush(stdout);
  int64_t t1 = bench::NowNs();
  run.finish();
  int64_t t2 = bench::NowNs();
  std::printf("DONE %lld %lld %.6f\n", static_cast<long long>(t1 - t0),
              static_cast<long long>(t2 - t1), CpuSeconds() - cpu0);
  std::fflush(stdout);
  return 0;
}

struct Outcome {
  int64_t loop_ns = 0;
  int64_t finish_ns = 0;
  double client_cpu = 0;
  double daemon_cpu = 0;
  std::vector<int64_t> latency_ns;  // per line (paced runs)
  long lines_seen = 0;
};

// Runs one training process and reads its stdout as the terminal would.
Outcome RunChild(bench::BenchEnv& env, const std::string& console, long lines,
                 const std::string& style) {
  bench::Child child =
      bench::Spawn(bench::SelfDir() + "/bench_console",
                   {"--child", console, "--lines", std::to_string(lines), "--style", style});
  pid_t daemon = env.daemon_pid();
  bench::CpuSampler daemon_cpu(daemon > 0 ? std::vector<pid_t>{daemon} : std::vector<pid_t>{});
  Outcome out;
  int fd = fileno(child.from);
  std::string pending;
  char buffer[1 << 16];
  bool done = false;
  while (!done) {
    ssize_t n = read(fd, buffer, sizeof(buffer));
    if (n <= 0) break;
    int64_t now = bench::NowNs();
    pending.append(buffer, static_cast<size_t>(n));
    size_t start = 0;
    for (size_t end; (end = pending.find('\n', start)) != std::string::npos; start = end + 1) {
      const char* l = pending.c_str() + start;
      if (std::strncmp(l, "L ", 2) == 0) {
        ++out.lines_seen;
        if (style == "paced") out.latency_ns.push_back(now - std::atoll(l + 2));
      } else if (std::strncmp(l, "DONE ", 5) == 0) {
        long long loop = 0, finish = 0;
        std::sscanf(l + 5, "%lld %lld %lf", &loop, &finish, &out.client_cpu);
        out.loop_ns = loop;
        out.finish_ns = finish;
        done = true;
      }
    }
    pending.erase(0, start);
  }
  bench::Wait(child);
  daemon_cpu.Stop();
  if (daemon > 0) out.daemon_cpu = daemon_cpu.TotalSeconds(0);
  return out;
}

double Median(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  return v.empty() ? 0 : v[v.size() / 2];
}

void Burst(bench::BenchEnv& env, long lines, int reps, const std::string& style) {
  std::printf("burst of %ld lines, %s, median of %d runs:\n", lines,
              style == "stdio" ? "stdio, fully buffered" : "one write(2) per line", reps);
  for (const std::string console : {"off", "on"}) {
    std::vector<double> loop, finish, client, daemon;
    long seen = 0;
    for (int r = 0; r < reps; ++r) {
      Outcome o = RunChild(env, console, lines, style);
      loop.push_back(bench::Ms(o.loop_ns));
      finish.push_back(bench::Ms(o.finish_ns));
      client.push_back(o.client_cpu * 1e3);
      daemon.push_back(o.daemon_cpu * 1e3);
      seen = o.lines_seen;
    }
    std::printf(
        "  console %-3s: print loop %8.1f ms, finish() %7.1f ms, CPU: client %7.1f ms, "
        "daemon %7.1f ms (%ld lines reached the terminal)\n",
        console.c_str(), Median(loop), Median(finish), Median(client), Median(daemon), seen);
    std::string name = "console_" + style + "_" + console;
    bench::Result(name + "_loop_ms", Median(loop), "ms");
    bench::Result(name + "_finish_ms", Median(finish), "ms");
    bench::Result(name + "_client_cpu_ms", Median(client), "ms");
    bench::Result(name + "_daemon_cpu_ms", Median(daemon), "ms");
  }
}

void Paced(bench::BenchEnv& env, long lines) {
  std::printf("latency from write(2) to the terminal's side, %ld lines 0.5 ms apart:\n", lines);
  for (const std::string console : {"off", "on"}) {
    Outcome o = RunChild(env, console, lines, "paced");
    std::vector<int64_t>& l = o.latency_ns;
    double p50 = bench::Us(bench::Quantile(l, 0.5));
    double p99 = bench::Us(bench::Quantile(l, 0.99));
    double max = bench::Us(bench::Quantile(l, 1.0));
    std::printf("  console %-3s: p50 %6.1f us, p99 %6.1f us, max %7.1f us\n", console.c_str(), p50,
                p99, max);
    bench::Result("console_latency_" + console + "_p50_us", p50, "us");
    bench::Result("console_latency_" + console + "_p99_us", p99, "us");
  }
}

}  // namespace

int main(int argc, char** argv) {
  long lines = 100'000;
  int reps = 3;
  std::string child_console, style = "write";
  for (int i = 1; i + 1 < argc; i += 2) {
    if (std::strcmp(argv[i], "--lines") == 0) lines = std::atol(argv[i + 1]);
    if (std::strcmp(argv[i], "--reps") == 0) reps = std::atoi(argv[i + 1]);
    if (std::strcmp(argv[i], "--child") == 0) child_console = argv[i + 1];
    if (std::strcmp(argv[i], "--style") == 0) style = argv[i + 1];
  }
  if (!child_console.empty()) return ChildMain(child_console, lines, style);

  bench::BenchEnv env;
  RunChild(env, "on", 1000, "write");  // starts the daemon and warms both processes up
  Burst(env, lines, reps, "write");
  Burst(env, lines, reps, "stdio");
  Paced(env, 2000);
  return 0;
}
