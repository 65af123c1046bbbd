#include "service/backend/artifact_upload.h"

#include <stdlib.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <filesystem>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "common/artifact/md5.h"

namespace wandb::service {
namespace {

// The manifest's JSON in a temporary file for the PUT, removed when this goes.
class TemporaryFile {
 public:
  static absl::StatusOr<TemporaryFile> Write(absl::string_view bytes) {
    std::error_code ec;
    std::string pattern =
        (std::filesystem::temp_directory_path(ec) / "wandb-manifest-XXXXXX").string();
    int fd = mkstemp(pattern.data());
    if (fd < 0) {
      return absl::UnavailableError(
          absl::StrCat("a temporary file for the artifact's manifest: ", std::strerror(errno)));
    }
    TemporaryFile file(pattern);
    size_t written = 0;
    while (written < bytes.size()) {
      ssize_t n = ::write(fd, bytes.data() + written, bytes.size() - written);
      if (n < 0 && errno == EINTR) continue;
      if (n <= 0) {
        ::close(fd);
        return absl::UnavailableError(absl::StrCat("writing the artifact's manifest to ", pattern,
                                                   ": ", std::strerror(errno)));
      }
      written += static_cast<size_t>(n);
    }
    ::close(fd);
    return file;
  }
  TemporaryFile(TemporaryFile&& other) noexcept : path_(std::move(other.path_)) {
    other.path_.clear();
  }
  TemporaryFile(const TemporaryFile&) = delete;
  TemporaryFile& operator=(const TemporaryFile&) = delete;
  ~TemporaryFile() {
    if (!path_.empty()) ::unlink(path_.c_str());
  }
  const std::string& path() const { return path_; }

