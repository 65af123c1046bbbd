// `wandb-cpp sync`: sends a run directory (an offline run, or an online run whose upload did
// not finish) to a W&B server, as wandb's `wandb sync` does, with the daemon's own W&B
// backend: the log is replayed into it (run, config, history, system metrics, console,
// summary), the files under files/ are uploaded, and the run is finished with the exit its
// log records (a log without one: crashed, exit code 1).
//
// Idempotent, as wandb's: a run sent whole is marked with an empty run-<id>.wandb.synced
// beside its log, and a marked run is not sent again. A sync that fails part-way leaves no
// mark; the next one sends the run again, which file_stream's offsets make harmless (lines
// are overwritten, not added), and an online run's logs/upload-progress.json makes it skip
// what the server already has.
#ifndef WANDB_SERVICE_RECOVERY_WANDB_SYNC_H_
#define WANDB_SERVICE_RECOVERY_WANDB_SYNC_H_

#include <cstdint>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "wandb/service.pb.h"

namespace wandb::service {

struct WandbSyncOptions {
  OnlineOptions online;  // the server and the key
  // Where the run goes; empty: the log's (the entity: the key's default entity).
  std::string entity;
  std::string project;
  std::string run_id;  // the run's id on the server; empty: the log's (wandb sync --id)
  // How long failures that may heal (network, 5xx, 429) are retried, with wandb's backoff.
  absl::Duration give_up_after = absl::Minutes(10);
  // Send a run marked synced again (wandb's --include-synced).
  bool include_synced = false;
};

struct WandbSyncResult {
  bool already_synced = false;  // marked: nothing was sent
  std::string run_dir;          // absolute, symlinks resolved
  std::string run_id;
  std::string run_url;  // the run's page on the server
  int64_t history_rows = 0;
  int64_t files_uploaded = 0;
  int64_t files_unchanged = 0;
  int64_t files_failed = 0;  // see warnings; the run is then not marked
  int64_t bytes_uploaded = 0;
  int exit_code = 0;
  bool log_has_exit = false;
  std::vector<std::string> warnings;
};

// The mark of a run sent whole: <log>.synced.
std::string SyncedMarkPath(const std::string& log_path);

// Sends the run in `dir` to the server. Fails when the directory holds no readable log or no
// run record, when a daemon is still writing the run, when the server refuses it for good (a
// bad key), or when it stays unreachable for `give_up_after`.
absl::StatusOr<WandbSyncResult> SyncToWandb(const std::string& dir,
                                            const WandbSyncOptions& options);

}  // namespace wandb::service

#endif  // WANDB_SERVICE_RECOVERY_WANDB_SYNC_H_
