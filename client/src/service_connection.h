// The client's channel to the per-user daemon, shared by every run of the process. Connect()
// starts a daemon when none answers; a spawn lock makes many processes starting at once end
// with exactly one.
#ifndef WANDB_CLIENT_SRC_SERVICE_CONNECTION_H_
#define WANDB_CLIENT_SRC_SERVICE_CONNECTION_H_

#include <memory>

#include <grpcpp/grpcpp.h>

#include "absl/status/statusor.h"
#include "common/ipc/service_endpoint.h"
#include "wandb/service.grpc.pb.h"

namespace wandb::internal {

class ServiceConnection {
 public:
  // The process's connection, made (and the daemon started) on first use, or again after
  // the daemon it knew went away or the service directory changed. `reconnect` makes a new
  // one regardless: a daemon that idled out leaves a channel that still looks healthy.
  static absl::StatusOr<std::shared_ptr<ServiceConnection>> Shared(bool reconnect = false);

  service::WandbService::Stub& stub() { return *stub_; }
  const ServiceEndpoint& endpoint() const { return endpoint_; }
  const service::HelloResponse& hello() const { return hello_; }

 private:
  static absl::StatusOr<std::shared_ptr<ServiceConnection>> Connect(
      const ServiceEndpoint& endpoint);
  static std::shared_ptr<grpc::Channel> MakeChannel(const ServiceEndpoint& endpoint);
  // Hello over `channel`: Unavailable when nothing listens, DeadlineExceeded when the daemon
  // did not answer in time.
  static absl::StatusOr<std::shared_ptr<ServiceConnection>> TryHello(
      const ServiceEndpoint& endpoint, std::shared_ptr<grpc::Channel> channel, bool wait_for_ready);

  ServiceEndpoint endpoint_;
  std::shared_ptr<grpc::Channel> channel_;
  std::unique_ptr<service::WandbService::Stub> stub_;
  service::HelloResponse hello_;
};

// gRPC's status as an absl::Status (they share code numbers).
absl::Status FromGrpc(const grpc::Status& status);

}  // namespace wandb::internal

#endif  // WANDB_CLIENT_SRC_SERVICE_CONNECTION_H_
