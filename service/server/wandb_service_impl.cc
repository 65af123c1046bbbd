#include "service/server/wandb_service_impl.h"

#include <unistd.h>

#include <algorithm>
#include <functional>

#include "absl/cleanup/cleanup.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "common/artifact/artifact_record.h"
#include "common/artifact/artifact_ref.h"
#include "common/artifact/manifest.h"
#include "common/protocol.h"
#include "service/server/online_reads.h"
#include "service/stream/record_checks.h"

namespace wandb::service {
namespace {

grpc::StatusCode ToGrpcCode(absl::StatusCode code) {
  // absl and gRPC share the canonical code numbers.
  return static_cast<grpc::StatusCode>(static_cast<int>(code));
}

grpc::Status ToGrpc(const absl::Status& s) {
  if (s.ok()) return grpc::Status::OK;
  return grpc::Status(ToGrpcCode(s.code()), std::string(s.message()));
}

grpc::Status CheckVersion(uint32_t client_version) {
  if (client_version == kProtocolVersion) return grpc::Status::OK;
  return grpc::Status(
      grpc::StatusCode::FAILED_PRECONDITION,
      absl::StrCat("protocol version mismatch: the client speaks ", client_version,
                   ", this wandb-service (", kVersion, ", pid ", getpid(), ") speaks ",
                   kProtocolVersion, "; stop it (or let it idle out) and retry"));
}

int64_t NowNs() { return absl::ToUnixNanos(absl::Now()); }

grpc::Status Exiting() {
  return grpc::Status(grpc::StatusCode::UNAVAILABLE, "this wandb-service is exiting");
}

// How long a use waits for the run to reach its store (the sender stores the RunRecord first
// thing, so only a failing store makes this wait whole).
constexpr absl::Duration kRunStoredWait = absl::Seconds(20);

// The response's description of `version` and its entries (blob paths as local paths).
absl::Status DescribeVersion(const store::ArtifactVersion& version,
                             const std::vector<store::ArtifactFile>& files,
                             UseArtifactResponse* response) {
  response->set_entity(version.entity);
  response->set_project(version.project);
  response->set_name(version.name);
  response->set_type(version.type);
  response->set_version(version.VersionName());
  response->set_digest(version.digest);
  response->set_description(version.description);
  response->set_metadata_json(version.metadata);
  for (const std::string& alias : version.aliases) response->add_aliases(alias);
  artifact::Manifest manifest;
  for (const store::ArtifactFile& file : files) {
    artifact::ManifestEntry entry;
    entry.path = file.path;
    entry.digest = file.digest;
    entry.ref = file.ref;
    entry.size = file.size;
    entry.local_path = file.blob_path;
    if (absl::Status s = manifest.Add(std::move(entry)); !s.ok()) return s;
  }
  artifact::ManifestToProto(manifest, response->mutable_manifest());
  return absl::OkStatus();
}

// The version `request` names in `place`, described in `response` (UseArtifact's and
// FetchArtifact's shared part; both requests carry the name and type).
template <typename Request>
absl::StatusOr<store::ArtifactVersion> ResolveAndDescribe(store::Artifacts& artifacts,
                                                          const store::ArtifactPlace& place,
                                                          const Request& request,
                                                          UseArtifactResponse* response) {
  absl::StatusOr<store::ArtifactVersion> version =
      artifacts.Resolve(place.entity, place.project, request.name(), request.type());
  if (!version.ok()) return version.status();
  absl::StatusOr<std::vector<store::ArtifactFile>> files =
      artifacts.Files(version->entity, version->project, version->name, version->version);
  if (!files.ok()) return files.status();
  if (absl::Status s = DescribeVersion(*version, *files, response); !s.ok()) return s;
  return version;
}

// What a finish may use of the client's time: all but a margin for the answer's way back (a
// tenth, 100 ms to 2 s). A finish that runs out of time (an upload W&B does not take) then
// still reaches the client with what is left undone, instead of a bare DEADLINE_EXCEEDED.
absl::Duration FinishBudget(absl::Duration left) {
  const absl::Duration margin = std::clamp(left / 10, absl::Milliseconds(100), absl::Seconds(2));
  return std::max(left - margin, absl::ZeroDuration());
}

}  // namespace

// Counts a call as activity for the idle timer, from its start to its end.
class WandbServiceImpl::CallScope {
 public:
  explicit CallScope(WandbServiceImpl* s) : s_(s) {
    s_->active_calls_.fetch_add(1);
    s_->last_activity_ns_.store(NowNs());
  }
  ~CallScope() {
    s_->last_activity_ns_.store(NowNs());
    s_->active_calls_.fetch_sub(1);
  }

