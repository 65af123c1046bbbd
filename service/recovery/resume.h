// wandb's resume rules against where runs are kept: the local store in local mode, the run
// root's earlier run directories in offline mode (wandb ignores resume offline; we replay the
// earlier directory's transaction log instead).
#ifndef WANDB_SERVICE_RECOVERY_RESUME_H_
#define WANDB_SERVICE_RECOVERY_RESUME_H_

#include <cstdint>
#include <optional>
#include <string>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "service/backend/backend_factory.h"
#include "wandb/records.pb.h"
#include "wandb/service.pb.h"

namespace wandb::service {

// Where a resumed run goes on from.
struct ResumePoint {
  int64_t starting_step = 0;  // the last stored step + 1
  std::string config_json = "{}";
  std::string summary_json = "{}";
  absl::Duration runtime;  // how long the run has run so far
};

// The run's resume point when it is to be continued; nullopt for a new run. A run that
// resume "must" continue but does not exist, or that "never" (or no resume setting) allows
// but exists, is a FailedPrecondition / AlreadyExists naming it.
absl::StatusOr<std::optional<ResumePoint>> FindResumePoint(const StartRunRequest& request,
                                                           BackendFactory& backends);

// Makes `run` go on from `point`: its starting step, its start time moved back by the runtime
// so far, the stored config under the new one, and the stored summary.
absl::Status ApplyResume(const ResumePoint& point, records::RunRecord* run);

}  // namespace wandb::service

#endif  // WANDB_SERVICE_RECOVERY_RESUME_H_
