// W&B's artifact operations as wandb 0.12.21 makes them (wandb-backend-api.md section 6): the
// mutations of a log_artifact (CreateArtifact, CreateArtifactManifest, CreateArtifactFiles,
// CommitArtifact), UseArtifact, the queries a download needs (Artifact, ArtifactManifest), and
// where a stored file is read (storage layout V2). One attempt per call, as WandbApi's: the
// caller decides when to try again (IsRetryable).
#ifndef WANDB_SERVICE_BACKEND_WANDB_ARTIFACT_API_H_
#define WANDB_SERVICE_BACKEND_WANDB_ARTIFACT_API_H_

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "service/backend/wandb_api.h"

namespace wandb::service {

// An artifact version as the server describes it.
struct ServerArtifact {
  std::string id;
  std::string digest;
  std::string state;  // PENDING, COMMITTED, COMMITTING, DELETED
  std::optional<int64_t> version_index;
  std::vector<std::string> aliases;  // in its own collection ("latest", "v3", ...)
  std::string collection;            // its sequence's name
  std::string type;
  std::string description;
  std::string metadata;  // JSON text, or empty
  // The collection's latest version when this one was created (CreateArtifact): the base of
  // its manifest.
  std::string latest_id;

  // "v3": from the version index, else a vN alias; empty while the server gives neither.
  std::string version() const;
};

// What CreateArtifact is given.
struct NewArtifact {
  std::string entity;
  std::string project;
  std::string run;  // the run logging it
  std::string type;
  std::string name;  // the collection
  std::string digest;
  std::string description;
  std::string metadata;  // JSON text, or empty
  std::vector<std::string> aliases;
  std::string client_id;
  std::string sequence_client_id;
};

// Where to PUT a file (or the manifest): empty url when the server has the content already.
struct UploadSlot {
  std::string id;
  std::string url;
  std::vector<std::string> headers;  // "Name: value"
  std::string birth_artifact_id;     // the artifact that first stored the content (files)
};

// A file CreateArtifactFiles announces: its path in the artifact and its base64 MD5.
struct AnnouncedFile {
  std::string name;
  std::string md5;
};

class WandbArtifactApi {
 public:
  // Most files one CreateArtifactFiles announces (wandb 0.12's batch).
  static constexpr size_t kFilesPerRequest = 1000;

  explicit WandbArtifactApi(WandbApi* api) : api_(api) {}

  // A PENDING version to fill, or the COMMITTED one the collection has with this digest.
  absl::StatusOr<ServerArtifact> CreateArtifact(const NewArtifact& artifact);
  // wandb_manifest.json's record for `artifact_id`; `include_upload`: with its upload slot.
  absl::StatusOr<UploadSlot> CreateManifest(const Bucket& run, const std::string& artifact_id,
                                            const std::string& base_artifact_id,
                                            const std::string& digest, bool include_upload);
  // A slot for each file, in their order; at most kFilesPerRequest.
  absl::StatusOr<std::vector<UploadSlot>> CreateFiles(const std::string& artifact_id,
                                                      const std::string& manifest_id,
                                                      const std::vector<AnnouncedFile>& files);
  absl::StatusOr<ServerArtifact> Commit(const std::string& artifact_id);
  // Records that `run` used the version (its lineage).
  absl::Status Use(const Bucket& run, const std::string& artifact_id);
  // The version `name` ("collection:alias", "collection:vN", or a digest) names in the
  // project; nullopt when there is none.
  absl::StatusOr<std::optional<ServerArtifact>> Find(const std::string& entity,
                                                     const std::string& project,
                                                     const std::string& name);
  // Where the version's wandb_manifest.json is read.
  absl::StatusOr<std::string> ManifestUrl(const std::string& entity, const std::string& project,
                                          const std::string& name);
  // Where a stored file is read: {base}/artifactsV2/default/{entity}/{birth}/{md5 hex}.
  std::string FileUrl(const std::string& entity, const std::string& birth_artifact_id,
                      const std::string& md5_hex) const;

 private:
  WandbApi* api_;
};

}  // namespace wandb::service

#endif  // WANDB_SERVICE_BACKEND_WANDB_ARTIFACT_API_H_
