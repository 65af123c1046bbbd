// The ArtifactState of a version taken with use_artifact(): made from the daemon's answer, and
// its files copied out of the store (through the artifact cache) by download().
#include <filesystem>
#include <set>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "client/src/artifact/artifact_state.h"
#include "common/artifact/artifact_record.h"
#include "common/artifact/materialize.h"
#include "common/value/json.h"

namespace wandb::internal {
namespace {

// The stored files of `manifest` (references are recorded, not fetched).
absl::StatusOr<std::vector<artifact::StoredFile>> StoredFiles(const artifact::Manifest& manifest) {
  std::vector<artifact::StoredFile> files;
  for (const auto& [path, entry] : manifest.entries()) {
    if (entry.is_reference()) continue;
    absl::StatusOr<artifact::Md5Bytes> md5 = artifact::FromBase64(entry.digest);
    if (!md5.ok()) return md5.status();
    files.push_back({path, *md5, entry.size.value_or(0), entry.local_path});
  }
  return files;
}

}  // namespace

absl::StatusOr<std::shared_ptr<ArtifactState>> ArtifactState::Used(
    const service::UseArtifactResponse& used) {
  Value::Map metadata;
  if (absl::StatusOr<Value> parsed = json::Parse(used.metadata_json());
      parsed.ok() && parsed->is_map()) {
    metadata = parsed->as_map();
  }
  absl::StatusOr<std::shared_ptr<ArtifactState>> state =
      Make(used.name(), used.type(), used.description(), std::move(metadata));
  if (!state.ok()) return state.status();
  absl::StatusOr<artifact::Manifest> manifest = artifact::ManifestFromProto(used.manifest());
  if (!manifest.ok()) return manifest.status();
  ArtifactState& s = **state;
  // The daemon's digest is the store's: entries that do not give it back were misread.
  if (manifest->Digest() != used.digest()) {
    return absl::DataLossError(absl::StrCat("artifact ", used.name(), ":", used.version(),
                                            ": its entries do not make its digest ",
                                            used.digest()));
  }
  s.used_ = true;
  s.aliases_.assign(used.aliases().begin(), used.aliases().end());
  s.stored_entity_ = used.entity();
  s.stored_project_ = used.project();
  absl::MutexLock lock(&s.mu_);
  s.manifest_ = *std::move(manifest);
  s.final_ = true;
  s.version_ = used.version();
  service::ArtifactStatusResponse committed;
  committed.set_state(service::ArtifactStatusResponse::COMMITTED);
  committed.set_version(used.version());
  committed.set_digest(used.digest());
  s.poll_ = [committed]() -> absl::StatusOr<service::ArtifactStatusResponse> { return committed; };
  return state;
}

std::string ArtifactState::StoredRef() const {
  return absl::StrCat(stored_entity_, "/", stored_project_, "/", name_, ":", version());
}

absl::StatusOr<std::vector<artifact::StoredFile>> ArtifactState::UsedFiles(const char* what) const {
  if (!used_) {
    return absl::FailedPreconditionError(
        absl::StrCat(what, ": artifact ", name_,
                     " was not taken with run.use_artifact(); its files are where you added "
                     "them from"));
  }
  absl::MutexLock lock(&mu_);
  return StoredFiles(manifest_);
}

absl::StatusOr<std::string> ArtifactState::Download(const std::string& root) const {
  absl::StatusOr<std::vector<artifact::StoredFile>> files = UsedFiles("download()");
  if (!files.ok()) return files.status();
  const std::string target = root.empty() ? artifact::DefaultDownloadRoot(name_, version()) : root;
  absl::StatusOr<artifact::MaterializeReport> report =
      artifact::Materialize(*files, target, cache_);
  if (!report.ok()) {
    return absl::Status(report.status().code(),
                        absl::StrCat("download of artifact ", name_, ":", version(), " into ",
                                     target, ": ", report.status().message()));
  }
  return target;
}

absl::StatusOr<std::string> ArtifactState::Checkout(const std::string& root) const {
  if (absl::Status s = UsedFiles("checkout()").status(); !s.ok()) return s;
  const std::string target = root.empty() ? artifact::DefaultDownloadRoot(name_, version()) : root;
  std::set<std::string> entries;
  {
    absl::MutexLock lock(&mu_);
    for (const auto& [path, entry] : manifest_.entries()) entries.insert(path);
  }
  // wandb's checkout: files only (empty folders stay); a symlink is removed, never followed.
  std::error_code ec;
  std::vector<std::filesystem::path> extra;
  for (auto it = std::filesystem::recursive_directory_iterator(target, ec);
       !ec && it != std::filesystem::recursive_directory_iterator(); it.increment(ec)) {
    if (it->is_directory(ec) && !it->is_symlink(ec)) continue;
    std::string relative =
        std::filesystem::path(it->path()).lexically_relative(target).generic_string();
    if (entries.count(relative) == 0) extra.push_back(it->path());
  }
  for (const std::filesystem::path& path : extra) {
    if (!std::filesystem::remove(path, ec) && ec) {
      return absl::InternalError(absl::StrCat("checkout of artifact ", name_, ":", version(),
                                              ": cannot remove ", path.string(), ": ",
                                              ec.message()));
    }
  }
  return Download(target);
}

absl::StatusOr<std::string> ArtifactState::File(const std::string& root) const {
  if (absl::Status s = UsedFiles("file()").status(); !s.ok()) return s;
  std::string only;
  size_t entries = 0;
  {
    absl::MutexLock lock(&mu_);
    entries = manifest_.entries().size();
    if (entries == 1) only = manifest_.entries().begin()->first;
  }
  if (entries != 1) {
    return absl::FailedPreconditionError(
        absl::StrCat("file(): artifact ", name_, ":", version(), " has ", entries,
                     " entries, not one: call download(), or get_path(name)"));
  }
  absl::StatusOr<std::string> target = Download(root);
  if (!target.ok()) return target.status();
  return (std::filesystem::path(*target) / only).string();
}

absl::Status ArtifactState::Verify(const std::string& root) const {
  absl::StatusOr<std::vector<artifact::StoredFile>> files = UsedFiles("verify()");
  if (!files.ok()) return files.status();
  return artifact::Verify(*files,
                          root.empty() ? artifact::DefaultDownloadRoot(name_, version()) : root);
}

}  // namespace wandb::internal