 private:
  WandbServiceImpl* s_;
};

WandbServiceImpl::WandbServiceImpl(RunRegistry* registry, Logger* log)
    : registry_(registry), log_(log), started_(absl::Now()), last_activity_ns_(NowNs()) {}

absl::Time WandbServiceImpl::last_activity() const {
  return absl::FromUnixNanos(last_activity_ns_.load());
}

absl::Duration WandbServiceImpl::TimeLeft(const grpc::ServerContext* context) const {
  absl::Duration left = absl::FromChrono(context->deadline()) - absl::Now();
  return std::clamp(left, absl::ZeroDuration(), absl::Minutes(10));
}

grpc::Status WandbServiceImpl::Hello(grpc::ServerContext*, const HelloRequest* request,
                                     HelloResponse* response) {
  CallScope scope(this);
  if (draining_.load()) return Exiting();
  response->set_protocol_version(kProtocolVersion);
  response->set_daemon_version(std::string(kVersion));
  response->set_pid(getpid());
  response->set_started_at_unix_ms(absl::ToUnixMillis(started_));
  response->set_live_runs(registry_->size());
  // Hello answers even across versions, so the client can say exactly what differs.
  if (request->protocol_version() != kProtocolVersion) {
    log_->Warning("hello from pid %d with protocol %d", request->pid(),
                  request->protocol_version());
  }
  return grpc::Status::OK;
}

grpc::Status WandbServiceImpl::StartRun(grpc::ServerContext*, const StartRunRequest* request,
                                        StartRunResponse* response) {
  CallScope scope(this);  // counted before the check: see Daemon::Run's idle exit
  if (draining_.load()) return Exiting();
  if (grpc::Status s = CheckVersion(request->protocol_version()); !s.ok()) return s;
  if (absl::Status s = CheckStartRequest(*request); !s.ok()) {
    log_->Warning("StartRun refused: %s", s.ToString());
    return ToGrpc(s);
  }
  absl::StatusOr<std::shared_ptr<Stream>> stream = registry_->Open(*request);
  if (!stream.ok()) {
    log_->Warning("StartRun %s refused: %s", request->run().run_id(), stream.status().ToString());
    return ToGrpc(stream.status());
  }
  response->set_run_dir((*stream)->dir().run_dir);
  *response->mutable_run() = (*stream)->run();
  response->set_durable_seq((*stream)->resumable_seq());  // a re-attached run's cut
  return grpc::Status::OK;
}

grpc::Status WandbServiceImpl::Publish(
    grpc::ServerContext*, grpc::ServerReaderWriter<PublishResponse, PublishRequest>* io) {
  CallScope scope(this);
  PublishRequest request;
  if (!io->Read(&request)) return grpc::Status::OK;
  if (!request.has_open()) {
    return grpc::Status(grpc::StatusCode::INVALID_ARGUMENT,
                        "the first message of Publish must open the stream");
  }
  if (grpc::Status s = CheckVersion(request.open().protocol_version()); !s.ok()) return s;
  const std::string run_id = request.open().run_id();
  absl::StatusOr<std::shared_ptr<Stream>> stream = registry_->Find(run_id);
  if (!stream.ok()) return ToGrpc(stream.status());
  // While it is open, the run's client is alive (see RunRegistry::ReapOrphans).
  registry_->ClientStreamOpened(run_id);
  absl::Cleanup closed = [this, &run_id] { registry_->ClientStreamClosed(run_id); };

  uint64_t acked = 0;
  while (io->Read(&request)) {
    if (!request.has_batch()) {
      return grpc::Status(grpc::StatusCode::INVALID_ARGUMENT, "expected a record batch");
    }
    // A batch out of order ends the stream, and the run takes nothing more from it.
    if (absl::Status s = (*stream)->Publish(std::move(*request.mutable_batch())); !s.ok()) {
      return ToGrpc(s);
    }
    // Acknowledge what is durable without waiting for it: the client never blocks on us.
    // What it may forget is what a re-attach would not need again (Writer::resumable_seq).
    if (uint64_t durable = (*stream)->resumable_seq(); durable > acked) {
      PublishResponse ack;
      ack.set_durable_seq(durable);
      if (io->Write(ack)) acked = durable;
    }
  }
  return grpc::Status::OK;
}

template <typename Response, typename Ask>
grpc::Status WandbServiceImpl::AnswerQuery(grpc::ServerContext* context, const RunQuery* query,
                                           Ask ask, Response* response) {
  CallScope scope(this);
  if (grpc::Status s = CheckVersion(query->protocol_version()); !s.ok()) return s;
  absl::StatusOr<std::shared_ptr<Stream>> stream = registry_->Find(query->run_id());
  if (!stream.ok()) return ToGrpc(stream.status());
  absl::StatusOr<Response> answer = ask(**stream, query->after_seq(), TimeLeft(context));
  if (!answer.ok()) return ToGrpc(answer.status());
  *response = *std::move(answer);
  return grpc::Status::OK;
}

grpc::Status WandbServiceImpl::GetSummary(grpc::ServerContext* context, const RunQuery* query,
                                          GetSummaryResponse* response) {
  return AnswerQuery(context, query, std::mem_fn(&Stream::GetSummary), response);
}

grpc::Status WandbServiceImpl::SampledHistory(grpc::ServerContext* context, const RunQuery* query,
                                              SampledHistoryResponse* response) {
  return AnswerQuery(context, query, std::mem_fn(&Stream::GetSampledHistory), response);
}

grpc::Status WandbServiceImpl::StopStatus(grpc::ServerContext*, const RunQuery* query,
                                          StopStatusResponse* response) {
  CallScope scope(this);
  if (grpc::Status s = CheckVersion(query->protocol_version()); !s.ok()) return s;
  absl::StatusOr<std::shared_ptr<Stream>> stream = registry_->Find(query->run_id());
  if (!stream.ok()) return ToGrpc(stream.status());
  // The sender's latest answer: this call never waits for the backend.
  response->set_run_should_stop((*stream)->stop_requested());
  response->set_backend_problem((*stream)->backend_problem());
  response->set_log_problem((*stream)->log_problem());
  response->set_upload_problem((*stream)->upload_problem());
  UploadLane::Progress upload = (*stream)->upload_progress();
  response->set_upload_done_bytes(upload.done_bytes);
  response->set_upload_total_bytes(upload.total_bytes);
  return grpc::Status::OK;
}

std::optional<ArtifactStatusResponse> WandbServiceImpl::StoredOutcome(
    const ArtifactStatusRequest* request) {
  absl::StatusOr<RunRegistry::LiveRunFacts> run = registry_->Facts(request->run().run_id());
  // An online run's answer is W&B's, which the store does not know.
  if (!run.ok() || !UsesLocalStore(run->mode) || run->wandb != nullptr) return std::nullopt;
  absl::StatusOr<std::shared_ptr<store::LocalStore>> store =
      registry_->backends().Store(run->store_dir);
  if (!store.ok()) return std::nullopt;
  absl::StatusOr<store::ArtifactVersion> version =
      (*store)->artifacts().ByClientId(request->client_id());
  if (!version.ok()) return std::nullopt;  // not committed (yet), or the store cannot say
  ArtifactStatusResponse committed;
  committed.set_state(ArtifactStatusResponse::COMMITTED);
  committed.set_version(version->VersionName());
  committed.set_digest(version->digest);
  return committed;
}

grpc::Status WandbServiceImpl::ArtifactStatus(grpc::ServerContext*,
                                              const ArtifactStatusRequest* request,
                                              ArtifactStatusResponse* response) {
  CallScope scope(this);
  if (grpc::Status s = CheckVersion(request->run().protocol_version()); !s.ok()) return s;
  absl::StatusOr<std::shared_ptr<Stream>> stream = registry_->Find(request->run().run_id());
  if (!stream.ok()) return ToGrpc(stream.status());
  // The sender's record of its commits: this call never waits for the backend.
  *response = (*stream)->artifact_status(request->client_id());
  if (response->state() == ArtifactStatusResponse::PENDING) {
    // A re-attached run's sender knows only the records it replayed: a call the daemon before
    // it committed (the store's artifact_logs has it) is committed all the same.
    if (std::optional<ArtifactStatusResponse> stored = StoredOutcome(request); stored) {
      *response = *std::move(stored);
    }
  }
  return grpc::Status::OK;
}

grpc::Status WandbServiceImpl::UseArtifact(grpc::ServerContext* context,
                                           const UseArtifactRequest* request,
                                           UseArtifactResponse* response) {
  CallScope scope(this);
  if (grpc::Status s = CheckVersion(request->run().protocol_version()); !s.ok()) return s;
  absl::StatusOr<RunRegistry::LiveRunFacts> run = registry_->Facts(request->run().run_id());
  if (!run.ok()) return ToGrpc(run.status());
  if (!UsesLocalStore(run->mode)) {
    return grpc::Status(grpc::StatusCode::FAILED_PRECONDITION,
                        absl::StrCat("run ", run->key.id,
                                     " is offline: it has no store to take artifacts from (wandb "
                                     "refuses use_artifact offline too); use mode \"local\""));
  }
  absl::StatusOr<std::shared_ptr<store::LocalStore>> store =
      registry_->backends().Store(run->store_dir);
  if (!store.ok()) return ToGrpc(store.status());
  // An online run uses the version on W&B (downloaded into the store's blobs), as wandb's.
  if (run->wandb != nullptr) {
    absl::Time deadline = absl::Now() + std::min(TimeLeft(context), kRunStoredWait);
    return ToGrpc(UseArtifactOnWandb(*run, **store, *request, deadline, response));
  }
  store::Artifacts& artifacts = (*store)->artifacts();
  absl::StatusOr<store::ArtifactVersion> version =
      ResolveAndDescribe(artifacts, {run->key.entity, run->key.project}, *request, response);
  if (!version.ok()) return ToGrpc(version.status());
  // The lineage. A run its sender has not stored yet (just started) is waited for; a store
  // that fails leaves the use unrecorded, which the client reports without failing.
  absl::Status used = artifacts.RecordUse(run->key, version->id);
  if (absl::IsNotFound(used) &&
      run->stream->WaitRunStored(std::min(TimeLeft(context), kRunStoredWait))) {
    used = artifacts.RecordUse(run->key, version->id);
  }
  if (!used.ok()) {
    log_->Warning("run %s: use of artifact %s not recorded: %s", run->key.id, request->name(),
                  used.ToString());
    response->set_usage_problem(std::string(used.message()));
  }
  return grpc::Status::OK;
}

grpc::Status WandbServiceImpl::FetchArtifact(grpc::ServerContext*,
                                             const FetchArtifactRequest* request,
                                             UseArtifactResponse* response) {
  CallScope scope(this);
  if (grpc::Status s = CheckVersion(request->protocol_version()); !s.ok()) return s;
  absl::StatusOr<artifact::ArtifactRef> ref = artifact::ParseArtifactRef(request->name());
  if (!ref.ok()) return ToGrpc(ref.status());
  absl::StatusOr<std::shared_ptr<store::LocalStore>> store =
      registry_->backends().Store(request->store_dir());
  if (!store.ok()) return ToGrpc(store.status());
  if (request->has_online()) return ToGrpc(FetchArtifactFromWandb(*request, **store, response));
  store::Artifacts& artifacts = (*store)->artifacts();
  store::ArtifactPlace place{request->entity(), request->project()};
  if (!ref->project.empty()) place = {ref->entity, ref->project};
  // Without an entity or a project, the one place that has such an artifact (for a digest,
  // the one that has artifacts at all).
  if (place.entity.empty() || place.project.empty()) {
    absl::StatusOr<store::ArtifactPlace> located = artifacts.Locate(ref->name, place);
    if (!located.ok()) return ToGrpc(located.status());
    place = *located;
  }
  return ToGrpc(ResolveAndDescribe(artifacts, place, *request, response).status());
}

grpc::Status WandbServiceImpl::FinishRun(grpc::ServerContext* context,
                                         const FinishRunRequest* request,
                                         FinishRunResponse* response) {
  CallScope scope(this);
  if (grpc::Status s = CheckVersion(request->protocol_version()); !s.ok()) return s;
  absl::StatusOr<FinishRunResponse> answer =
      registry_->Finish(request->run_id(), request->exit_code(), request->last_seq(),
                        FinishBudget(TimeLeft(context)));
  if (!answer.ok()) return ToGrpc(answer.status());
  *response = *std::move(answer);
  return grpc::Status::OK;
}

grpc::Status WandbServiceImpl::FlushRun(grpc::ServerContext* context, const RunQuery* query,
                                        FlushRunResponse* response) {
  CallScope scope(this);
  if (grpc::Status s = CheckVersion(query->protocol_version()); !s.ok()) return s;
  absl::StatusOr<std::shared_ptr<Stream>> stream = registry_->Find(query->run_id());
  if (!stream.ok()) return ToGrpc(stream.status());
  absl::Duration timeout = absl::FromChrono(context->deadline() - std::chrono::system_clock::now());
  if (!(*stream)->WaitDurable(query->after_seq(), std::min(timeout, absl::Hours(1)))) {
    return grpc::Status(grpc::StatusCode::DEADLINE_EXCEEDED,
                        absl::StrCat("batch ", query->after_seq(), " of run ", query->run_id(),
                                     " is not in the log yet"));
  }
  response->set_durable_seq((*stream)->durable_seq());
  return grpc::Status::OK;
}

grpc::Status WandbServiceImpl::RestoreFile(grpc::ServerContext*, const RestoreFileRequest* request,
                                           RestoreFileResponse* response) {
  CallScope scope(this);
  if (grpc::Status s = CheckVersion(request->protocol_version()); !s.ok()) return s;
  absl::StatusOr<std::shared_ptr<store::LocalStore>> store =
      registry_->backends().Store(request->store_dir());
  if (!store.ok()) return ToGrpc(store.status());
  if (request->has_online()) return ToGrpc(RestoreFromWandb(*request, **store, response));
  absl::StatusOr<store::RunRow> run = (*store)->runs().Find(request->run_path());
  if (!run.ok()) return ToGrpc(run.status());
  absl::StatusOr<store::FileVersion> file = (*store)->files().Latest(run->key, request->name());
  if (!file.ok()) return ToGrpc(file.status());
  response->set_blob_path(file->blob_path);
  response->set_md5(file->md5);
  response->set_size(file->size);
  response->set_run_path(run->key.ToString());
  return grpc::Status::OK;
}

grpc::Status WandbServiceImpl::DaemonStatus(grpc::ServerContext* context,
                                            const DaemonStatusRequest* request,
                                            DaemonStatusResponse* response) {
  // No CallScope: watching a daemon must not keep an idle one alive, and no run starts here.
  if (grpc::Status s = CheckVersion(request->protocol_version()); !s.ok()) return s;
  response->set_protocol_version(kProtocolVersion);
  response->set_daemon_version(std::string(kVersion));
  response->set_pid(getpid());
  response->set_started_at_unix_ms(absl::ToUnixMillis(started_));
  response->set_socket_path(endpoint_.socket_path);
  response->set_service_dir(endpoint_.dir);
  response->set_exiting(draining_.load());
  const absl::Time deadline = absl::Now() + TimeLeft(context);
  for (const RunRegistry::LiveRunFacts& facts : registry_->Snapshot()) {
    Stream& stream = *facts.stream;
    LiveRun* run = response->add_runs();
    run->set_run_id(stream.run_id());
    run->set_entity(facts.key.entity);
    run->set_project(facts.key.project);
    run->set_display_name(facts.display_name);
    run->set_client_pid(stream.client_pid());
    run->set_mode(facts.mode);
    run->set_run_dir(stream.dir().run_dir);
    run->set_started_at_unix_ms(absl::ToUnixMillis(facts.started));
    run->set_store_dir(facts.store_dir);
    run->set_history_rows(stream.history_rows());
    if (facts.finishing) {
      run->set_state("finishing");
      continue;
    }
    // The last step is the summary's _step, which the handler keeps with the rows. A run
    // whose handler is busy for long is shown without it rather than holding up the answer.
    absl::Duration wait =
        std::clamp(deadline - absl::Now(), absl::ZeroDuration(), absl::Seconds(1));
    if (absl::StatusOr<GetSummaryResponse> summary = stream.GetSummary(0, wait);
        summary.ok() && run->history_rows() > 0) {
      for (const records::SummaryItem& item : summary->item()) {
        int64_t step = 0;
        if (item.key() == "_step" && item.nested_key().empty() &&
            absl::SimpleAtoi(item.value_json(), &step)) {
          run->set_last_step(step);
        }
      }
    }
    run->set_state(stream.stop_requested() ? "stopping" : "running");
  }
  return grpc::Status::OK;
}

grpc::Status WandbServiceImpl::Shutdown(grpc::ServerContext*, const ShutdownRequest* request,
                                        ShutdownResponse* response) {
  if (grpc::Status s = CheckVersion(request->protocol_version()); !s.ok()) return s;
  if (!on_shutdown_) {
    return grpc::Status(grpc::StatusCode::UNIMPLEMENTED,
                        "this wandb-service cannot be shut down over gRPC");
  }
  int live = registry_->size();
  log_->Info("shutdown requested by pid %d: %s %d live runs and exiting", request->pid(),
             request->finish_runs() ? "finishing" : "handing over", live);
  draining_.store(true);  // no run starts from now on
  response->set_pid(getpid());
  response->set_live_runs(live);
  on_shutdown_(request->finish_runs());
  return grpc::Status::OK;
}

}  // namespace wandb::service
