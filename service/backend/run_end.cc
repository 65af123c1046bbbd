#include "service/backend/run_end.h"

namespace wandb::service {

RunEnd DecideRunEnd(std::optional<int> exit_code, bool stop_requested) {
  if (stop_requested) return {kStoppedExitCode, RunOutcome::kStopped};
  int code = exit_code.value_or(kCrashedExitCode);
  return {code, code == 0 ? RunOutcome::kFinished : RunOutcome::kCrashed};
}

}  // namespace wandb::service
