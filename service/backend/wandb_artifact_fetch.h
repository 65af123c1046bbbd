// An artifact version on W&B made readable here, for use_artifact() of an online run and for
// wandb::Api().artifact() in online mode (wandb-backend-api.md 6.3): the version found by
// name, its use recorded when a run is given (the lineage), its wandb_manifest.json read, and
// each stored file downloaded into the local store's blobs. Blobs are named by content, so a
// file the store has already (an earlier download, or a version logged here) is not
// downloaded again, and the client reads the version exactly as it reads a stored one.
//
// The caller waits (a user's call): requests that fail in a way that may heal are tried again
// a few times (blob_download.h).
#ifndef WANDB_SERVICE_BACKEND_WANDB_ARTIFACT_FETCH_H_
#define WANDB_SERVICE_BACKEND_WANDB_ARTIFACT_FETCH_H_

#include <string>

#include "absl/status/statusor.h"
#include "common/artifact/manifest.h"
#include "service/backend/blob_download.h"
#include "service/backend/wandb_api.h"
#include "service/backend/wandb_artifact_api.h"
#include "service/store/blob_store.h"

namespace wandb::service {

struct FetchedArtifact {
  std::string entity;
  std::string project;
  ServerArtifact version;
  // Every entry; a stored file's local_path is its blob (read it, never write it).
  artifact::Manifest manifest;
  // Empty when the use was recorded (or none was asked for); else why not.
  std::string usage_problem;
};

struct FetchRequest {
  // Where a name without an entity or a project is looked for; an empty entity is the key's
  // own (the viewer's).
  std::string entity;
  std::string project;
  std::string name;  // use_artifact's forms (artifact_ref.h)
  std::string type;  // when not empty, the version must be of this type
  // The run that uses it (its lineage on the server), or null for none.
  const Bucket* user = nullptr;
  RetryPolicy retry;
};

// NotFound when the server has no such version; FailedPrecondition when it has another type
// or is not committed; InvalidArgument for a malformed name; DataLoss when a download does
// not have the manifest's MD5; others as the server's answer maps (wandb_api.h).
absl::StatusOr<FetchedArtifact> FetchWandbArtifact(WandbApi& api, const store::BlobStore& blobs,
                                                   const FetchRequest& request);

}  // namespace wandb::service

#endif  // WANDB_SERVICE_BACKEND_WANDB_ARTIFACT_FETCH_H_
