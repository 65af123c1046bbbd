#include "common/ipc/file_lock.h"

#include <stdlib.h>
#include <sys/stat.h>

#include <catch2/catch.hpp>
#include <chrono>
#include <filesystem>
#include <optional>
#include <string>
#include <thread>

#include "absl/time/clock.h"
#include "tests/support/temp_dir.h"

namespace wandb {
namespace {

using ::wandb::testing::TempDir;

void RequireHeld(const std::string& path) {
  absl::StatusOr<FileLock> again = FileLock::TryAcquire(path);
  REQUIRE_FALSE(again.ok());
  CHECK(absl::IsUnavailable(again.status()));
  CHECK(std::string(again.status().message()) == path + " is held");
}

void RequireFree(const std::string& path) {
  absl::StatusOr<FileLock> lock = FileLock::TryAcquire(path);
  INFO(lock.status().ToString());
  REQUIRE(lock.ok());
}

TEST_CASE("FileLock: a second TryAcquire fails while the first is held", "[file_lock]") {
  TempDir tmp;
  std::string path = tmp.File("daemon.lock");
  {
    absl::StatusOr<FileLock> first = FileLock::TryAcquire(path);
    REQUIRE(first.ok());
    CHECK(std::filesystem::exists(path));
    // flock belongs to the open file description, so this holds within one process.
    RequireHeld(path);
    RequireHeld(path);  // a failed attempt does not disturb the holder
  }
  // Released on destruction; the file itself stays.
  CHECK(std::filesystem::exists(path));
  RequireFree(path);
  RequireFree(path);
}

TEST_CASE("FileLock: the lock file is private to the user", "[file_lock]") {
  TempDir tmp;
  std::string path = tmp.File("private.lock");
  mode_t old = umask(0);
  absl::StatusOr<FileLock> lock = FileLock::TryAcquire(path);
  umask(old);
  REQUIRE(lock.ok());
  struct stat st;
  REQUIRE(stat(path.c_str(), &st) == 0);
  CHECK((st.st_mode & 0777) == 0600);
}

TEST_CASE("FileLock: locks on different paths are independent", "[file_lock]") {
  TempDir tmp;
  absl::StatusOr<FileLock> a = FileLock::TryAcquire(tmp.File("a"));
  absl::StatusOr<FileLock> b = FileLock::TryAcquire(tmp.File("b"));
  REQUIRE(a.ok());
  REQUIRE(b.ok());
  RequireHeld(tmp.File("a"));
  RequireHeld(tmp.File("b"));
}

TEST_CASE("FileLock: moving keeps the lock, move-assigning releases the target's", "[file_lock]") {
  TempDir tmp;
  std::string p1 = tmp.File("one");
  std::string p2 = tmp.File("two");
  std::optional<FileLock> holder;
  {
    absl::StatusOr<FileLock> lock = FileLock::TryAcquire(p1);
    REQUIRE(lock.ok());
    holder.emplace(*std::move(lock));
  }  // the moved-from FileLock inside the StatusOr is gone; the lock must survive it
  RequireHeld(p1);

  absl::StatusOr<FileLock> other = FileLock::TryAcquire(p2);
  REQUIRE(other.ok());
  *holder = *std::move(other);
  RequireFree(p1);  // the lock holder had on p1 was released by the assignment
  RequireHeld(p2);

  FileLock& self = *holder;
  *holder = std::move(self);  // self-assignment keeps the lock
  RequireHeld(p2);

  holder.reset();
  RequireFree(p2);
}

TEST_CASE("FileLock: Acquire times out while the lock is held", "[file_lock]") {
  TempDir tmp;
  std::string path = tmp.File("held.lock");
  absl::StatusOr<FileLock> first = FileLock::TryAcquire(path);
  REQUIRE(first.ok());
  absl::Time start = absl::Now();
  absl::StatusOr<FileLock> second = FileLock::Acquire(path, absl::Milliseconds(150));
  absl::Duration waited = absl::Now() - start;
  REQUIRE_FALSE(second.ok());
  CHECK(absl::IsUnavailable(second.status()));
  CHECK(waited >= absl::Milliseconds(150));
  CHECK(waited < absl::Seconds(5));
}

TEST_CASE("FileLock: Acquire gets the lock as soon as the holder lets go", "[file_lock]") {
  TempDir tmp;
  std::string path = tmp.File("handover.lock");
  std::optional<FileLock> held;
  {
    absl::StatusOr<FileLock> lock = FileLock::TryAcquire(path);
    REQUIRE(lock.ok());
    held.emplace(*std::move(lock));
  }
  std::thread releaser([&held] {
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
    held.reset();
  });
  absl::Time start = absl::Now();
  absl::StatusOr<FileLock> lock = FileLock::Acquire(path, absl::Seconds(10));
  absl::Duration waited = absl::Now() - start;
  releaser.join();
  REQUIRE(lock.ok());
  CHECK(waited >= absl::Milliseconds(50));
  CHECK(waited < absl::Seconds(5));
  RequireHeld(path);
}

TEST_CASE("FileLock: Acquire of a free lock with a zero timeout succeeds", "[file_lock]") {
  TempDir tmp;
  absl::StatusOr<FileLock> lock = FileLock::Acquire(tmp.File("free.lock"), absl::ZeroDuration());
  REQUIRE(lock.ok());
}

TEST_CASE("FileLock: a path that cannot be opened is an internal error, not Unavailable",
          "[file_lock]") {
  TempDir tmp;
  std::string path = tmp.File("missing-dir/x.lock");
  absl::StatusOr<FileLock> lock = FileLock::TryAcquire(path);
  REQUIRE_FALSE(lock.ok());
  CHECK(lock.status().code() == absl::StatusCode::kInternal);
  CHECK(std::string(lock.status().message()) ==
        "cannot open " + path + ": No such file or directory");
  // Acquire gives up at once rather than waiting out the timeout.
  absl::Time start = absl::Now();
  absl::StatusOr<FileLock> waited = FileLock::Acquire(path, absl::Seconds(10));
  CHECK(waited.status().code() == absl::StatusCode::kInternal);
  CHECK(absl::Now() - start < absl::Seconds(5));
}

}  // namespace
}  // namespace wandb
