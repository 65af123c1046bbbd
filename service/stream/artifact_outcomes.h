// What became of each artifact a run logged, by the log_artifact call's client id: filled by
// the sender as its backend commits (or refuses) them, read by the gRPC threads that answer
// the client's Artifact::wait(). Thread-safe.
#ifndef WANDB_SERVICE_STREAM_ARTIFACT_OUTCOMES_H_
#define WANDB_SERVICE_STREAM_ARTIFACT_OUTCOMES_H_

#include <string>

#include "absl/base/thread_annotations.h"
#include "absl/container/flat_hash_map.h"
#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"
#include "service/backend/backend.h"
#include "wandb/service.pb.h"

namespace wandb::service {

// An online run's answer for one artifact, from the local store's outcome and W&B's (the
// upload lane's): W&B's once it has one, since that is the version the user sees there.
// Before then PENDING, or, once the upload is over (`upload_over`) without reaching the
// artifact, FAILED saying so and what the local store has.
ArtifactStatusResponse WithOnline(const ArtifactStatusResponse& local,
                                  const ArtifactStatusResponse& online, bool upload_over);

class ArtifactOutcomes {
 public:
  void Record(const std::string& client_id, const absl::StatusOr<ArtifactLogged>& outcome);
  // COMMITTED or FAILED once known, else PENDING.
  ArtifactStatusResponse Get(const std::string& client_id) const;
  // Every outcome known, into finish's answer.
  void CopyTo(FinishRunResponse* response) const;

 private:
  mutable absl::Mutex mu_;
  absl::flat_hash_map<std::string, ArtifactStatusResponse> outcomes_ ABSL_GUARDED_BY(mu_);
};

}  // namespace wandb::service

#endif  // WANDB_SERVICE_STREAM_ARTIFACT_OUTCOMES_H_
