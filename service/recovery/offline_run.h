// Reading a run directory after the fact, as `wandb-cpp import` (into the local store) and
// `wandb-cpp sync` (to W&B) do: finding its log, what a first pass over the log tells, and the
// run directory's lock, which keeps daemons away from the run while it is read.
#ifndef WANDB_SERVICE_RECOVERY_OFFLINE_RUN_H_
#define WANDB_SERVICE_RECOVERY_OFFLINE_RUN_H_

#include <cstdint>
#include <optional>
#include <string>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "common/ipc/file_lock.h"
#include "wandb/records.pb.h"

namespace wandb::service {

// The transaction log of the run directory `dir`: its single run-<id>.wandb. NotFound when it
// has none, InvalidArgument when it has several.
absl::StatusOr<std::string> FindRunLog(const std::string& dir);

// Whether `dir` is a run directory (it holds a run-<id>.wandb).
bool IsRunDirectory(const std::string& dir);

struct RunDirectoryPaths {
  std::string run_dir;   // absolute, symlinks resolved
  std::string log_path;  // run_dir/run-<id>.wandb
};

// `dir` resolved, and its log (FindRunLog). NotFound when `dir` cannot be opened,
// InvalidArgument when it is no directory.
absl::StatusOr<RunDirectoryPaths> OpenRunDirectory(const std::string& dir);

// What a first pass over the log tells, before anything is sent anywhere.
struct LogFacts {
  std::optional<records::RunRecord> run;  // the first run record
  std::optional<int> exit_code;           // from the exit record
  int64_t history_rows = 0;
  std::string last_runtime_json;  // the last row's _runtime
  uint64_t end_offset = 0;        // just past the last complete record
  bool truncated = false;         // the log ends inside a record
};

// Corrupt bytes are skipped (a replay skips the same bytes and says so); a log cut short at
// its end is read up to there (`truncated`).
absl::StatusOr<LogFacts> ReadLogFacts(const std::string& log_path);

// ReadLogFacts for a log that must start a run: FailedPrecondition when it has no run record
// or its run id is malformed. Every error names the log.
absl::StatusOr<LogFacts> ReadRunFacts(const std::string& log_path);

// Takes the lock of run directory `run_dir` (nullopt when it has no logs/, as a copied
// directory may not). A daemon lets go of a finished run's lock shortly after the finish, so
// a log that has its exit (`log_has_exit`) is waited for a few seconds. FailedPrecondition,
// naming `run_name`, while a daemon is writing the run.
absl::StatusOr<std::optional<FileLock>> LockEndedRun(const std::string& run_dir, bool log_has_exit,
                                                     const std::string& run_name);

}  // namespace wandb::service

#endif  // WANDB_SERVICE_RECOVERY_OFFLINE_RUN_H_
