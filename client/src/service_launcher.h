// Finds the wandb-service binary and starts it, detached, for the current user.
#ifndef WANDB_CLIENT_SRC_SERVICE_LAUNCHER_H_
#define WANDB_CLIENT_SRC_SERVICE_LAUNCHER_H_

#include <string>

#include "absl/status/statusor.h"
#include "common/ipc/service_endpoint.h"

namespace wandb::internal {

// $WANDB_CPP_SERVICE_PATH, else beside this library (same directory, ../bin,
// ../libexec/wandb-cpp), else wandb-service on PATH.
absl::StatusOr<std::string> FindServiceBinary();

// Starts the daemon with --detach and waits until it reports ready (or that another daemon
// already serves the socket).
absl::Status LaunchService(const ServiceEndpoint& endpoint);

}  // namespace wandb::internal

#endif  // WANDB_CLIENT_SRC_SERVICE_LAUNCHER_H_
