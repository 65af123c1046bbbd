// Where the per-user daemon listens, and the files beside its socket.
//
// The directory is $WANDB_CPP_SERVICE_DIR, else $XDG_RUNTIME_DIR/wandb-cpp, else
// /tmp/wandb-cpp-<uid>. It is made with mode 0700 and must belong to the current user, so
// that only that user can reach the socket.
#ifndef WANDB_COMMON_IPC_SERVICE_ENDPOINT_H_
#define WANDB_COMMON_IPC_SERVICE_ENDPOINT_H_

#include <string>

#include "absl/status/statusor.h"

namespace wandb {

struct ServiceEndpoint {
  std::string dir;
  std::string socket_path;      // service.sock
  std::string lock_path;        // service.lock: held by the one running daemon
  std::string spawn_lock_path;  // spawn.lock: held by a client while it starts a daemon
  std::string log_path;         // service.log: the daemon's own log

  std::string grpc_target() const { return "unix:" + socket_path; }

  // Resolves the directory from the environment and makes sure it is private to this user.
  static absl::StatusOr<ServiceEndpoint> Resolve();
  static absl::StatusOr<ServiceEndpoint> InDirectory(const std::string& dir);
};

}  // namespace wandb

#endif  // WANDB_COMMON_IPC_SERVICE_ENDPOINT_H_
