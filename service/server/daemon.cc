#include "service/server/daemon.h"

#include <unistd.h>

#include <grpcpp/grpcpp.h>
#include <grpcpp/resource_quota.h>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "common/ipc/file_lock.h"
#include "common/protocol.h"
#include "service/recovery/orphan_recovery.h"
#include "service/server/run_registry.h"
#include "service/server/wandb_service_impl.h"

namespace wandb::service {
namespace {

constexpr absl::Duration kLockWait = absl::Seconds(10);

// What one connection may cost the daemon (only the user's own processes can connect, but a
// buggy or hostile one must not take it down). See docs/protocol.md, "Limits".
constexpr int kMaxMessageBytes = 64 << 20;     // a batch: the client sends at most 4 MB
constexpr int kMaxMetadataBytes = 16 << 10;    // headers of one call: ours are ~200 bytes
constexpr int kMaxStreamsPerConnection = 256;  // a process: a stream per live run, a few calls
constexpr int kIdleConnectionMs = 60 * 1000;   // no call in progress: closed (clients reconnect)
constexpr int kHandshakeMs = 10 * 1000;        // from accept to HTTP/2 settings
// The synchronous server runs each call in progress on a thread of its own: beyond this,
// new calls are refused (RESOURCE_EXHAUSTED) instead of the daemon spawning without end.
constexpr int kMaxServerThreads = 512;
// How far a stream's sender may run ahead of the handler that reads it (HTTP/2 flow control).
// gRPC otherwise probes the link's bandwidth-delay product and widens the window to several
// MB when the daemon reads slower than a tight loop logs, and what the client pushes waits
// in gRPC's receive buffers: the daemon's peak RSS then grows with the rows logged (issue
// 10.9, docs/performance.md). Over a Unix socket 256 KB costs no throughput; a batch larger
// than the window is still taken whole.
constexpr int kStreamWindowBytes = 256 << 10;

void SetConnectionLimits(grpc::ServerBuilder* builder) {
  builder->SetMaxReceiveMessageSize(kMaxMessageBytes);
  builder->AddChannelArgument(GRPC_ARG_MAX_METADATA_SIZE, kMaxMetadataBytes);
  builder->AddChannelArgument(GRPC_ARG_MAX_CONCURRENT_STREAMS, kMaxStreamsPerConnection);
  builder->AddChannelArgument(GRPC_ARG_MAX_CONNECTION_IDLE_MS, kIdleConnectionMs);
  builder->AddChannelArgument(GRPC_ARG_SERVER_HANDSHAKE_TIMEOUT_MS, kHandshakeMs);
  builder->AddChannelArgument(GRPC_ARG_HTTP2_BDP_PROBE, 0);
  builder->AddChannelArgument(GRPC_ARG_HTTP2_STREAM_LOOKAHEAD_BYTES, kStreamWindowBytes);
  grpc::ResourceQuota quota("wandb-service");
  quota.SetMaxThreads(kMaxServerThreads);
  builder->SetResourceQuota(quota);
}

}  // namespace

absl::Status Daemon::Run(const std::function<void()>& on_ready) {
  const ServiceEndpoint& endpoint = options_.endpoint;
  // gRPC deletes an existing socket file before binding, so only the lock tells whether a
  // daemon already serves this socket; take it before touching the socket. Clients start a
  // daemon only when none answers, so a lock that is held belongs to a daemon that is
  // exiting: wait for it rather than report a socket that is about to go away.
  absl::StatusOr<FileLock> lock = FileLock::Acquire(endpoint.lock_path, kLockWait);
  if (absl::IsUnavailable(lock.status())) {
    return absl::AlreadyExistsError(
        absl::StrCat("a wandb-service already serves ", endpoint.socket_path));
  }
  if (!lock.ok()) return lock.status();

  // Declared first so it outlives the factory that starts its recoveries.
  OrphanRecovery orphans(log_);
  BackendFactory backends(
      [&orphans](const std::shared_ptr<store::LocalStore>& store) { orphans.Start(store); });
  RunRegistry registry(&backends, log_);
  WandbServiceImpl service(&registry, log_);
  service.set_endpoint(endpoint);
  // `wandb-cpp daemon stop` takes the path SIGTERM takes.
  service.set_shutdown_handler([this](bool finish_runs) { RequestShutdown(finish_runs); });
  grpc::ServerBuilder builder;
  builder.AddListeningPort(endpoint.grpc_target(), grpc::InsecureServerCredentials());
  builder.RegisterService(&service);
  SetConnectionLimits(&builder);
  std::unique_ptr<grpc::Server> server = builder.BuildAndStart();
  if (server == nullptr) {
    return absl::UnavailableError(absl::StrCat("cannot listen on ", endpoint.socket_path));
  }
  log_->Info("wandb-service %s (protocol %d) pid %d listening on %s, idle timeout %s", kVersion,
             kProtocolVersion, getpid(), endpoint.socket_path,
             absl::FormatDuration(options_.idle_timeout));
  on_ready();

  while (!shutdown_.load()) {
    absl::SleepFor(options_.supervise_interval);
    registry.ReapOrphans();
    registry.ReleaseFinished();
    bool idle = registry.size() == 0 && service.active_calls() == 0 &&
                absl::Now() - service.last_activity() >= options_.idle_timeout;
    if (!idle) continue;
    // Refuse new work first, then look again: a call that began before the refusal is
    // counted in active_calls() (calls count themselves before checking), so no run can
    // start on a daemon that has decided to exit.
    service.set_draining(true);
    if (registry.size() == 0 && service.active_calls() == 0) {
      log_->Info("idle for %s: exiting", absl::FormatDuration(options_.idle_timeout));
      break;
    }
    service.set_draining(false);
  }
  service.set_draining(true);
  const bool finish_runs = finish_runs_.load();
  if (shutdown_.load()) {
    log_->Info("shutdown requested: %s %d live runs", finish_runs ? "finishing" : "handing over",
               registry.size());
  }
  // Stop taking calls first (a grace period, since a connected client would hold Shutdown()
  // for seconds): every batch a client's stream delivered is then in a run's queue. Then
  // write what the runs hold and close their logs, finished or left for their clients.
  server->Shutdown(std::chrono::system_clock::now() + std::chrono::milliseconds(500));
  if (finish_runs) {
    registry.FinishAll();
  } else {
    registry.DetachAll();
  }
  server->Wait();
  unlink(endpoint.socket_path.c_str());
  log_->Info("stopped");
  return absl::OkStatus();
}

}  // namespace wandb::service
