// `wandb-cpp sync --clean [DIR...] [--clean-old-hours H] [--clean-force]`: deletes run
// directories that were synced to W&B, as wandb's `wandb sync --clean` does. A run directory
// counts as synced when it has the run-<id>.wandb.synced mark that `wandb-cpp sync` (or
// wandb's own `wandb sync`) leaves beside its log once the run is on W&B whole.
//
// Which directories: a DIR that is a run directory is itself (whatever its age, as wandb
// treats a path it is given); a DIR that holds run directories (run-*/ and offline-run-*/),
// and ./wandb (or $WANDB_DIR/wandb) when no DIR is given, gives those of them that started
// more than H hours ago (the time in their name; H default 24, as wandb's). Unlike wandb, a
// run directory without the mark is never deleted, even when named: it is listed as kept.
// A run a daemon is writing (a resumed run) is kept too.
//
// Before deleting, the runs are listed and the user is asked to confirm (y/yes), unless
// --clean-force. Exit codes: 0 done (or nothing to delete); 1 not confirmed, or a DIR or a
// deletion failed; 2 usage.
#ifndef WANDB_CLI_SYNC_CLEAN_H_
#define WANDB_CLI_SYNC_CLEAN_H_

#include <istream>
#include <ostream>
#include <string>
#include <vector>

#include "absl/time/time.h"

namespace wandb::cli {

struct SyncCleanOptions {
  std::vector<std::string> dirs;  // empty: $WANDB_DIR/wandb, else ./wandb
  int old_hours = 24;
  bool force = false;  // no confirmation prompt
};

// `now` is the time ages are measured from (absl::Now() outside tests).
int RunSyncClean(const SyncCleanOptions& options, absl::Time now, std::istream& in,
                 std::ostream& out, std::ostream& err);

}  // namespace wandb::cli

#endif  // WANDB_CLI_SYNC_CLEAN_H_
