#include "common/util/process_start.h"

#include <sys/wait.h>
#include <unistd.h>

#include <catch2/catch.hpp>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"

namespace wandb {
namespace {

// A pid that is surely not alive: a child that has exited and been reaped.
pid_t DeadPid() {
  pid_t pid = fork();
  if (pid == 0) _exit(0);
  int status = 0;
  waitpid(pid, &status, 0);
  return pid;
}

}  // namespace

TEST_CASE("ProcessStartUnixMs: this process started before now, and after the boot") {
  absl::StatusOr<std::optional<int64_t>> started = ProcessStartUnixMs("self");
  REQUIRE(started.ok());
  REQUIRE(started->has_value());
  CHECK(**started <= absl::ToUnixMillis(absl::Now()));
  CHECK(**started > 0);
}

TEST_CASE("ProcessStartUnixMs: a process that is gone is no process, not an error") {
  // A daemon's orphan recovery asks this of every dead client; it once aborted the daemon.
  pid_t gone = DeadPid();
  absl::StatusOr<std::optional<uint64_t>> ticks = ProcessStartTicks(absl::StrCat(gone));
  REQUIRE(ticks.ok());
  CHECK_FALSE(ticks->has_value());
  absl::StatusOr<std::optional<int64_t>> started = ProcessStartUnixMs(absl::StrCat(gone));
  REQUIRE(started.ok());
  CHECK_FALSE(started->has_value());
  CHECK(IsSameProcess(gone, absl::ToUnixMillis(absl::Now())) == false);
}

TEST_CASE("IsSameProcess: the same pid with another start time is another process") {
  absl::StatusOr<std::optional<int64_t>> started = ProcessStartUnixMs("self");
  REQUIRE(started.ok());
  REQUIRE(started->has_value());
  CHECK(IsSameProcess(getpid(), **started) == true);
  CHECK(IsSameProcess(getpid(), **started - 60'000) == false);
  CHECK(IsSameProcess(0, **started) == false);
}

}  // namespace wandb
