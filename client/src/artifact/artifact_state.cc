#include "client/src/artifact/artifact_state.h"

#include <algorithm>
#include <random>
#include <thread>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "common/artifact/artifact_names.h"
#include "common/artifact/md5.h"
#include "common/value/validation.h"

namespace wandb::internal {
namespace {

// wandb names each log_artifact call by a random client id; 32 hex digits are as unique.
std::string NewClientId() {
  std::random_device seed;
  std::mt19937_64 bits((uint64_t{seed()} << 32) ^ seed());
  return absl::StrCat(absl::Hex(bits(), absl::kZeroPad16), absl::Hex(bits(), absl::kZeroPad16));
}

absl::Status FinalError(const std::string& name) {
  return absl::FailedPreconditionError(
      absl::StrCat("artifact ", name, " was logged; it can take no more entries"));
}

}  // namespace

ArtifactEntry PublicEntry(const artifact::ManifestEntry& entry) {
  return ArtifactEntry{entry.path, entry.digest, entry.ref, entry.size, entry.local_path};
}

absl::StatusOr<std::shared_ptr<ArtifactState>> ArtifactState::Make(std::string name,
                                                                   std::string type,
                                                                   std::string description,
                                                                   Value::Map metadata) {
  if (absl::Status s = artifact::ValidateArtifactName(name); !s.ok()) return s;
  if (absl::Status s = artifact::ValidateArtifactType(type); !s.ok()) return s;
  if (absl::Status s = validation::ValidateEntries(metadata); !s.ok()) return s;
  return std::shared_ptr<ArtifactState>(new ArtifactState(
      std::move(name), std::move(type), std::move(description), std::move(metadata)));
}

ArtifactState::ArtifactState(std::string name, std::string type, std::string description,
                             Value::Map metadata)
    : name_(std::move(name)),
      type_(std::move(type)),
      client_id_(NewClientId()),
      cache_(artifact::ArtifactCache::DefaultRoot()),
      description_(std::move(description)),
      metadata_(std::move(metadata)) {}

std::string ArtifactState::description() const {
  absl::MutexLock lock(&mu_);
  return description_;
}

Value::Map ArtifactState::metadata() const {
  absl::MutexLock lock(&mu_);
  return metadata_;
}

absl::Status ArtifactState::SetDescription(std::string description) {
  absl::MutexLock lock(&mu_);
  if (final_) return FinalError(name_);
  description_ = std::move(description);
  return absl::OkStatus();
}

absl::Status ArtifactState::SetMetadata(Value::Map metadata) {
  if (absl::Status s = validation::ValidateEntries(metadata); !s.ok()) return s;
  absl::MutexLock lock(&mu_);
  if (final_) return FinalError(name_);
  metadata_ = std::move(metadata);
  return absl::OkStatus();
}

absl::Status ArtifactState::CheckCanAdd() const {
  absl::MutexLock lock(&mu_);
  return final_ ? FinalError(name_) : absl::OkStatus();
}

absl::Status ArtifactState::Add(artifact::ManifestEntry entry) {
  if (absl::Status s = artifact::ValidateEntryPath(entry.path); !s.ok()) return s;
  absl::MutexLock lock(&mu_);
  if (final_) return FinalError(name_);
  return manifest_.Add(std::move(entry));
}

absl::StatusOr<ArtifactEntry> ArtifactState::AddCached(const std::string& path,
                                                       const artifact::CachedFile& file) {
  artifact::ManifestEntry entry;
  entry.path = path;
  entry.digest = artifact::ToBase64(file.md5);
  entry.size = file.size;
  entry.local_path = file.path;
  ArtifactEntry added = PublicEntry(entry);
  if (absl::Status s = Add(std::move(entry)); !s.ok()) return s;
  return added;
}

absl::Status ArtifactState::OpenFile(const std::string& path) {
  if (absl::Status s = artifact::ValidateEntryPath(path); !s.ok()) return s;
  absl::MutexLock lock(&mu_);
  if (final_) return FinalError(name_);
  if (manifest_.Find(path) != nullptr ||
      std::find(open_files_.begin(), open_files_.end(), path) != open_files_.end()) {
    return absl::AlreadyExistsError(
        absl::StrCat("artifact ", name_, " already has a file at '", path, "'"));
  }
  open_files_.push_back(path);
  return absl::OkStatus();
}

void ArtifactState::CloseFile(const std::string& path) {
  absl::MutexLock lock(&mu_);
  open_files_.erase(std::remove(open_files_.begin(), open_files_.end(), path), open_files_.end());
}

absl::StatusOr<ArtifactEntry> ArtifactState::Get(const std::string& path) const {
  absl::MutexLock lock(&mu_);
  const artifact::ManifestEntry* entry = manifest_.Find(path);
  if (entry == nullptr) {
    return absl::NotFoundError(absl::StrCat("artifact ", name_, " has no entry '", path, "'"));
  }
  return PublicEntry(*entry);
}

std::vector<ArtifactEntry> ArtifactState::Entries() const {
  absl::MutexLock lock(&mu_);
  std::vector<ArtifactEntry> entries;
  for (const auto& [path, entry] : manifest_.entries()) entries.push_back(PublicEntry(entry));
  return entries;
}

std::string ArtifactState::Digest() const {
  absl::MutexLock lock(&mu_);
  return manifest_.Digest();
}

std::string ArtifactState::ManifestJson() const {
  absl::MutexLock lock(&mu_);
  return manifest_.ToJson();
}

int64_t ArtifactState::Size() const {
  absl::MutexLock lock(&mu_);
  return manifest_.TotalSize();
}

absl::StatusOr<artifact::Manifest> ArtifactState::Finalize() {
  absl::MutexLock lock(&mu_);
  if (final_) {
    return absl::FailedPreconditionError(
        absl::StrCat("artifact ", name_, " was logged already; make a new Artifact to log again"));
  }
  if (!open_files_.empty()) {
    return absl::FailedPreconditionError(absl::StrCat("artifact ", name_, ": new_file('",
                                                      open_files_.front(),
                                                      "') is still open; close() it first"));
  }
  final_ = true;
  return manifest_;
}

void ArtifactState::SetLogged(ArtifactPoll poll) {
  absl::MutexLock lock(&mu_);
  poll_ = std::move(poll);
}

bool ArtifactState::logged() const {
  absl::MutexLock lock(&mu_);
  return poll_ != nullptr;
}

void ArtifactState::Resolve(const service::ArtifactStatusResponse& outcome) {
  absl::MutexLock lock(&mu_);
  resolved_ = outcome;
}

std::string ArtifactState::version() const {
  absl::MutexLock lock(&mu_);
  return version_;
}

absl::StatusOr<std::string> ArtifactState::Wait(std::chrono::milliseconds timeout) {
  ArtifactPoll poll;
  std::optional<service::ArtifactStatusResponse> resolved;
  {
    absl::MutexLock lock(&mu_);
    if (!version_.empty()) return version_;
    poll = poll_;
    resolved = resolved_;
  }
  if (resolved.has_value()) {
    poll = [resolved]() -> absl::StatusOr<service::ArtifactStatusResponse> { return *resolved; };
  }
  if (poll == nullptr) {
    return absl::FailedPreconditionError(
        absl::StrCat("artifact ", name_, " was not logged: call run.log_artifact() first"));
  }
  const absl::Time deadline = absl::Now() + absl::FromChrono(timeout);
  absl::Duration pause = absl::Milliseconds(10);
  while (true) {
    absl::StatusOr<service::ArtifactStatusResponse> status = poll();
    // A daemon that is taking the run over after its predecessor died may not know it for a
    // moment ("no live run"): asked again until the deadline, not given up at once.
    if (!status.ok() && !(absl::IsNotFound(status.status()) && absl::Now() < deadline)) {
      return status.status();
    }
    if (!status.ok()) {
      absl::SleepFor(std::min(absl::Milliseconds(100), deadline - absl::Now()));
      continue;
    }
    switch (status->state()) {
      case service::ArtifactStatusResponse::COMMITTED: {
        absl::MutexLock lock(&mu_);
        version_ = status->version();
        return version_;
      }
      case service::ArtifactStatusResponse::FAILED:
        return absl::AbortedError(
            absl::StrCat("artifact ", name_, " could not be committed: ", status->error()));
      case service::ArtifactStatusResponse::OFFLINE:
        return absl::FailedPreconditionError(absl::StrCat(
            "artifact ", name_, " belongs to an offline run: `wandb-cpp import` commits it"));
      default:
        break;
    }
    if (absl::Now() >= deadline) {
      return absl::DeadlineExceededError(
          absl::StrCat("artifact ", name_, " was not committed within the timeout"));
    }
    absl::SleepFor(std::min(pause, deadline - absl::Now()));
    pause = std::min(pause * 2, absl::Milliseconds(200));
  }
}

}  // namespace wandb::internal