 private:
  explicit TemporaryFile(std::string path) : path_(std::move(path)) {}
  std::string path_;
};

}  // namespace

ArtifactUpload::ArtifactUpload(records::ArtifactRecord record, artifact::Manifest manifest)
    : record_(std::move(record)), manifest_(std::move(manifest)) {
  for (const auto& [path, entry] : manifest_.entries()) {
    if (!entry.is_reference()) stored_paths_.push_back(path);
  }
}

absl::StatusOr<ArtifactLogged> ArtifactUpload::Continue(WandbApi& api, const Bucket& run) {
  WandbArtifactApi artifacts(&api);
  if (!created_.has_value()) {
    if (absl::Status s = Create(artifacts, run); !s.ok()) return s;
  }
  // The server has this content committed already (another run logged it): nothing to send.
  if (created_->state == "COMMITTED" || created_->state == "COMMITTING") {
    if (record_.use_after_commit()) {
      if (absl::Status s = artifacts.Use(run, created_->id); !s.ok()) return s;
    }
    return Logged(*created_);
  }
  if (created_->state != "PENDING") {
    return absl::FailedPreconditionError(
        absl::StrCat("W&B CreateArtifact: artifact ", record_.name(), " is ", created_->state));
  }
  if (manifest_id_.empty()) {
    absl::StatusOr<UploadSlot> slot = artifacts.CreateManifest(
        run, created_->id, created_->latest_id, /*digest=*/"", /*include_upload=*/false);
    if (!slot.ok()) return slot.status();
    manifest_id_ = slot->id;
  }
  for (;;) {
    absl::StatusOr<bool> done = UploadNextFiles(api, artifacts);
    if (!done.ok()) return done.status();
    if (*done) break;
  }
  if (!manifest_put_) {
    if (absl::Status s = PutManifest(api, artifacts, run); !s.ok()) return s;
  }
  if (!committed_.has_value()) {
    absl::StatusOr<ServerArtifact> committed = Commit(api, artifacts);
    if (!committed.ok()) return committed.status();
    committed_ = *std::move(committed);
  }
  if (record_.use_after_commit()) {
    if (absl::Status s = artifacts.Use(run, created_->id); !s.ok()) return s;
  }
  return Logged(*committed_);
}

absl::Status ArtifactUpload::Create(WandbArtifactApi& api, const Bucket& run) {
  NewArtifact artifact{.entity = run.entity,
                       .project = run.project,
                       .run = run.name,
                       .type = record_.type(),
                       .name = record_.name(),
                       .digest = record_.digest(),
                       .description = record_.description(),
                       .metadata = record_.metadata(),
                       .aliases = {record_.aliases().begin(), record_.aliases().end()},
                       .client_id = record_.client_id(),
                       .sequence_client_id = record_.sequence_client_id()};
  // wandb moves "latest" to every new version unless told otherwise.
  if (artifact.aliases.empty()) artifact.aliases.push_back("latest");
  absl::StatusOr<ServerArtifact> created = api.CreateArtifact(artifact);
  if (!created.ok()) return created.status();
  created_ = *std::move(created);
  return absl::OkStatus();
}

absl::StatusOr<bool> ArtifactUpload::UploadNextFiles(WandbApi& api, WandbArtifactApi& artifacts) {
  if (files_done_ == stored_paths_.size()) return true;
  const size_t count =
      std::min(WandbArtifactApi::kFilesPerRequest, stored_paths_.size() - files_done_);
  if (batch_.empty()) {
    std::vector<AnnouncedFile> announced;
    announced.reserve(count);
    for (size_t i = files_done_; i < files_done_ + count; ++i) {
      announced.push_back({stored_paths_[i], manifest_.Find(stored_paths_[i])->digest});
    }
    absl::StatusOr<std::vector<UploadSlot>> slots =
        artifacts.CreateFiles(created_->id, manifest_id_, announced);
    if (!slots.ok()) return slots.status();
    batch_ = *std::move(slots);
    batch_put_ = 0;
  }
  for (; batch_put_ < batch_.size(); ++batch_put_) {
    const UploadSlot& slot = batch_[batch_put_];
    artifact::ManifestEntry entry = *manifest_.Find(stored_paths_[files_done_ + batch_put_]);
    if (!slot.url.empty()) {
      std::string what =
          absl::StrCat("upload of ", entry.path, " (artifact ", record_.name(), ") to W&B");
      if (absl::Status s = api.PutFile(slot.url, slot.headers, entry.local_path, what); !s.ok()) {
        return s;
      }
    }
    // The same digest: Add() replaces the entry, now naming where its bytes live.
    entry.birth_artifact_id = slot.birth_artifact_id;
    if (absl::Status s = manifest_.Add(std::move(entry)); !s.ok()) return s;
  }
  files_done_ += batch_.size();
  batch_.clear();
  return files_done_ == stored_paths_.size();
}

absl::Status ArtifactUpload::PutManifest(WandbApi& api, WandbArtifactApi& artifacts,
                                         const Bucket& run) {
  std::string json = manifest_.ToJson();
  std::string digest = artifact::ToBase64(artifact::Md5Of(json));
  absl::StatusOr<UploadSlot> slot = artifacts.CreateManifest(run, created_->id, created_->latest_id,
                                                             digest, /*include_upload=*/true);
  if (!slot.ok()) return slot.status();
  absl::StatusOr<TemporaryFile> file = TemporaryFile::Write(json);
  if (!file.ok()) return file.status();
  std::string what = absl::StrCat("upload of artifact ", record_.name(), "'s manifest to W&B");
  if (absl::Status s = api.PutFile(slot->url, slot->headers, file->path(), what); !s.ok()) {
    return s;
  }
  manifest_put_ = true;
  return absl::OkStatus();
}

absl::StatusOr<ServerArtifact> ArtifactUpload::Commit(WandbApi& api, WandbArtifactApi& artifacts) {
  absl::Time now = absl::Now();
  if (first_commit_ == absl::InfiniteFuture()) first_commit_ = now;
  absl::StatusOr<ServerArtifact> committed = artifacts.Commit(created_->id);
  // 409: the server is still taking the files in. Worth asking again, for a while.
  if (!committed.ok() && api.last_http_status() == 409 &&
      now - first_commit_ < kCommitConflictWindow) {
    return absl::UnavailableError(committed.status().message());
  }
  return committed;
}

ArtifactLogged ArtifactUpload::Logged(const ServerArtifact& version) const {
  ArtifactLogged logged{.version = version.version(), .digest = version.digest};
  // A server that names no version: the one created_ named, else "latest" as wandb says.
  if (logged.version.empty()) logged.version = created_->version();
  if (logged.version.empty()) logged.version = "latest";
  if (logged.digest.empty()) logged.digest = record_.digest();
  return logged;
}

}  // namespace wandb::service
