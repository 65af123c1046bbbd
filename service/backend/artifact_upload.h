// One artifact's way onto W&B, as wandb 0.12.21 sends it (wandb-backend-api.md 6.2):
// CreateArtifact; unless the server has the same content committed already, the manifest's
// record, the files announced in batches (CreateArtifactFiles) and PUT wherever the server
// asks for them (content it has comes back without an upload URL), the final
// wandb_manifest.json with each file's birth artifact, then CommitArtifact, and UseArtifact
// when the record asks for it.
//
// Steps done stay done: after a failure, Continue() goes on from the request that failed, so
// a flaky network costs that request, not the files uploaded before it. A commit the server
// answers with 409 (still processing the files) is asked again for up to two minutes, as
// wandb asks.
#ifndef WANDB_SERVICE_BACKEND_ARTIFACT_UPLOAD_H_
#define WANDB_SERVICE_BACKEND_ARTIFACT_UPLOAD_H_

#include <cstddef>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "common/artifact/manifest.h"
#include "service/backend/backend.h"
#include "service/backend/wandb_artifact_api.h"
#include "wandb/records.pb.h"

namespace wandb::service {

class ArtifactUpload {
 public:
  // How long a commit answered with 409 is asked again (wandb 0.12's two minutes).
  static constexpr absl::Duration kCommitConflictWindow = absl::Minutes(2);

  // `manifest`: the record's, checked (CheckArtifactRecord); its stored files' local paths
  // are read when they are PUT.
  ArtifactUpload(records::ArtifactRecord record, artifact::Manifest manifest);

  // Runs the sequence from where the last call stopped, for run `run`.
  absl::StatusOr<ArtifactLogged> Continue(WandbApi& api, const Bucket& run);

 private:
  absl::Status Create(WandbArtifactApi& api, const Bucket& run);
  // Announces the next batch of files and PUTs those the server wants; true when all are done.
  absl::StatusOr<bool> UploadNextFiles(WandbApi& api, WandbArtifactApi& artifacts);
  absl::Status PutManifest(WandbApi& api, WandbArtifactApi& artifacts, const Bucket& run);
  absl::StatusOr<ServerArtifact> Commit(WandbApi& api, WandbArtifactApi& artifacts);
  ArtifactLogged Logged(const ServerArtifact& version) const;

  const records::ArtifactRecord record_;
  artifact::Manifest manifest_;            // birth artifact ids filled in as the server gives them
  std::vector<std::string> stored_paths_;  // the entries to upload, in path order

  std::optional<ServerArtifact> created_;
  std::string manifest_id_;
  size_t files_done_ = 0;          // stored_paths_[0, files_done_) are on the server
  std::vector<UploadSlot> batch_;  // the announced batch starting at files_done_
  size_t batch_put_ = 0;           // batch_[0, batch_put_) are PUT
  bool manifest_put_ = false;
  absl::Time first_commit_ = absl::InfiniteFuture();
  std::optional<ServerArtifact> committed_;
};

}  // namespace wandb::service

#endif  // WANDB_SERVICE_BACKEND_ARTIFACT_UPLOAD_H_
