// The daemon drops a row logged at a step lower than the run's current one, as wandb does.
// wandb also says so on the terminal; the daemon can only write its debug log, which nobody
// reads mid-run. StepWarnings follows the run's step on the client's side, by the same rules
// as the daemon's history (service/stream/history_accumulator.cc), to print that warning
// where the user sees it: on stderr, once per run and set of keys.
#ifndef WANDB_CLIENT_SRC_STEP_WARNINGS_H_
#define WANDB_CLIENT_SRC_STEP_WARNINGS_H_

#include <atomic>
#include <cstdint>
#include <optional>
#include <set>
#include <string>

#include "absl/base/thread_annotations.h"
#include "absl/synchronization/mutex.h"
#include "wandb/value.h"

namespace wandb::internal {

class StepWarnings {
 public:
  // `step`: the run's first step (after a resume, the step it goes on from).
  explicit StepWarnings(int64_t step) : step_(step) {}

  // Follows one log() call; the warning to print when the daemon will drop its row, else "".
  // Concurrent calls with explicit steps race as they race to the daemon; the warning is
  // advice, the daemon's rule is what holds.
  std::string OnLog(const std::string& run_id, const Value::Map& data, std::optional<int64_t> step,
                    bool commit);

 private:
  std::atomic<int64_t> step_;  // the step of the row being built
  absl::Mutex mu_;
  std::set<std::string> warned_ ABSL_GUARDED_BY(mu_);  // key sets warned about
};

}  // namespace wandb::internal

#endif  // WANDB_CLIENT_SRC_STEP_WARNINGS_H_
