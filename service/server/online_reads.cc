#include "service/server/online_reads.h"

#include <optional>
#include <string>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "common/artifact/artifact_record.h"
#include "common/value/validation.h"
#include "service/backend/wandb_artifact_fetch.h"
#include "service/backend/wandb_run_file_fetch.h"

namespace wandb::service {
namespace {

constexpr absl::Duration kRunOnServerPoll = absl::Milliseconds(50);

absl::Status CheckOnline(const OnlineOptions& online) {
  if (online.base_url().empty() || online.api_key().empty()) {
    return absl::InvalidArgumentError("reading from W&B needs its base URL and an API key");
  }
  return absl::OkStatus();
}

void Describe(const FetchedArtifact& fetched, UseArtifactResponse* response) {
  const ServerArtifact& version = fetched.version;
  response->set_entity(fetched.entity);
  response->set_project(fetched.project);
  response->set_name(version.collection);
  response->set_type(version.type);
  response->set_version(version.version());
  response->set_digest(version.digest);
  // proto3 strings must be UTF-8; a server's text is not trusted to be.
  response->set_description(validation::ReplaceInvalidUtf8(version.description));
  response->set_metadata_json(validation::ReplaceInvalidUtf8(version.metadata));
  for (const std::string& alias : version.aliases) {
    response->add_aliases(validation::ReplaceInvalidUtf8(alias));
  }
  artifact::ManifestToProto(fetched.manifest, response->mutable_manifest());
  response->set_usage_problem(fetched.usage_problem);
}

// Where the run is on W&B, waited for until `deadline` (its upload lane creates it).
std::optional<Bucket> RunOnServer(const WandbBackend& wandb, absl::Time deadline) {
  for (;;) {
    if (std::optional<Bucket> run = wandb.run_on_server(); run.has_value()) return run;
    if (absl::Now() + kRunOnServerPoll > deadline) return std::nullopt;
    absl::SleepFor(kRunOnServerPoll);
  }
}

}  // namespace

absl::Status UseArtifactOnWandb(const RunRegistry::LiveRunFacts& run, store::LocalStore& store,
                                const UseArtifactRequest& request, absl::Time deadline,
                                UseArtifactResponse* response) {
  std::optional<Bucket> bucket = RunOnServer(*run.wandb, deadline);
  FetchRequest fetch;
  fetch.entity = bucket.has_value() ? bucket->entity : "";
  fetch.project = bucket.has_value() ? bucket->project : run.key.project;
  fetch.name = request.name();
  fetch.type = request.type();
  fetch.user = bucket.has_value() ? &*bucket : nullptr;
  std::unique_ptr<WandbApi> api = run.wandb->NewApi();
  absl::StatusOr<FetchedArtifact> fetched = FetchWandbArtifact(*api, store.blobs(), fetch);
  if (!fetched.ok()) return fetched.status();
  if (!bucket.has_value()) {
    fetched->usage_problem = absl::StrCat("run ", run.key.id,
                                          " is not on W&B yet: its use of the artifact is not "
                                          "recorded there");
  }
  Describe(*fetched, response);
  return absl::OkStatus();
}

absl::Status FetchArtifactFromWandb(const FetchArtifactRequest& request, store::LocalStore& store,
                                    UseArtifactResponse* response) {
  if (absl::Status s = CheckOnline(request.online()); !s.ok()) return s;
  WandbApi api(request.online().base_url(), request.online().api_key(), request.online().ca_file());
  FetchRequest fetch;
  fetch.entity = request.entity();
  fetch.project = request.project().empty() ? "uncategorized" : request.project();
  fetch.name = request.name();
  fetch.type = request.type();
  absl::StatusOr<FetchedArtifact> fetched = FetchWandbArtifact(api, store.blobs(), fetch);
  if (!fetched.ok()) return fetched.status();
  Describe(*fetched, response);
  return absl::OkStatus();
}

absl::Status RestoreFromWandb(const RestoreFileRequest& request, store::LocalStore& store,
                              RestoreFileResponse* response) {
  if (absl::Status s = CheckOnline(request.online()); !s.ok()) return s;
  WandbApi api(request.online().base_url(), request.online().api_key(), request.online().ca_file());
  absl::StatusOr<FetchedRunFile> file =
      FetchWandbRunFile(api, store.blobs(), request.run_path(), request.name());
  if (!file.ok()) return file.status();
  response->set_blob_path(file->blob_path);
  response->set_md5(file->md5_hex);
  response->set_size(file->size);
  response->set_run_path(file->run_path);
  return absl::OkStatus();
}

}  // namespace wandb::service
