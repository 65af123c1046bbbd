// What W&B has acknowledged of a run's file_stream files, kept in the run directory
// (logs/upload-progress.json) so that a daemon that takes the run over after its daemon died
// (kill -9, then re-attach) goes on where the dead one stopped instead of sending the run again.
//
// The file may lag the server (the daemon can die between an answer and the write): what it
// does not record is sent again at the same offsets, which file_stream overwrites, so a lag
// costs requests, never rows. It is replaced whole (temporary file + rename) and not fsynced
// for the same reason: losing it only means sending again.
#ifndef WANDB_SERVICE_BACKEND_UPLOAD_PROGRESS_H_
#define WANDB_SERVICE_BACKEND_UPLOAD_PROGRESS_H_

#include <cstdint>
#include <optional>
#include <string>

#include "absl/status/statusor.h"
#include "absl/time/time.h"

namespace wandb::service {

struct UploadProgress {
  // The run it is about on which server ("<base_url> <entity> <project> <run id>", the
  // entity as configured): a sync of the directory elsewhere starts from nothing.
  std::string target;
  int64_t history_lines = 0;                       // wandb-history.jsonl's next offset
  std::optional<int64_t> last_step;                // the last history row's step the server has
  int64_t events_lines = 0;                        // wandb-events.jsonl's next offset
  absl::Time last_stats = absl::InfinitePast();    // the last system-metrics sample's time
  int64_t console_lines = 0;                       // output.log's next offset
  absl::Time last_console = absl::InfinitePast();  // the last console line's time

  bool operator==(const UploadProgress&) const = default;
};

// <run_dir>/logs/upload-progress.json
std::string UploadProgressPath(const std::string& run_dir);

// NotFound when the run has none (it was never sent, or by a daemon of before this file);
// InvalidArgument when it is not what WriteUploadProgress writes.
absl::StatusOr<UploadProgress> ReadUploadProgress(const std::string& path);
absl::Status WriteUploadProgress(const std::string& path, const UploadProgress& progress);

}  // namespace wandb::service

#endif  // WANDB_SERVICE_BACKEND_UPLOAD_PROGRESS_H_
