// wandb::restore(): asks the daemon where the latest stored version of a run's file is, and
// copies it into place (reference section 10).
#ifndef WANDB_CLIENT_SRC_RESTORE_H_
#define WANDB_CLIENT_SRC_RESTORE_H_

#include <string>

#include "absl/status/statusor.h"
#include "client/src/client_run.h"
#include "wandb/wandb.h"

namespace wandb::internal {

// `active` is the process's current run, or nullptr. InvalidArgument for a name that leaves
// the root; NotFound for a run or file the store does not have.
absl::StatusOr<std::string> Restore(const std::string& name, const RestoreOptions& options,
                                    const ClientRun* active);

}  // namespace wandb::internal

#endif  // WANDB_CLIENT_SRC_RESTORE_H_
