#include "client/src/service_connection.h"

#include <unistd.h>

#include <chrono>

#include "absl/strings/str_cat.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/clock.h"
#include "client/src/fork_generation.h"
#include "client/src/service_launcher.h"
#include "common/ipc/file_lock.h"
#include "common/protocol.h"

namespace wandb::internal {
namespace {

constexpr auto kHelloTimeout = std::chrono::seconds(2);
constexpr auto kReadyTimeout = std::chrono::seconds(10);
// How long Connect() keeps trying to reach a daemon that is there (or being started by
// another process) before it gives up.
constexpr absl::Duration kConnectTimeout = absl::Seconds(60);
constexpr absl::Duration kSpawnPoll = absl::Milliseconds(20);

// Whether a daemon holds service.lock, as one does for its whole life: then one is there,
// starting or too busy to answer in time, and another must not be started.
bool DaemonHoldsLock(const ServiceEndpoint& endpoint) {
  absl::StatusOr<FileLock> probe = FileLock::TryAcquire(endpoint.lock_path);
  return absl::IsUnavailable(probe.status());  // a lock taken here goes again at once
}

}  // namespace

absl::Status FromGrpc(const grpc::Status& status) {
  if (status.ok()) return absl::OkStatus();
  return absl::Status(static_cast<absl::StatusCode>(status.error_code()), status.error_message());
}

std::shared_ptr<grpc::Channel> ServiceConnection::MakeChannel(const ServiceEndpoint& endpoint) {
  grpc::ChannelArguments args;
  // gRPC's default reconnect backoff is a second; a daemon that just started should be
  // reached at once (100 ms is gRPC's floor), and a channel of our own must not share a
  // subchannel that already failed against a stale socket. GRPC_ARG_MIN_RECONNECT_BACKOFF_MS
  // stays at its default: gRPC also takes it as the time one connection attempt may take
  // (20 s), and a daemon loaded by 80 processes starting at once needs more than 0.1 s.
  args.SetInt(GRPC_ARG_INITIAL_RECONNECT_BACKOFF_MS, 100);
  args.SetInt(GRPC_ARG_MAX_RECONNECT_BACKOFF_MS, 500);
  args.SetInt(GRPC_ARG_USE_LOCAL_SUBCHANNEL_POOL, 1);
  args.SetMaxReceiveMessageSize(64 << 20);
  return grpc::CreateCustomChannel(endpoint.grpc_target(), grpc::InsecureChannelCredentials(),
                                   args);
}

absl::StatusOr<std::shared_ptr<ServiceConnection>> ServiceConnection::TryHello(
    const ServiceEndpoint& endpoint, std::shared_ptr<grpc::Channel> channel, bool wait_for_ready) {
  auto conn = std::shared_ptr<ServiceConnection>(new ServiceConnection());
  conn->endpoint_ = endpoint;
  conn->channel_ = std::move(channel);
  conn->stub_ = service::WandbService::NewStub(conn->channel_);
  grpc::ClientContext context;
  context.set_wait_for_ready(wait_for_ready);
  context.set_deadline(std::chrono::system_clock::now() +
                       (wait_for_ready ? kReadyTimeout : kHelloTimeout));
  service::HelloRequest request;
  request.set_protocol_version(kProtocolVersion);
  request.set_client_version(kVersion);
  request.set_pid(getpid());
  grpc::Status status = conn->stub_->Hello(&context, request, &conn->hello_);
  if (!status.ok()) return FromGrpc(status);
  if (conn->hello_.protocol_version() != kProtocolVersion) {
    return absl::FailedPreconditionError(absl::StrCat(
        "the wandb-service running at ", endpoint.socket_path, " (version ",
        conn->hello_.daemon_version(), ", pid ", conn->hello_.pid(), ") speaks protocol ",
        conn->hello_.protocol_version(), " but this libwandb (", kVersion, ") speaks ",
        kProtocolVersion, "; stop that daemon or let it idle out"));
  }
  return conn;
}

absl::StatusOr<std::shared_ptr<ServiceConnection>> ServiceConnection::Connect(
    const ServiceEndpoint& endpoint) {
  // One channel for as long as its connection attempt is under way: a daemon that is slow to
  // answer (busy, or on a loaded machine) is waited for, not abandoned and dialled again,
  // which would only add to its load. A refused one (no daemon, or one exiting) gets a new
  // channel, which reconnects at once instead of after gRPC's backoff.
  std::shared_ptr<grpc::Channel> channel = MakeChannel(endpoint);
  auto hello = [&](bool wait_for_ready) {
    absl::StatusOr<std::shared_ptr<ServiceConnection>> conn =
        TryHello(endpoint, channel, wait_for_ready);
    if (absl::IsUnavailable(conn.status())) channel = MakeChannel(endpoint);
    return conn;
  };
  auto unanswered = [](const absl::Status& s) {
    return absl::IsUnavailable(s) || absl::IsDeadlineExceeded(s);
  };
  absl::StatusOr<std::shared_ptr<ServiceConnection>> conn = hello(false);
  const absl::Time deadline = absl::Now() + kConnectTimeout;
  // Many processes may get here at once (64 calling init() together): each waits for the
  // daemon that is there, and only one starts a daemon when none is.
  while (unanswered(conn.status()) && absl::Now() < deadline) {
    if (DaemonHoldsLock(endpoint)) {
      // One that refuses at once is exiting (idle, or stopped): look again shortly.
      absl::SleepFor(kSpawnPoll);
      conn = hello(false);
      continue;
    }
    // None is there: start one, one process at a time. A process that finds the spawn lock
    // held looks again (for the daemon being started) rather than queue behind it.
    absl::StatusOr<FileLock> lock = FileLock::TryAcquire(endpoint.spawn_lock_path);
    if (absl::IsUnavailable(lock.status())) {
      absl::SleepFor(kSpawnPoll);
      conn = hello(false);
      continue;
    }
    if (!lock.ok()) return lock.status();
    conn = hello(false);
    if (!unanswered(conn.status()) || DaemonHoldsLock(endpoint)) continue;
    if (absl::Status s = LaunchService(endpoint); !s.ok()) return s;
    conn = hello(true);
  }
  if (unanswered(conn.status())) {
    return absl::UnavailableError(
        absl::StrCat("no wandb-service answered at ", endpoint.socket_path, " within ",
                     absl::FormatDuration(kConnectTimeout), " (", conn.status().message(),
                     "); see ", endpoint.log_path));
  }
  return conn;
}

absl::StatusOr<std::shared_ptr<ServiceConnection>> ServiceConnection::Shared(bool reconnect) {
  if (ForkGeneration::Current() != 0) {
    // gRPC's polling engine (an epoll set) and threads are the parent's: a channel made here
    // could steal the parent's events. gRPC 1.51 supports fork() only with
    // GRPC_ENABLE_FORK_SUPPORT and no call in flight, which a live run always has.
    return absl::FailedPreconditionError(absl::StrCat(
        "this process (pid ", getpid(),
        ") was forked from one that uses wandb, and gRPC, "
        "which libwandb talks to wandb-service with, cannot be used after fork(); start runs in "
        "the parent, or exec() a new program in the child"));
  }
  absl::StatusOr<ServiceEndpoint> endpoint = ServiceEndpoint::Resolve();
  if (!endpoint.ok()) return endpoint.status();
  static absl::Mutex mu(absl::kConstInit);
  static std::weak_ptr<ServiceConnection> current;
  absl::MutexLock lock(&mu);
  if (std::shared_ptr<ServiceConnection> conn = current.lock();
      !reconnect && conn != nullptr && conn->endpoint_.socket_path == endpoint->socket_path) {
    grpc_connectivity_state state = conn->channel_->GetState(false);
    if (state != GRPC_CHANNEL_TRANSIENT_FAILURE && state != GRPC_CHANNEL_SHUTDOWN) return conn;
  }
  absl::StatusOr<std::shared_ptr<ServiceConnection>> conn = Connect(*endpoint);
  if (conn.ok()) current = *conn;
  return conn;
}
}  // namespace wandb::internal
