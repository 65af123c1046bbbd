// What the local-store tests share: a private temporary directory, whole-file reads and
// writes, and running a function in a forked child process.
#ifndef WANDB_TESTS_UNIT_STORE_STORE_TEST_SUPPORT_H_
#define WANDB_TESTS_UNIT_STORE_STORE_TEST_SUPPORT_H_

#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>

#include <catch2/catch.hpp>
#include <exception>
#include <filesystem>
#include <fstream>
#include <functional>
#include <iterator>
#include <string>

#include "tests/support/temp_dir.h"

namespace wandb::store::testing {

using ::wandb::testing::ReadBytes;
using ::wandb::testing::TempDir;
using ::wandb::testing::WriteBytes;

// Regular files anywhere under `dir`.
inline int CountFiles(const std::string& dir) {
  int count = 0;
  for (const auto& entry : std::filesystem::recursive_directory_iterator(dir)) {
    if (entry.is_regular_file()) ++count;
  }
  return count;
}

// Runs `body` in a forked child and returns its exit status (the body's return value; 99 for
// an exception, 98 when the child did not exit normally). The child leaves with _exit, so it
// never runs the parent's destructors or returns into the test framework; it must not use
// the parent's open stores.
inline int RunInChild(const std::function<int()>& body) {
  pid_t pid = fork();
  REQUIRE(pid >= 0);
  if (pid == 0) {
    int code = 99;
    try {
      code = body();
    } catch (...) {
    }
    _exit(code);
  }
  int status = 0;
  REQUIRE(waitpid(pid, &status, 0) == pid);
  return WIFEXITED(status) ? WEXITSTATUS(status) : 98;
}

}  // namespace wandb::store::testing

#endif  // WANDB_TESTS_UNIT_STORE_STORE_TEST_SUPPORT_H_
