#include "client/src/artifact/artifact_file_state.h"

#include <stdlib.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <system_error>

#include "absl/strings/str_cat.h"

namespace wandb::internal {

absl::StatusOr<std::unique_ptr<ArtifactFileState>> ArtifactFileState::Open(
    std::shared_ptr<ArtifactState> artifact, const std::string& path) {
  if (absl::Status s = artifact->OpenFile(path); !s.ok()) return s;
  std::error_code ec;
  std::string dir = (std::filesystem::temp_directory_path(ec) / "wandb-artifact-XXXXXX").string();
  if (ec || mkdtemp(dir.data()) == nullptr) {
    artifact->CloseFile(path);
    return absl::InternalError(
        absl::StrCat("new_file: cannot make a staging directory: ", std::strerror(errno)));
  }
  auto state = std::unique_ptr<ArtifactFileState>(
      new ArtifactFileState(std::move(artifact), path, std::move(dir)));
  if (!state->stream_.is_open()) {
    return absl::InternalError(
        absl::StrCat("new_file: cannot open a staging file in ", state->staging_dir_));
  }
  return state;
}

ArtifactFileState::ArtifactFileState(std::shared_ptr<ArtifactState> artifact, std::string path,
                                     std::string staging_dir)
    : artifact_(std::move(artifact)),
      path_(std::move(path)),
      staging_dir_(std::move(staging_dir)),
      stream_(staging_dir_ + "/content", std::ios::binary) {}

ArtifactFileState::~ArtifactFileState() {
  if (!closed_) artifact_->CloseFile(path_);
  std::error_code ec;
  std::filesystem::remove_all(staging_dir_, ec);
}

absl::StatusOr<ArtifactEntry> ArtifactFileState::Close() {
  if (closed_) {
    return absl::FailedPreconditionError(absl::StrCat("new_file('", path_, "') is closed already"));
  }
  closed_ = true;
  stream_.close();
  artifact_->CloseFile(path_);
  if (stream_.fail()) {
    return absl::InternalError(absl::StrCat("new_file('", path_, "'): writing failed"));
  }
  absl::StatusOr<artifact::CachedFile> cached =
      artifact_->cache().PutFile(staging_dir_ + "/content");
  if (!cached.ok()) return cached.status();
  return artifact_->AddCached(path_, *cached);
}

}  // namespace wandb::internal
