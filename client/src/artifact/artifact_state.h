// What a wandb::Artifact handle shares: its description, its manifest as entries are added,
// whether it is final (logged), and, once logged, how to ask the daemon for its version.
// Methods return absl::Status; the public Artifact turns them into exceptions.
// Thread-safe: entries may be added from several threads (add_dir itself hashes in parallel).
#ifndef WANDB_CLIENT_SRC_ARTIFACT_ARTIFACT_STATE_H_
#define WANDB_CLIENT_SRC_ARTIFACT_ARTIFACT_STATE_H_

#include <chrono>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"
#include "common/artifact/artifact_cache.h"
#include "common/artifact/manifest.h"
#include "common/artifact/materialize.h"
#include "wandb/artifact.h"
#include "wandb/service.pb.h"

namespace wandb::internal {

// Asks the daemon what became of a logged artifact.
using ArtifactPoll = std::function<absl::StatusOr<service::ArtifactStatusResponse>()>;

class ArtifactState {
 public:
  // InvalidArgument for a bad name or type.
  static absl::StatusOr<std::shared_ptr<ArtifactState>> Make(std::string name, std::string type,
                                                             std::string description,
                                                             Value::Map metadata);
  // A stored version, as the daemon resolved it for use_artifact(): final, its version known,
  // its stored files' local paths the store's blobs (download() copies from them).
  static absl::StatusOr<std::shared_ptr<ArtifactState>> Used(
      const service::UseArtifactResponse& used);

  const std::string& name() const { return name_; }
  const std::string& type() const { return type_; }
  const std::string& client_id() const { return client_id_; }
  const artifact::ArtifactCache& cache() const { return cache_; }

  std::string description() const;
  Value::Map metadata() const;
  absl::Status SetDescription(std::string description);
  absl::Status SetMetadata(Value::Map metadata);

  // Adds `entry` (its path checked); FailedPrecondition once the artifact is final.
  absl::Status Add(artifact::ManifestEntry entry);
  // Adds a file already copied into the cache.
  absl::StatusOr<ArtifactEntry> AddCached(const std::string& path,
                                          const artifact::CachedFile& file);
  // FailedPrecondition once final; call before hashing anything, so a logged artifact fails
  // fast.
  absl::Status CheckCanAdd() const;
  // new_file() bookkeeping: a final artifact refuses while any file is open.
  absl::Status OpenFile(const std::string& path);
  void CloseFile(const std::string& path);

  absl::StatusOr<ArtifactEntry> Get(const std::string& path) const;
  std::vector<ArtifactEntry> Entries() const;
  std::string Digest() const;
  std::string ManifestJson() const;
  int64_t Size() const;

  // Makes the artifact final for log_artifact and returns its manifest. FailedPrecondition
  // when it was logged already or a new_file() is still open.
  absl::StatusOr<artifact::Manifest> Finalize();
  // Once its record is queued: how wait() asks about it.
  void SetLogged(ArtifactPoll poll);
  bool logged() const;
  absl::StatusOr<std::string> Wait(std::chrono::milliseconds timeout);
  // The daemon's last word on the artifact (finish's answer): wait() then asks no more.
  void Resolve(const service::ArtifactStatusResponse& outcome);
  std::string version() const;
  // A used version's aliases when it was resolved (empty for one being logged).
  std::vector<std::string> aliases() const { return aliases_; }
  // Whether this is a stored version (from use_artifact() or wandb::Api), and then its full
  // name, "entity/project/name:vN".
  bool used() const { return used_; }
  std::string StoredRef() const;

  // Copies a used version's stored files under `root` (default ./artifacts/<name>:<version>),
  // each checked against its digest; the root. FailedPrecondition for an artifact that was not
  // from use_artifact().
  absl::StatusOr<std::string> Download(const std::string& root) const;
  // OK when every stored file is under `root` with its digest; DataLoss naming those not.
  absl::Status Verify(const std::string& root) const;
  // Download() after removing the files under `root` the artifact does not have.
  absl::StatusOr<std::string> Checkout(const std::string& root) const;
  // Download() of an artifact of one entry; the path of that file.
  absl::StatusOr<std::string> File(const std::string& root) const;

 private:
  // A used version's stored files; FailedPrecondition naming `what` for any other artifact.
  absl::StatusOr<std::vector<artifact::StoredFile>> UsedFiles(const char* what) const;

  ArtifactState(std::string name, std::string type, std::string description, Value::Map metadata);

  const std::string name_;
  const std::string type_;
  const std::string client_id_;
  const artifact::ArtifactCache cache_;
  bool used_ = false;  // from use_artifact(): set by Used() before the state is shared
  std::vector<std::string> aliases_;
  std::string stored_entity_;  // a used version's place in the store
  std::string stored_project_;
  mutable absl::Mutex mu_;
  std::string description_ ABSL_GUARDED_BY(mu_);
  Value::Map metadata_ ABSL_GUARDED_BY(mu_);
  artifact::Manifest manifest_ ABSL_GUARDED_BY(mu_);
  std::vector<std::string> open_files_ ABSL_GUARDED_BY(mu_);
  bool final_ ABSL_GUARDED_BY(mu_) = false;
  ArtifactPoll poll_ ABSL_GUARDED_BY(mu_);
  std::string version_ ABSL_GUARDED_BY(mu_);
  std::optional<service::ArtifactStatusResponse> resolved_ ABSL_GUARDED_BY(mu_);
};

// The public entry of a manifest entry.
ArtifactEntry PublicEntry(const artifact::ManifestEntry& entry);

}  // namespace wandb::internal

#endif  // WANDB_CLIENT_SRC_ARTIFACT_ARTIFACT_STATE_H_
