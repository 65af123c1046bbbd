#include "client/src/daemon_link.h"

#include <thread>

#include "absl/strings/str_cat.h"

namespace wandb::internal {

DaemonLink::DaemonLink(Options options, const Console* console, Logger* debug_log)
    : options_(std::move(options)), console_(console), debug_log_(debug_log) {}

DaemonLink::~DaemonLink() {
  if (outbox_ != nullptr) outbox_->Close();
}

absl::StatusOr<std::shared_ptr<ServiceConnection>> DaemonLink::StartOnce(
    bool reconnect, service::StartRunResponse* response) {
  absl::StatusOr<std::shared_ptr<ServiceConnection>> connection =
      ServiceConnection::Shared(reconnect);
  if (!connection.ok()) return connection.status();
  grpc::ClientContext context;
  context.set_deadline(std::chrono::system_clock::now() + options_.timeout);
  grpc::Status status = (*connection)->stub().StartRun(&context, request_, response);
  if (!status.ok()) return FromGrpc(status);
  return connection;
}

absl::StatusOr<service::StartRunResponse> DaemonLink::Start(service::StartRunRequest request) {
  request_ = std::move(request);
  auto deadline = std::chrono::steady_clock::now() + options_.timeout;
  service::StartRunResponse response;
  absl::StatusOr<std::shared_ptr<ServiceConnection>> connection =
      StartOnce(/*reconnect=*/false, &response);
  // A daemon that is idling out refuses (UNAVAILABLE) or cancels (CANCELLED) the call; a
  // fresh connection then starts a new daemon. Keep trying until the timeout.
  while ((absl::IsUnavailable(connection.status()) || absl::IsCancelled(connection.status())) &&
         std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
    connection = StartOnce(/*reconnect=*/true, &response);
  }
  if (!connection.ok()) return connection.status();
  run_dir_ = response.run_dir();

  debug_log_->Open(run_dir_ + "/logs/debug.log");
  debug_log_->Info("run %s started by pid %d; wandb-service pid %d at %s", options_.run_id,
                   request_.process().pid(), (*connection)->hello().pid(),
                   (*connection)->endpoint().socket_path);
  RecordOutbox::Options outbox;
  outbox.resend_buffer = options_.resend_buffer;
  outbox.queue_limit = options_.queue_limit;
  outbox.media_queue_bytes = options_.media_queue;
  outbox.reattach = [this] { return Reattach(); };
  outbox.reattach_timeout = options_.timeout;
  outbox_ = std::make_unique<RecordOutbox>(*std::move(connection), options_.run_id,
                                           std::move(outbox), debug_log_);
  outbox_->Start();
  return response;
}

absl::StatusOr<RecordOutbox::Attachment> DaemonLink::Reattach() {
  // A new connection: the one that failed may still look healthy to gRPC for a while.
  absl::StatusOr<std::shared_ptr<ServiceConnection>> connection =
      ServiceConnection::Shared(/*reconnect=*/true);
  if (!connection.ok()) return connection.status();
  service::StartRunRequest request = request_;
  request.set_reattach_run_dir(run_dir_);
  grpc::ClientContext context;
  context.set_deadline(std::chrono::system_clock::now() + options_.timeout);
  service::StartRunResponse response;
  grpc::Status status = (*connection)->stub().StartRun(&context, request, &response);
  if (!status.ok()) {
    if (status.error_code() == grpc::StatusCode::FAILED_PRECONDITION) {
      console_->Warning(absl::StrCat("run ", options_.run_id, " lost its wandb-service and ",
                                     "cannot go on: ", status.error_message()));
    }
    return FromGrpc(status);
  }
  debug_log_->Warning(
      "wandb-service went away; run %s re-attached to wandb-service pid %d, "
      "whose log has every batch up to %d",
      options_.run_id, (*connection)->hello().pid(), response.durable_seq());
  return RecordOutbox::Attachment{*connection, response.durable_seq()};
}

grpc::Status DaemonLink::Call(
    const std::function<grpc::Status(ServiceConnection& connection)>& call) {
  std::shared_ptr<ServiceConnection> connection = outbox_->connection();
  grpc::Status status = call(*connection);
  bool gone = status.error_code() == grpc::StatusCode::UNAVAILABLE ||
              status.error_code() == grpc::StatusCode::CANCELLED;
  if (!gone || !outbox_->Reconnect(connection)) return status;
  return call(*outbox_->connection());
}

}  // namespace wandb::internal
