// Re-attaching a run whose daemon died mid-run (kill -9, a crash): the client that is still
// alive asks a new daemon to continue the run in the directory the dead one was writing.
// The log is cut back to its last safe cut point (logs/log-cut), and the handler's state
// there (next step, config, summary, rows so far) is rebuilt by replaying the log up to it;
// the client then sends again every batch after it.
#ifndef WANDB_SERVICE_RECOVERY_REATTACH_H_
#define WANDB_SERVICE_RECOVERY_REATTACH_H_

#include <cstdint>
#include <optional>
#include <string>

#include "absl/status/statusor.h"
#include "common/ipc/file_lock.h"
#include "common/run/run_directory.h"
#include "service/backend/backend_factory.h"
#include "service/replay/log_cut_file.h"
#include "service/state/sampled_history.h"
#include "wandb/records.pb.h"
#include "wandb/service.pb.h"

namespace wandb::service {

// Where a re-attached run goes on from.
struct ReattachPoint {
  RunDirectory dir;
  FileLock lock;  // the run directory's, taken before anything was read
  // The run as its log started it, with the config and summary at the cut and the step
  // after the last row as its starting step.
  records::RunRecord run;
  int64_t rows = 0;        // history rows in the log up to the cut
  SampledHistory sampled;  // of those rows, for finish's sparklines
  LogCut cut;
};

// The file beside the log that holds its cut point.
std::string LogCutPath(const RunDirectory& dir);

// Takes the run directory `request.reattach_run_dir()`, checks that the run may be continued
// and cuts its log back to the cut point. Refused (FailedPrecondition) when the run has
// finished: its log ends with an exit (finish(), or `wandb-cpp daemon stop`), or the local
// store has it finished (a daemon completed it as crashed). Unavailable while another daemon
// holds the directory.
absl::StatusOr<ReattachPoint> PrepareReattach(const StartRunRequest& request,
                                              BackendFactory& backends);

}  // namespace wandb::service

#endif  // WANDB_SERVICE_RECOVERY_REATTACH_H_
