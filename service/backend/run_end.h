// How a run ended: decided in one place, for every way a run ends.
//
// - finish(): the program's exit code (Stream::Finish);
// - the training process died: the daemon finishes the run without an exit code (the
//   registry's reaper, a daemon shutting down);
// - the daemon died: the client re-attaches the run to a new daemon and finishes it there
//   (the first path again), or, the client gone too, a later daemon completes it from its log
//   (recovery/orphan_recovery.cc);
// - import (`wandb-cpp import`, recovery/run_sync.cc): the exit its log records.
//
// Each path reads whether a stop was requested once (the backend's answer, the store's flag)
// and passes it here with the exit code it has.
#ifndef WANDB_SERVICE_BACKEND_RUN_END_H_
#define WANDB_SERVICE_BACKEND_RUN_END_H_

#include <optional>

namespace wandb::service {

// How a run ended, for the backend's run state.
enum class RunOutcome { kFinished, kCrashed, kStopped };

// The exit code of a run that ended because a stop was requested, as wandb records it (the
// KeyboardInterrupt a stop request raises in a Python program).
inline constexpr int kStoppedExitCode = 255;

// The exit code of a run whose program never told one: it died (killed, crashed), or its log
// ends before its exit record.
inline constexpr int kCrashedExitCode = 1;

struct RunEnd {
  int exit_code = 0;
  RunOutcome outcome = RunOutcome::kFinished;

  bool operator==(const RunEnd&) const = default;
};

// `exit_code`: the program's, nullopt when it never told one. A run asked to stop ended
// because of it, whatever its code (the program caught the SIGINT and returned 0, or died of
// it): stopped, with exit code 255. Otherwise 0 is finished, and anything else crashed.
RunEnd DecideRunEnd(std::optional<int> exit_code, bool stop_requested);

}  // namespace wandb::service

#endif  // WANDB_SERVICE_BACKEND_RUN_END_H_
