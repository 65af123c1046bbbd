#include "service/system/host_facts.h"

#include <fcntl.h>
#include <gnu/libc-version.h>
#include <poll.h>
#include <spawn.h>
#include <sys/utsname.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <set>
#include <thread>
#include <utility>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "common/util/read_file.h"

extern char** environ;

namespace wandb::service {
namespace {

// Output of `git -C dir args...`, or "" on any failure or after `timeout`.
std::string RunGit(const std::string& dir, std::vector<std::string> args,
                   std::chrono::milliseconds timeout = std::chrono::seconds(2)) {
  std::vector<std::string> argv_store = {"git", "-C", dir};
  argv_store.insert(argv_store.end(), args.begin(), args.end());
  std::vector<char*> argv;
  for (std::string& a : argv_store) argv.push_back(a.data());
  argv.push_back(nullptr);

  int fds[2];
  if (pipe2(fds, O_CLOEXEC) != 0) return "";
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_adddup2(&actions, fds[1], STDOUT_FILENO);
  posix_spawn_file_actions_addopen(&actions, STDERR_FILENO, "/dev/null", O_WRONLY, 0);
  pid_t pid = -1;
  int rc = posix_spawnp(&pid, "git", &actions, nullptr, argv.data(), environ);
  posix_spawn_file_actions_destroy(&actions);
  close(fds[1]);
  std::string out;
  if (rc == 0) {
    auto deadline = std::chrono::steady_clock::now() + timeout;
    char buf[16384];
    while (std::chrono::steady_clock::now() < deadline) {
      pollfd p{fds[0], POLLIN, 0};
      if (poll(&p, 1, 100) <= 0) continue;
      ssize_t n = read(fds[0], buf, sizeof(buf));
      if (n <= 0) break;
      out.append(buf, static_cast<size_t>(n));
    }
    kill(pid, SIGKILL);  // harmless if it already exited; bounds a hung git
    int status = 0;
    waitpid(pid, &status, 0);
    if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) out.clear();
  }
  close(fds[0]);
  return out;
}

std::string Trimmed(const std::string& s) { return std::string(absl::StripAsciiWhitespace(s)); }

}  // namespace

HostFacts ProbeHost() {
  HostFacts facts;
  utsname u{};
  if (uname(&u) == 0) {
    facts.os = absl::StrCat(u.sysname, "-", u.release, "-", u.machine, "-with-glibc",
                            gnu_get_libc_version());
    facts.host = u.nodename;
  }
  facts.cpu_count_logical = static_cast<int>(std::thread::hardware_concurrency());
  facts.cpu_count = CountPhysicalCores(ReadFileToString("/proc/cpuinfo").value_or(""));
  if (facts.cpu_count == 0) facts.cpu_count = facts.cpu_count_logical;
  facts.memory_total = MemTotalBytes(ReadFileToString("/proc/meminfo").value_or(""));
  return facts;
}

int CountPhysicalCores(const std::string& cpuinfo) {
  std::set<std::pair<std::string, std::string>> cores;
  std::string physical_id;
  for (absl::string_view line : absl::StrSplit(cpuinfo, '\n')) {
    std::pair<absl::string_view, absl::string_view> kv =
        absl::StrSplit(line, absl::MaxSplits(':', 1));
    absl::string_view key = absl::StripAsciiWhitespace(kv.first);
    absl::string_view value = absl::StripAsciiWhitespace(kv.second);
    if (key == "physical id") physical_id = std::string(value);
    if (key == "core id") cores.emplace(physical_id, std::string(value));
  }
  return static_cast<int>(cores.size());
}

uint64_t MemTotalBytes(const std::string& meminfo) {
  for (absl::string_view line : absl::StrSplit(meminfo, '\n')) {
    if (!absl::ConsumePrefix(&line, "MemTotal:")) continue;
    line = absl::StripAsciiWhitespace(line);
    uint64_t kib = 0;
    if (absl::ConsumeSuffix(&line, " kB") && absl::SimpleAtoi(line, &kib)) return kib * 1024;
  }
  return 0;
}

std::map<std::string, std::string> SlurmVariables(const std::string& environ) {
  std::map<std::string, std::string> out;
  for (absl::string_view entry : absl::StrSplit(environ, '\0', absl::SkipEmpty())) {
    if (!absl::ConsumePrefix(&entry, "SLURM_")) continue;
    size_t eq = entry.find('=');
    if (eq == absl::string_view::npos || eq == 0) continue;
    out[absl::AsciiStrToLower(entry.substr(0, eq))] = std::string(entry.substr(eq + 1));
  }
  return out;
}

GitInfo ProbeGit(const std::string& dir) {
  GitInfo git;
  git.commit = Trimmed(RunGit(dir, {"rev-parse", "HEAD"}));
  if (!git.commit.empty()) git.remote = Trimmed(RunGit(dir, {"remote", "get-url", "origin"}));
  return git;
}

std::string GitDiffHead(const std::string& dir) {
  return RunGit(dir, {"diff", "HEAD"}, std::chrono::seconds(10));
}

}  // namespace wandb::service
