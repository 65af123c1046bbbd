#include "service/system/host_facts.h"

#include <fcntl.h>
#include <gnu/libc-version.h>
#include <poll.h>
#include <spawn.h>
#include <sys/utsname.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <thread>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"

extern char** environ;

namespace wandb::service {
namespace {

// Output of `git -C dir args...`, or "" on any failure or after ~2 s.
std::string RunGit(const std::string& dir, std::vector<std::string> args) {
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
    auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(2);
    char buf[512];
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
  return std::string(absl::StripAsciiWhitespace(out));
}

}  // namespace

HostFacts ProbeHost() {
  HostFacts facts;
  utsname u{};
  if (uname(&u) == 0) {
    facts.os = absl::StrCat(u.sysname, "-", u.release, "-", u.machine, "-with-glibc",
                            gnu_get_libc_version());
    facts.host = u.nodename;
  }
  facts.cpu_count = static_cast<int>(std::thread::hardware_concurrency());
  return facts;
}

GitInfo ProbeGit(const std::string& dir) {
  GitInfo git;
  git.commit = RunGit(dir, {"rev-parse", "HEAD"});
  if (!git.commit.empty()) git.remote = RunGit(dir, {"remote", "get-url", "origin"});
  return git;
}

}  // namespace wandb::service
