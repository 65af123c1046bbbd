// The public wandb::Artifact and wandb::ArtifactFile: each call checks its input and turns the
// state's absl::Status into wandb::Error.
#include "wandb/artifact.h"

#include <cstdio>
#include <filesystem>
#include <system_error>

#include "absl/strings/str_cat.h"
#include "client/src/artifact/add_dir.h"
#include "client/src/artifact/artifact_file_state.h"
#include "client/src/artifact/artifact_state.h"
#include "client/src/artifact/references.h"
#include "client/src/status_error.h"
#include "common/artifact/artifact_names.h"
#include "wandb/error.h"

namespace wandb {
namespace {

void Check(const absl::Status& status) {
  if (!status.ok()) internal::ThrowError(status);
}

template <typename T>
T Check(absl::StatusOr<T> value) {
  Check(value.status());
  return *std::move(value);
}

}  // namespace

Artifact::Artifact(const std::string& name, const std::string& type, const std::string& description,
                   Value::Map metadata)
    : state_(Check(internal::ArtifactState::Make(name, type, description, std::move(metadata)))) {}

const std::string& Artifact::name() const { return state_->name(); }
const std::string& Artifact::type() const { return state_->type(); }
std::string Artifact::description() const { return state_->description(); }
Value::Map Artifact::metadata() const { return state_->metadata(); }
void Artifact::set_description(const std::string& description) {
  Check(state_->SetDescription(description));
}
void Artifact::set_metadata(Value::Map metadata) {
  Check(state_->SetMetadata(std::move(metadata)));
}

ArtifactEntry Artifact::add_file(const std::string& local_path, const std::string& name) {
  Check(state_->CheckCanAdd());
  std::error_code ec;
  if (!std::filesystem::is_regular_file(local_path, ec)) {
    throw Error(absl::StrCat("add_file: '", local_path, "' is not a file"), ErrorCode::kNotFound);
  }
  const std::string path =
      name.empty() ? std::filesystem::path(local_path).filename().string() : name;
  Check(artifact::ValidateEntryPath(path));
  artifact::CachedFile cached = Check(state_->cache().PutFile(local_path));
  return Check(state_->AddCached(path, cached));
}

void Artifact::add_dir(const std::string& local_path, const std::string& name) {
  Check(state_->CheckCanAdd());
  if (!name.empty()) Check(artifact::ValidateEntryPath(name));
  Check(internal::AddDir(*state_, local_path, name));
}

ArtifactFile Artifact::new_file(const std::string& name) {
  return ArtifactFile(Check(internal::ArtifactFileState::Open(state_, name)));
}

std::vector<ArtifactEntry> Artifact::add_reference(const std::string& uri, const std::string& name,
                                                   bool checksum) {
  Check(state_->CheckCanAdd());
  if (!name.empty()) Check(artifact::ValidateEntryPath(name));
  std::vector<ArtifactEntry> added;
  for (artifact::ManifestEntry& entry : Check(internal::ReferenceEntries(uri, name, checksum))) {
    added.push_back(internal::PublicEntry(entry));
    Check(state_->Add(std::move(entry)));
  }
  return added;
}

ArtifactEntry Artifact::get_path(const std::string& name) const { return Check(state_->Get(name)); }
std::vector<ArtifactEntry> Artifact::entries() const { return state_->Entries(); }
std::string Artifact::digest() const { return state_->Digest(); }
std::string Artifact::manifest_json() const { return state_->ManifestJson(); }
int64_t Artifact::size() const { return state_->Size(); }
bool Artifact::logged() const { return state_->logged(); }

std::string Artifact::wait(double timeout_seconds) {
  if (!(timeout_seconds >= 0) || timeout_seconds > 1e9) {
    throw Error("Artifact::wait: the timeout must be a number of seconds >= 0",
                ErrorCode::kInvalidArgument);
  }
  return Check(
      state_->Wait(std::chrono::milliseconds(static_cast<int64_t>(timeout_seconds * 1e3))));
}
std::string Artifact::version() const { return state_->version(); }
std::vector<std::string> Artifact::aliases() const { return state_->aliases(); }
std::string Artifact::download(const std::string& root) const {
  return Check(state_->Download(root));
}
void Artifact::verify(const std::string& root) const { Check(state_->Verify(root)); }
std::string Artifact::checkout(const std::string& root) const {
  return Check(state_->Checkout(root));
}
std::string Artifact::file(const std::string& root) const { return Check(state_->File(root)); }

ArtifactFile::ArtifactFile(std::unique_ptr<internal::ArtifactFileState> state)
    : state_(std::move(state)) {}
ArtifactFile::ArtifactFile(ArtifactFile&&) noexcept = default;
ArtifactFile& ArtifactFile::operator=(ArtifactFile&&) noexcept = default;

ArtifactFile::~ArtifactFile() {
  if (state_ == nullptr || state_->closed()) return;
  absl::StatusOr<ArtifactEntry> added = state_->Close();
  if (!added.ok()) {
    std::fprintf(stderr, "wandb: new_file('%s') was not added: %s\n", state_->path().c_str(),
                 std::string(added.status().message()).c_str());
  }
}

std::ostream& ArtifactFile::stream() {
  if (state_ == nullptr) throw Error("this ArtifactFile was moved from");
  return state_->stream();
}

ArtifactEntry ArtifactFile::close() {
  if (state_ == nullptr) throw Error("this ArtifactFile was moved from");
  return Check(state_->Close());
}

}  // namespace wandb
