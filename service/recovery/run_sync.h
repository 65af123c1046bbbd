// `wandb-cpp import`: imports a run directory (an offline run, or any run whose log the store
// lacks) into the local store by replaying its transaction log, as a later daemon completes a
// run a dead daemon left behind (orphan_recovery.cc), then storing the files under files/
// and finishing the run with the exit its log records.
//
// Idempotent: history rows already stored are skipped, a file whose content equals its latest
// stored version adds no version, and a run the store already holds whole from this
// directory (finished, with the log read to its end) is left untouched ("already synced").
//
// A resumed run has a directory per part, each log holding the whole config and summary so
// far. The part that goes furthest is the run's: a directory whose log starts at or before
// the stored run's last step while the store has the run (ended) from another directory is an
// earlier part, which adds only the rows and files the store lacks. So the parts may be synced
// in any order, and again, with the same result.
#ifndef WANDB_SERVICE_RECOVERY_RUN_SYNC_H_
#define WANDB_SERVICE_RECOVERY_RUN_SYNC_H_

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "service/backend/run_end.h"
#include "service/recovery/offline_run.h"
#include "service/store/local_store.h"

namespace wandb::service {

struct RunSyncOptions {
  // The entity of a run whose log names none; empty: the OS user's name, else "local".
  std::string default_entity;
};

enum class RunSyncOutcome {
  kSynced,         // replayed into the store (created, completed or brought up to date)
  kAlreadySynced,  // the store already had all of it: nothing was written
  // An earlier part of a resumed run whose later part the store has: only the rows and files
  // the store lacked were added; the run's state, config and summary stay the later part's.
  kEarlierPart,
};

struct RunSyncResult {
  RunSyncOutcome outcome = RunSyncOutcome::kSynced;
  store::RunKey key;
  std::string run_dir;             // absolute, symlinks resolved
  std::string log_path;            // run_dir/run-<id>.wandb
  int64_t history_rows = 0;        // rows in the log
  int64_t history_rows_added = 0;  // kEarlierPart: of those, rows the store did not have
  int64_t files_stored = 0;        // files whose content became a new version
  int64_t files_unchanged = 0;     // files whose content the store already had as latest
  int64_t files_failed = 0;        // files that could not be stored (see warnings)
  int64_t bytes_stored = 0;        // bytes of the new versions
  int exit_code = 0;
  store::RunState state = store::RunState::kFinished;
  absl::Duration runtime = absl::ZeroDuration();
  bool log_has_exit = false;  // false: the log ends before the run's exit
  // Things a person should know that did not stop the sync (a log cut short, a file that
  // could not be read).
  std::vector<std::string> warnings;
};

// Imports the run in `dir` into `store`. Fails, changing nothing, when the directory holds no
// readable log, when the log has no run record or is corrupt before its end (a log cut short
// at the end, as a killed process leaves it, is synced up to there), and when a live daemon is
// still writing the run. A failure of the store midway is returned as is.
absl::StatusOr<RunSyncResult> SyncRunDirectory(const std::shared_ptr<store::LocalStore>& store,
                                               const std::string& dir,
                                               const RunSyncOptions& options = {});

}  // namespace wandb::service

#endif  // WANDB_SERVICE_RECOVERY_RUN_SYNC_H_
