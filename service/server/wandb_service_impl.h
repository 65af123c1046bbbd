// The gRPC face of the daemon: checks each request's protocol version and hands the work
// to the run registry and the runs' streams.
#ifndef WANDB_SERVICE_SERVER_WANDB_SERVICE_IMPL_H_
#define WANDB_SERVICE_SERVER_WANDB_SERVICE_IMPL_H_

#include <atomic>
#include <functional>
#include <optional>

#include "absl/time/time.h"
#include "common/ipc/service_endpoint.h"
#include "common/util/logger.h"
#include "service/server/run_registry.h"
#include "wandb/service.grpc.pb.h"

namespace wandb::service {

class WandbServiceImpl final : public WandbService::Service {
 public:
  WandbServiceImpl(RunRegistry* registry, Logger* log);

  grpc::Status Hello(grpc::ServerContext*, const HelloRequest*, HelloResponse*) override;
  grpc::Status StartRun(grpc::ServerContext*, const StartRunRequest*, StartRunResponse*) override;
  grpc::Status Publish(grpc::ServerContext*,
                       grpc::ServerReaderWriter<PublishResponse, PublishRequest>*) override;
  grpc::Status GetSummary(grpc::ServerContext*, const RunQuery*, GetSummaryResponse*) override;
  grpc::Status SampledHistory(grpc::ServerContext*, const RunQuery*,
                              SampledHistoryResponse*) override;
  grpc::Status StopStatus(grpc::ServerContext*, const RunQuery*, StopStatusResponse*) override;
  grpc::Status ArtifactStatus(grpc::ServerContext*, const ArtifactStatusRequest*,
                              ArtifactStatusResponse*) override;
  grpc::Status UseArtifact(grpc::ServerContext*, const UseArtifactRequest*,
                           UseArtifactResponse*) override;
  grpc::Status FetchArtifact(grpc::ServerContext* context, const FetchArtifactRequest* request,
                             UseArtifactResponse* response) override;
  grpc::Status FinishRun(grpc::ServerContext*, const FinishRunRequest*,
                         FinishRunResponse*) override;
  grpc::Status RestoreFile(grpc::ServerContext*, const RestoreFileRequest*,
                           RestoreFileResponse*) override;
  grpc::Status FlushRun(grpc::ServerContext*, const RunQuery*, FlushRunResponse*) override;
  grpc::Status DaemonStatus(grpc::ServerContext*, const DaemonStatusRequest*,
                            DaemonStatusResponse*) override;
  grpc::Status Shutdown(grpc::ServerContext*, const ShutdownRequest*, ShutdownResponse*) override;

  // What DaemonStatus reports as the daemon's socket and directory.
  void set_endpoint(const ServiceEndpoint& endpoint) { endpoint_ = endpoint; }
  // What Shutdown calls (after answering "draining" from then on): the daemon's own
  // shutdown path, the one SIGTERM takes.
  // `finish_runs`: as ShutdownRequest's.
  void set_shutdown_handler(std::function<void(bool finish_runs)> handler) {
    on_shutdown_ = std::move(handler);
  }

  // Calls in progress, and when the last one ended: what the idle timer looks at.
  int active_calls() const { return active_calls_.load(); }
  absl::Time last_activity() const;

  // While draining, Hello and StartRun answer UNAVAILABLE, so clients start a new daemon
  // instead of joining one that is about to exit.
  void set_draining(bool draining) { draining_.store(draining); }

 private:
  class CallScope;

  absl::Duration TimeLeft(const grpc::ServerContext* context) const;
  // A query answered by the run's stream after the batches it names: version check, run
  // lookup, then `ask(stream, after_seq, time_left)`.
  template <typename Response, typename Ask>
  grpc::Status AnswerQuery(grpc::ServerContext* context, const RunQuery* query, Ask ask,
                           Response* response);

  // What the store says of a logged artifact the run's sender does not know of; nothing
  // when the store has no commit of it (or is not the run's backend).
  std::optional<ArtifactStatusResponse> StoredOutcome(const ArtifactStatusRequest* request);

  RunRegistry* registry_;
  Logger* log_;
  ServiceEndpoint endpoint_;
  std::function<void(bool)> on_shutdown_;
  const absl::Time started_;
  std::atomic<int> active_calls_{0};
  std::atomic<bool> draining_{false};
  std::atomic<int64_t> last_activity_ns_;
};

}  // namespace wandb::service

#endif  // WANDB_SERVICE_SERVER_WANDB_SERVICE_IMPL_H_
