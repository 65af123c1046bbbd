// A run's link to wandb-service: starts the run on the daemon (starting a daemon when none
// answers), streams the run's records through the outbox, re-attaches the run to a new daemon
// when its daemon dies, and makes the run's unary calls so that they survive that.
#ifndef WANDB_CLIENT_SRC_DAEMON_LINK_H_
#define WANDB_CLIENT_SRC_DAEMON_LINK_H_

#include <chrono>
#include <functional>
#include <memory>
#include <string>

#include "absl/status/statusor.h"
#include "client/src/console.h"
#include "client/src/record_outbox.h"
#include "client/src/service_connection.h"
#include "common/util/logger.h"
#include "wandb/service.pb.h"

namespace wandb::internal {

class DaemonLink {
 public:
  struct Options {
    std::string run_id;
    // How long starting the run, and each re-attach, keeps trying.
    std::chrono::milliseconds timeout{std::chrono::seconds(30)};
    size_t resend_buffer = size_t{64} << 20;
    size_t queue_limit = size_t{4} << 20;
    size_t media_queue = size_t{256} << 20;
  };

  // `console` and `debug_log` must outlive the link.
  DaemonLink(Options options, const Console* console, Logger* debug_log);
  ~DaemonLink();  // closes the outbox

  // Starts the run: connects (starting a daemon when none answers; a daemon that is idling
  // out refuses, and a fresh connection then starts a new one) until options.timeout, sends
  // `request`, opens the run's logs/debug.log in the run directory the daemon made, and
  // starts the outbox. Call once.
  absl::StatusOr<service::StartRunResponse> Start(service::StartRunRequest request);

  // Valid after Start() succeeded.
  RecordOutbox& outbox() { return *outbox_; }
  const std::string& run_dir() const { return run_dir_; }

  // `call` on the daemon's connection; when the daemon is gone, once more after the outbox
  // re-attached the run to a new one.
  grpc::Status Call(const std::function<grpc::Status(ServiceConnection& connection)>& call);

 private:
  // One StartRun on the shared connection (a new one when `reconnect`).
  absl::StatusOr<std::shared_ptr<ServiceConnection>> StartOnce(bool reconnect,
                                                               service::StartRunResponse* response);
  // Continues the run on a new daemon after its daemon died (on the outbox's thread).
  absl::StatusOr<RecordOutbox::Attachment> Reattach();

  const Options options_;
  const Console* console_;
  Logger* debug_log_;
  service::StartRunRequest request_;  // as the run started; a re-attach sends it again
  std::string run_dir_;
  std::unique_ptr<RecordOutbox> outbox_;
};

}  // namespace wandb::internal

#endif  // WANDB_CLIENT_SRC_DAEMON_LINK_H_
