// What the file-saving tests share: a private directory under /tmp, file writes with a
// chosen mtime, and waiting for a condition with a generous deadline (never a bare sleep
// that assumes something happens in time).
#ifndef WANDB_TESTS_UNIT_FILES_FILES_TEST_SUPPORT_H_
#define WANDB_TESTS_UNIT_FILES_FILES_TEST_SUPPORT_H_

#include <fcntl.h>
#include <stdlib.h>
#include <sys/stat.h>

#include <catch2/catch.hpp>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <functional>
#include <string>
#include <thread>

#include "absl/time/time.h"
#include "tests/support/temp_dir.h"

namespace wandb::files::testing {

using ::wandb::testing::TempDir;

inline void WriteFile(const std::string& path, const std::string& bytes) {
  ::wandb::testing::WriteBytes(path, bytes);
}

inline void AppendFile(const std::string& path, const std::string& bytes) {
  std::ofstream out(path, std::ios::binary | std::ios::app);
  out << bytes;
  REQUIRE(out.good());
}

// Sets the file's mtime to `seconds` after the epoch, so tests decide what "changed" means.
inline void SetMtime(const std::string& path, int64_t seconds) {
  timespec times[2] = {{.tv_sec = seconds, .tv_nsec = 0}, {.tv_sec = seconds, .tv_nsec = 0}};
  REQUIRE(utimensat(AT_FDCWD, path.c_str(), times, 0) == 0);
}

// Writes `bytes` to `path` and gives it mtime `seconds`.
inline void WriteFileAt(const std::string& path, const std::string& bytes, int64_t seconds) {
  WriteFile(path, bytes);
  SetMtime(path, seconds);
}

// Polls `condition` every few milliseconds until it holds or `timeout` passes.
inline bool WaitUntil(const std::function<bool()>& condition,
                      absl::Duration timeout = absl::Seconds(5)) {
  absl::Time deadline = absl::Now() + timeout;
  while (absl::Now() < deadline) {
    if (condition()) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  return condition();
}

}  // namespace wandb::files::testing

#endif  // WANDB_TESTS_UNIT_FILES_FILES_TEST_SUPPORT_H_
