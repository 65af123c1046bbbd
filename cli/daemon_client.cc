#include "cli/daemon_client.h"

#include <signal.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>

#include <grpcpp/grpcpp.h>

#include "absl/strings/str_cat.h"
#include "common/protocol.h"
#include "common/util/read_file.h"

namespace wandb::cli {
namespace {

void SetDeadline(grpc::ClientContext* context, absl::Duration timeout) {
  context->set_deadline(std::chrono::system_clock::now() + absl::ToChronoMilliseconds(timeout));
}

}  // namespace

absl::StatusOr<DaemonClient> DaemonClient::ForThisUser() {
  absl::StatusOr<ServiceEndpoint> endpoint = ServiceEndpoint::Resolve();
  if (!endpoint.ok()) return endpoint.status();
  return DaemonClient(*std::move(endpoint));
}

DaemonClient::DaemonClient(ServiceEndpoint endpoint) : endpoint_(std::move(endpoint)) {
  grpc::ChannelArguments args;
  args.SetInt(GRPC_ARG_USE_LOCAL_SUBCHANNEL_POOL, 1);
  args.SetMaxReceiveMessageSize(64 << 20);
  channel_ =
      grpc::CreateCustomChannel(endpoint_.grpc_target(), grpc::InsecureChannelCredentials(), args);
  stub_ = service::WandbService::NewStub(channel_);
}

std::string DaemonClient::NoDaemonMessage() const {
  return absl::StrCat("no wandb-service is running for this user (socket ", endpoint_.socket_path,
                      ")");
}

absl::Status DaemonClient::Explain(const grpc::Status& status, absl::string_view rpc,
                                   absl::Duration timeout) {
  switch (status.error_code()) {
    case grpc::StatusCode::UNAVAILABLE:
      // Nothing listens on the socket, or what did went away mid-call.
      return absl::UnavailableError(NoDaemonMessage());
    case grpc::StatusCode::DEADLINE_EXCEEDED:
      return absl::DeadlineExceededError(
          absl::StrCat("the wandb-service at ", endpoint_.socket_path, " did not answer ", rpc,
                       " within ", absl::FormatDuration(timeout)));
    case grpc::StatusCode::UNIMPLEMENTED: {
      // An older daemon: Hello still says who it is.
      grpc::ClientContext context;
      SetDeadline(&context, timeout);
      service::HelloRequest hello;
      hello.set_protocol_version(kProtocolVersion);
      hello.set_client_version(kVersion);
      hello.set_pid(getpid());
      service::HelloResponse who;
      std::string daemon = "the wandb-service";
      if (stub_->Hello(&context, hello, &who).ok()) {
        daemon = absl::StrCat("the wandb-service ", who.daemon_version(), " (pid ", who.pid(),
                              ", protocol ", who.protocol_version(), ")");
      }
      return absl::UnimplementedError(absl::StrCat(
          daemon, " at ", endpoint_.socket_path, " predates ", rpc, " (this wandb-cpp is ",
          kVersion, "); stop it (kill its pid) or let it idle out"));
    }
    default:
      return absl::Status(static_cast<absl::StatusCode>(status.error_code()),
                          status.error_message());
  }
}

absl::StatusOr<service::DaemonStatusResponse> DaemonClient::Status(absl::Duration timeout) {
  grpc::ClientContext context;
  SetDeadline(&context, timeout);
  service::DaemonStatusRequest request;
  request.set_protocol_version(kProtocolVersion);
  service::DaemonStatusResponse response;
  grpc::Status status = stub_->DaemonStatus(&context, request, &response);
  if (!status.ok()) return Explain(status, "DaemonStatus", timeout);
  return response;
}

absl::StatusOr<service::ShutdownResponse> DaemonClient::Shutdown(bool finish_runs,
                                                                 absl::Duration timeout) {
  grpc::ClientContext context;
  SetDeadline(&context, timeout);
  service::ShutdownRequest request;
  request.set_protocol_version(kProtocolVersion);
  request.set_pid(getpid());
  request.set_finish_runs(finish_runs);
  service::ShutdownResponse response;
  grpc::Status status = stub_->Shutdown(&context, request, &response);
  if (!status.ok()) return Explain(status, "Shutdown", timeout);
  return response;
}

bool ProcessExists(int64_t pid) {
  if (pid <= 0) return false;
  if (kill(static_cast<pid_t>(pid), 0) != 0 && errno != EPERM) return false;
  // A daemon is reparented when it detaches; where nobody reaps it, it lingers as a zombie,
  // which is gone for every purpose here.
  absl::StatusOr<std::string> stat = ReadFileToString(absl::StrCat("/proc/", pid, "/stat"));
  if (!stat.ok()) return !absl::IsNotFound(stat.status());
  size_t close = stat->rfind(')');
  if (close == std::string::npos || close + 2 >= stat->size()) return true;
  char state = (*stat)[close + 2];
  return state != 'Z' && state != 'X';
}

}  // namespace wandb::cli
