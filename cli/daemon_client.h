// How the command line talks to the user's running wandb-service: over gRPC on its socket,
// never starting one (a command that only looks must not leave a daemon behind).
#ifndef WANDB_CLI_DAEMON_CLIENT_H_
#define WANDB_CLI_DAEMON_CLIENT_H_

#include <memory>
#include <string>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "common/ipc/service_endpoint.h"
#include "wandb/service.grpc.pb.h"

namespace wandb::cli {

class DaemonClient {
 public:
  // For the user's service directory ($WANDB_CPP_SERVICE_DIR, else $XDG_RUNTIME_DIR/wandb-cpp,
  // else /tmp/wandb-cpp-<uid>); connects on the first call.
  static absl::StatusOr<DaemonClient> ForThisUser();
  explicit DaemonClient(ServiceEndpoint endpoint);

  const ServiceEndpoint& endpoint() const { return endpoint_; }

  // Each fails with Unavailable (and NoDaemonMessage()) exactly when no daemon answers on
  // the socket,
  // DeadlineExceeded when one is there but does not answer within `timeout`, and with the
  // daemon's own error otherwise (a protocol version mismatch names both versions).
  absl::StatusOr<service::DaemonStatusResponse> Status(absl::Duration timeout);
  // Asks the daemon to exit: `finish_runs` as ShutdownRequest's.
  absl::StatusOr<service::ShutdownResponse> Shutdown(bool finish_runs, absl::Duration timeout);

  // "no wandb-service is running for this user (socket <path>)"
  std::string NoDaemonMessage() const;

 private:
  // Turns a failed call into a status a person can act on.
  absl::Status Explain(const grpc::Status& status, absl::string_view rpc, absl::Duration timeout);

  ServiceEndpoint endpoint_;
  std::shared_ptr<grpc::Channel> channel_;
  std::unique_ptr<service::WandbService::Stub> stub_;
};

// Whether process `pid` exists (it may belong to another user).
bool ProcessExists(int64_t pid);

}  // namespace wandb::cli

#endif  // WANDB_CLI_DAEMON_CLIENT_H_
