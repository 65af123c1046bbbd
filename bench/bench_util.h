// Helpers shared by the benchmark programs: clocks, percentiles, a private daemon per
// benchmark, /proc readings and child processes. Header-only; no timed assertions anywhere.
//
// Every program prints human-readable lines and, for run_benchmarks.sh, lines of the form
//   RESULT <name> <value> <unit>
#ifndef WANDB_BENCH_BENCH_UTIL_H_
#define WANDB_BENCH_BENCH_UTIL_H_

#include <dirent.h>
#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>
#include <string>
#include <thread>
#include <utility>
#include <vector>

extern char** environ;

namespace bench {

// Nanoseconds on the steady clock (CLOCK_MONOTONIC: comparable across processes).
inline int64_t NowNs() {
  return std::chrono::duration_cast<std::chrono::nanoseconds>(
             std::chrono::steady_clock::now().time_since_epoch())
      .count();
}

inline double Ms(int64_t ns) { return static_cast<double>(ns) / 1e6; }
inline double Us(int64_t ns) { return static_cast<double>(ns) / 1e3; }

// The value at quantile q (0..1) of `v`, nearest rank; sorts v.
inline int64_t Quantile(std::vector<int64_t>& v, double q) {
  if (v.empty()) return 0;
  std::sort(v.begin(), v.end());
  size_t rank = static_cast<size_t>(q * static_cast<double>(v.size()));
  return v[std::min(rank, v.size() - 1)];
}

inline void Result(const std::string& name, double value, const char* unit) {
  std::printf("RESULT %s %.3f %s\n", name.c_str(), value, unit);
  std::fflush(stdout);
}

// The directory this program lives in (the build's bin/, which also holds wandb-service).
inline std::string SelfDir() {
  return std::filesystem::read_symlink("/proc/self/exe").parent_path().string();
}

// pid of the wandb-service that serves `service_dir` (its command line names it after
// --service-dir), or -1.
inline pid_t FindDaemon(const std::string& service_dir) {
  DIR* proc = opendir("/proc");
  if (proc == nullptr) return -1;
  pid_t found = -1;
  while (dirent* entry = readdir(proc)) {
    char* end = nullptr;
    long pid = std::strtol(entry->d_name, &end, 10);
    if (*end != '\0' || pid <= 0) continue;
    std::ifstream in(std::string("/proc/") + entry->d_name + "/cmdline", std::ios::binary);
    std::string cmdline((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    std::vector<std::string> args;
    std::stringstream ss(cmdline);
    for (std::string arg; std::getline(ss, arg, '\0');) args.push_back(arg);
    if (args.empty() || args[0].find("wandb-service") == std::string::npos) continue;
    for (size_t i = 1; i + 1 < args.size(); ++i) {
      if (args[i] == "--service-dir" && args[i + 1] == service_dir) found = static_cast<pid_t>(pid);
    }
    if (found > 0) break;
  }
  closedir(proc);
  return found;
}

// A field of /proc/<pid>/status in kB (VmHWM, VmRSS), or -1.
inline long StatusKb(pid_t pid, const std::string& field) {
  std::ifstream in("/proc/" + std::to_string(pid) + "/status");
  for (std::string line; std::getline(in, line);) {
    if (line.rfind(field + ":", 0) == 0)
      return std::strtol(line.c_str() + field.size() + 1, nullptr, 10);
  }
  return -1;
}

// CPU time (user + system, in clock ticks) of every thread of `pid`, keyed by tid, with the
// thread's name.
struct ThreadCpu {
  std::string name;
  long ticks = 0;
};
inline std::map<long, ThreadCpu> ThreadTimes(pid_t pid) {
  std::map<long, ThreadCpu> out;
  std::string task_dir = "/proc/" + std::to_string(pid) + "/task";
  std::error_code ec;
  for (const auto& entry : std::filesystem::directory_iterator(task_dir, ec)) {
    std::ifstream in(entry.path() / "stat");
    std::string stat((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    size_t open = stat.find('(');
    size_t close = stat.rfind(')');
    if (open == std::string::npos || close == std::string::npos) continue;
    std::stringstream rest(stat.substr(close + 2));
    std::vector<std::string> fields;
    for (std::string f; rest >> f;) fields.push_back(f);
    // After the name: state(0) ... utime(11) stime(12).
    if (fields.size() < 13) continue;
    ThreadCpu t;
    t.name = stat.substr(open + 1, close - open - 1);
    t.ticks = std::atol(fields[11].c_str()) + std::atol(fields[12].c_str());
    out[std::atol(entry.path().filename().c_str())] = t;
  }
  return out;
}

// Prints the CPU seconds each thread of `pid` used between two ThreadTimes() readings, busiest
// first, as a share of `wall_ns` (100% = one core saturated). Threads that never set a name
// carry the process's; the thread whose tid is the pid is shown as "main".
inline void PrintThreadCpu(const char* who, pid_t pid, const std::map<long, ThreadCpu>& before,
                           const std::map<long, ThreadCpu>& after, int64_t wall_ns) {
  std::vector<std::pair<long, std::string>> rows;
  long total = 0;
  for (const auto& [tid, t] : after) {
    auto it = before.find(tid);
    long ticks = t.ticks - (it == before.end() ? 0 : it->second.ticks);
    total += ticks;
    std::string name = tid == pid ? std::string("main") : t.name + "/" + std::to_string(tid);
    if (ticks > 0) rows.push_back({ticks, name});
  }
  std::sort(rows.rbegin(), rows.rend());
  double hz = static_cast<double>(sysconf(_SC_CLK_TCK));
  double wall_s = static_cast<double>(wall_ns) / 1e9;
  std::printf("  %s CPU over %.2f s wall: total %.2fs (%.0f%% of one core);", who, wall_s,
              static_cast<double>(total) / hz, 100.0 * static_cast<double>(total) / hz / wall_s);
  for (size_t i = 0; i < rows.size() && i < 6; ++i) {
    double s = static_cast<double>(rows[i].first) / hz;
    std::printf(" %s %.2fs (%.0f%%)", rows[i].second.c_str(), s, 100.0 * s / wall_s);
  }
  std::printf("\n");
}

// Polls the per-thread CPU times of some processes every `interval` on a thread of its own,
// so that threads which exit before the end (a run's pipeline threads end with finish()) are
// still counted: each thread keeps the last reading taken while it lived.
class CpuSampler {
 public:
  explicit CpuSampler(std::vector<pid_t> pids,
                      std::chrono::milliseconds interval = std::chrono::milliseconds(50))
      : pids_(std::move(pids)), seen_(pids_.size()) {
    Sample();
    start_ = seen_;
    thread_ = std::thread([this, interval] {
      while (!stop_.load()) {
        std::this_thread::sleep_for(interval);
        Sample();
      }
    });
  }
  ~CpuSampler() { Stop(); }
  CpuSampler(const CpuSampler&) = delete;
  CpuSampler& operator=(const CpuSampler&) = delete;

  void Stop() {
    if (!thread_.joinable()) return;
    stop_.store(true);
    thread_.join();
    Sample();
  }

  // CPU seconds all threads of process i used since construction.
  double TotalSeconds(size_t i) const {
    long ticks = 0;
    for (const auto& [tid, t] : seen_[i]) {
      auto it = start_[i].find(tid);
      ticks += t.ticks - (it == start_[i].end() ? 0 : it->second.ticks);
    }
    return static_cast<double>(ticks) / static_cast<double>(sysconf(_SC_CLK_TCK));
  }

  // Prints what each process's threads used since construction (see PrintThreadCpu).
  void Print(size_t i, const char* who, int64_t wall_ns) const {
    PrintThreadCpu(who, pids_[i], start_[i], seen_[i], wall_ns);
  }

 private:
  void Sample() {
    for (size_t i = 0; i < pids_.size(); ++i) {
      for (const auto& [tid, t] : ThreadTimes(pids_[i])) seen_[i][tid] = t;
    }
  }

  std::vector<pid_t> pids_;
  std::vector<std::map<long, ThreadCpu>> seen_;
  std::vector<std::map<long, ThreadCpu>> start_;
  std::atomic<bool> stop_{false};
  std::thread thread_;
};

// A private daemon for one benchmark: a fresh, short WANDB_CPP_SERVICE_DIR, WANDB_DIR and
// WANDB_CPP_STORE_DIR under /tmp, set in the environment (children inherit them). The mode
// is the caller's WANDB_MODE: the default (local) tracks into the store; offline measures the
// path to the transaction log alone. The destructor stops the daemon that
// served the directory (one this benchmark started) and deletes everything, unless BENCH_KEEP
// is set in the environment.
class BenchEnv {
 public:
  BenchEnv() {
    char tmpl[] = "/tmp/wbb-XXXXXX";
    if (mkdtemp(tmpl) == nullptr) {
      std::perror("mkdtemp");
      std::exit(1);
    }
    root_ = tmpl;
    wandb_dir_ = root_ + "/w";
    std::filesystem::create_directories(wandb_dir_);
    setenv("WANDB_DIR", wandb_dir_.c_str(), 1);
    setenv("WANDB_CPP_STORE_DIR", (root_ + "/store").c_str(), 1);
    setenv("WANDB_SILENT", "true", 0);
    setenv("WANDB_CPP_SERVICE_IDLE_TIMEOUT", "120", 0);
    std::string service = SelfDir() + "/wandb-service";
    setenv("WANDB_CPP_SERVICE_PATH", service.c_str(), 0);
    NewServiceDir();
  }
  ~BenchEnv() {
    StopDaemon();
    if (std::getenv("BENCH_KEEP") != nullptr) {
      std::fprintf(stderr, "BENCH_KEEP: run directories and daemon logs kept in %s\n",
                   root_.c_str());
      return;
    }
    std::error_code ec;
    std::filesystem::remove_all(root_, ec);
  }
  BenchEnv(const BenchEnv&) = delete;
  BenchEnv& operator=(const BenchEnv&) = delete;

  // Switches to a fresh service directory, where no daemon runs yet; stops the previous one.
  void NewServiceDir() {
    StopDaemon();
    service_dir_ = root_ + "/s" + std::to_string(generation_++);
    setenv("WANDB_CPP_SERVICE_DIR", service_dir_.c_str(), 1);
  }

  pid_t daemon_pid() const { return FindDaemon(service_dir_); }

  // SIGTERM to the daemon of the current service directory, then waits for it to go.
  void StopDaemon() {
    if (service_dir_.empty()) return;
    pid_t pid = FindDaemon(service_dir_);
    if (pid <= 0) return;
    kill(pid, SIGTERM);
    for (int i = 0; i < 500 && kill(pid, 0) == 0; ++i) {
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
  }

  const std::string& service_dir() const { return service_dir_; }
  const std::string& wandb_dir() const { return wandb_dir_; }

 private:
  std::string root_;
  std::string wandb_dir_;
  std::string service_dir_;
  int generation_ = 0;
};

// A child process with its stdin and stdout on pipes held by the parent.
struct Child {
  pid_t pid = -1;
  FILE* to = nullptr;    // the child's stdin
  FILE* from = nullptr;  // the child's stdout
};

// Starts `path args...` with posix_spawn (the parent may have gRPC threads: never fork).
inline Child Spawn(const std::string& path, const std::vector<std::string>& args) {
  int in_pipe[2];
  int out_pipe[2];
  if (pipe2(in_pipe, O_CLOEXEC) != 0 || pipe2(out_pipe, O_CLOEXEC) != 0) {
    std::perror("pipe2");
    std::exit(1);
  }
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_adddup2(&actions, in_pipe[0], 0);
  posix_spawn_file_actions_adddup2(&actions, out_pipe[1], 1);
  std::vector<std::string> argv_storage = {path};
  argv_storage.insert(argv_storage.end(), args.begin(), args.end());
  std::vector<char*> argv;
  for (std::string& a : argv_storage) argv.push_back(a.data());
  argv.push_back(nullptr);
  Child child;
  int rc = posix_spawn(&child.pid, path.c_str(), &actions, nullptr, argv.data(), environ);
  posix_spawn_file_actions_destroy(&actions);
  if (rc != 0) {
    std::fprintf(stderr, "posix_spawn %s: %s\n", path.c_str(), std::strerror(rc));
    std::exit(1);
  }
  close(in_pipe[0]);
  close(out_pipe[1]);
  child.to = fdopen(in_pipe[1], "w");
  child.from = fdopen(out_pipe[0], "r");
  return child;
}

// Reads one line from the child; empty at end of file.
inline std::string ReadLine(FILE* f) {
  std::string line;
  for (int c; (c = std::fgetc(f)) != EOF && c != '\n';) line.push_back(static_cast<char>(c));
  return line;
}

// Closes the pipes and reaps the child; returns its exit status (-1 when it did not exit).
inline int Wait(Child& child) {
  if (child.to != nullptr) std::fclose(child.to);
  if (child.from != nullptr) std::fclose(child.from);
  child.to = child.from = nullptr;
  int status = 0;
  while (waitpid(child.pid, &status, 0) < 0 && errno == EINTR) {
  }
  return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

}  // namespace bench

#endif  // WANDB_BENCH_BENCH_UTIL_H_
