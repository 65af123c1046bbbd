#include "service/backend/run_end.h"

#include <catch2/catch.hpp>

namespace wandb::service {

TEST_CASE("DecideRunEnd: a stop request decides, else the exit code", "[run_end]") {
  // finish() with an exit code, no stop.
  CHECK(DecideRunEnd(0, false) == RunEnd{0, RunOutcome::kFinished});
  CHECK(DecideRunEnd(3, false) == RunEnd{3, RunOutcome::kCrashed});
  // A program's own 255 is not a stop.
  CHECK(DecideRunEnd(255, false) == RunEnd{255, RunOutcome::kCrashed});
  // No exit code: the process died, or the log ends before its exit.
  CHECK(DecideRunEnd(std::nullopt, false) == RunEnd{kCrashedExitCode, RunOutcome::kCrashed});
  // Asked to stop: caught the SIGINT and returned 0, failed, died of it, or exited 255.
  for (std::optional<int> code : {std::optional<int>(0), std::optional<int>(1),
                                  std::optional<int>(255), std::optional<int>()}) {
    CHECK(DecideRunEnd(code, true) == RunEnd{kStoppedExitCode, RunOutcome::kStopped});
  }
}

}  // namespace wandb::service
