#include "service/stream/artifact_outcomes.h"

#include "absl/strings/str_cat.h"
#include "common/value/validation.h"

namespace wandb::service {

ArtifactStatusResponse WithOnline(const ArtifactStatusResponse& local,
                                  const ArtifactStatusResponse& online, bool upload_over) {
  if (online.state() == ArtifactStatusResponse::COMMITTED) return online;
  if (online.state() == ArtifactStatusResponse::PENDING && !upload_over) return online;
  std::string kept;
  if (local.state() == ArtifactStatusResponse::COMMITTED) {
    kept = absl::StrCat("; the local store has it as ", local.version());
  }
  ArtifactStatusResponse failed;
  failed.set_state(ArtifactStatusResponse::FAILED);
  failed.set_error(online.state() == ArtifactStatusResponse::FAILED
                       ? absl::StrCat("not on W&B: ", online.error(), kept)
                       : absl::StrCat("the upload to W&B ended before it reached this artifact (it "
                                      "stays in the run's log for `wandb-cpp sync`)",
                                      kept));
  return failed;
}

void ArtifactOutcomes::Record(const std::string& client_id,
                              const absl::StatusOr<ArtifactLogged>& outcome) {
  ArtifactStatusResponse response;
  if (outcome.ok()) {
    response.set_state(ArtifactStatusResponse::COMMITTED);
    response.set_version(outcome->version);
    response.set_digest(outcome->digest);
  } else {
    response.set_state(ArtifactStatusResponse::FAILED);
    // A proto3 string must be valid UTF-8; a message may quote a path that is not.
    response.set_error(validation::ReplaceInvalidUtf8(outcome.status().ToString()));
  }
  absl::MutexLock lock(&mu_);
  outcomes_.insert_or_assign(client_id, std::move(response));
}

ArtifactStatusResponse ArtifactOutcomes::Get(const std::string& client_id) const {
  absl::MutexLock lock(&mu_);
  auto it = outcomes_.find(client_id);
  return it == outcomes_.end() ? ArtifactStatusResponse() : it->second;
}

void ArtifactOutcomes::CopyTo(FinishRunResponse* response) const {
  absl::MutexLock lock(&mu_);
  for (const auto& [client_id, outcome] : outcomes_) {
    (*response->mutable_artifacts())[client_id] = outcome;
  }
}

}  // namespace wandb::service
