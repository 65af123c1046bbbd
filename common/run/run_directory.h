// Where a run's files live: wandb's run-directory layout.
//
//   <root>/wandb/latest-run -> offline-run-YYYYMMDD_HHMMSS-<id>
//   <root>/wandb/offline-run-YYYYMMDD_HHMMSS-<id>/{run-<id>.wandb, files/, logs/}
#ifndef WANDB_COMMON_RUN_RUN_DIRECTORY_H_
#define WANDB_COMMON_RUN_RUN_DIRECTORY_H_

#include <string>

#include "absl/status/status.h"
#include "absl/time/time.h"

namespace wandb {

struct RunDirectory {
  std::string wandb_dir;  // <root>/wandb (or <root>/.wandb when that exists)
  std::string run_dir;
  std::string files_dir;
  std::string logs_dir;
  std::string log_path;  // the transaction log run-<id>.wandb
  // Held (flock) by the daemon whose stream writes the run: a run whose lock is free has no
  // live writer, so another daemon may complete it.
  std::string lock_path;

  // `offline` picks the "offline-run-" prefix. The timestamp is local time, as wandb's.
  static RunDirectory For(const std::string& root_dir, bool offline, absl::Time start_time,
                          const std::string& run_id);
  // The directory `run_dir` (an existing run's, as For() named it) of run `run_id`.
  static RunDirectory At(const std::string& run_dir, const std::string& run_id);

  // Makes run_dir, files/ and logs/ (and parents).
  absl::Status Create() const;

  // Points wandb/latest-run, wandb/debug.log and wandb/debug-internal.log at this run,
  // each replaced atomically (temporary link + rename).
  absl::Status LinkAsLatest() const;
};

// mkdir -p with `mode` for the directories it makes.
absl::Status MakeDirectories(const std::string& path, int mode = 0755);

// Writes `contents` to `path` through a temporary file and rename(2), so readers never see
// a half-written file.
absl::Status WriteFileAtomically(const std::string& path, absl::string_view contents);

}  // namespace wandb

#endif  // WANDB_COMMON_RUN_RUN_DIRECTORY_H_
