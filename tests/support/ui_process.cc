#include "tests/support/ui_process.h"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <stdexcept>

#include "tests/support/test_env.h"

extern char** environ;

namespace wandb::testing {

UiProcess::UiProcess(const std::string& store_dir, const std::vector<std::string>& extra_args) {
  std::vector<std::string> argv_store = {
      WANDB_TEST_BIN_DIR "/wandb-cpp", "ui", "--port", "0", "--store", store_dir};
  argv_store.insert(argv_store.end(), extra_args.begin(), extra_args.end());
  std::vector<char*> argv;
  for (std::string& a : argv_store) argv.push_back(a.data());
  argv.push_back(nullptr);
  int out[2];
  if (pipe2(out, O_CLOEXEC) != 0) throw std::runtime_error("pipe2 failed");
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0);
  posix_spawn_file_actions_adddup2(&actions, out[1], 1);
  const int spawned = posix_spawn(&pid_, argv[0], &actions, nullptr, argv.data(), environ);
  posix_spawn_file_actions_destroy(&actions);
  close(out[1]);
  out_fd_ = out[0];
  if (spawned != 0) throw std::runtime_error("cannot spawn wandb-cpp ui");

  // The first line: "wandb-cpp ui: http://127.0.0.1:PORT/[?token=...]".
  std::string text;
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(20);
  while (text.find('\n') == std::string::npos && std::chrono::steady_clock::now() < deadline) {
    pollfd p{out_fd_, POLLIN, 0};
    if (poll(&p, 1, 100) <= 0) continue;
    char buffer[512];
    ssize_t n = read(out_fd_, buffer, sizeof buffer);
    if (n <= 0) break;
    text.append(buffer, n);
  }
  const std::string prefix = "wandb-cpp ui: ";
  const size_t newline = text.find('\n');
  if (newline == std::string::npos || text.rfind(prefix, 0) != 0) {
    throw std::runtime_error("wandb-cpp ui printed no URL: '" + text + "'");
  }
  url_ = text.substr(prefix.size(), newline - prefix.size());
  const size_t colon = url_.find(':', url_.find("//"));
  port_ = std::atoi(url_.c_str() + colon + 1);
}

UiProcess::~UiProcess() {
  if (pid_ > 0) {
    kill(pid_, SIGTERM);
    WaitExit(pid_, std::chrono::seconds(10));  // kills it when it does not stop
  }
  if (out_fd_ >= 0) close(out_fd_);
}

}  // namespace wandb::testing
