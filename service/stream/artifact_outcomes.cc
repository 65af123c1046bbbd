#include "service/stream/artifact_outcomes.h"

#include "common/value/validation.h"

namespace wandb::service {

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
