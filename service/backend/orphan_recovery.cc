#include "service/backend/orphan_recovery.h"

#include <filesystem>

#include "absl/strings/str_cat.h"
#include "common/ipc/file_lock.h"
#include "service/backend/local_backend.h"
#include "service/stream/log_replayer.h"

namespace wandb::service {
namespace {

// The exit code recorded for a run whose log ends without one.
constexpr int kNoExitCode = 1;

absl::Status Recover(const std::shared_ptr<store::LocalStore>& store, const store::RunRow& run) {
  LocalBackend backend(store, run.key, run.run_dir);
  // The whole log, from the start: rows already stored are skipped, and config and summary
  // are rebuilt whole rather than patched from the middle.
  LogReplayer replayer(absl::StrCat(run.run_dir, "/run-", run.key.id, ".wandb"), run.run_dir,
                       &backend, /*on_files=*/nullptr);
  absl::Status replayed = replayer.CatchUp();
  if (replayed.ok()) replayed = replayer.SendSummary();
  int exit_code = replayer.exit_code().value_or(kNoExitCode);
  RunOutcome outcome = exit_code == 0 ? RunOutcome::kFinished : RunOutcome::kCrashed;
  absl::Duration runtime = replayer.exit_runtime().has_value()
                               ? absl::Seconds(*replayer.exit_runtime())
                               : run.heartbeat_time - run.start_time;
  // Finished even when the log could not be read whole: the run is over either way.
  absl::Status finished = backend.FinishRun(exit_code, outcome, runtime);
  return replayed.ok() ? finished : replayed;
}

}  // namespace

int RecoverOrphanedRuns(const std::shared_ptr<store::LocalStore>& store, Logger* log) {
  absl::StatusOr<std::vector<store::RunRow>> runs = store->ListRuns();
  if (!runs.ok()) {
    log->Warning("recovery: cannot list the runs of %s: %s", store->dir(),
                 runs.status().ToString());
    return 0;
  }
  int recovered = 0;
  for (const store::RunRow& run : *runs) {
    if (run.state != store::RunState::kRunning || run.run_dir.empty()) continue;
    absl::Status s;
    if (std::error_code ec; !std::filesystem::is_directory(run.run_dir, ec)) {
      // Its directory was deleted: nothing to replay, but the run is over.
      s = store->FinishRun(run.key, kNoExitCode, store::RunState::kCrashed,
                           run.heartbeat_time - run.start_time);
    } else {
      absl::StatusOr<FileLock> lock = FileLock::TryAcquire(run.run_dir + "/logs/run.lock");
      if (!lock.ok()) continue;  // a daemon is writing it
      s = Recover(store, run);
    }
    log->Info("recovery: run %s was left running; completed from its log: %s", run.key.ToString(),
              s.ToString());
    ++recovered;
  }
  return recovered;
}

}  // namespace wandb::service
