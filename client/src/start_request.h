// The StartRun request for a run: its settings as the daemon takes them. A pure function of
// its inputs, so a unit test checks every setting's mapping.
#ifndef WANDB_CLIENT_SRC_START_REQUEST_H_
#define WANDB_CLIENT_SRC_START_REQUEST_H_

#include "absl/time/time.h"
#include "client/src/settings_resolver.h"
#include "wandb/service.pb.h"

namespace wandb::internal {

// `process` describes the training process (CurrentProcessInfo()); `start_time` is the run's.
service::StartRunRequest BuildStartRequest(const ResolvedSettings& settings,
                                           service::ProcessInfo process, absl::Time start_time);

}  // namespace wandb::internal

#endif  // WANDB_CLIENT_SRC_START_REQUEST_H_
