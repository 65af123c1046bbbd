#include "service/files/save_policies.h"

#include <algorithm>
#include <utility>

#include "absl/status/status.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "service/files/file_tree.h"

namespace wandb::files {
namespace {

// The glob with "." and empty components dropped ("./a//b" is "a/b"), as Python's
// relpath(join(dir, glob), dir) normalises it; a glob must stay inside files/.
absl::StatusOr<std::string> NormalizeGlob(absl::string_view glob) {
  if (glob.empty()) return absl::InvalidArgumentError("empty save glob");
  if (absl::StartsWith(glob, "/")) {
    return absl::InvalidArgumentError(absl::StrCat("save glob is absolute: ", glob));
  }
  std::vector<absl::string_view> parts;
  for (absl::string_view part : absl::StrSplit(glob, '/')) {
    if (part == "..") {
      return absl::InvalidArgumentError(absl::StrCat("save glob leaves files/: ", glob));
    }
    if (!part.empty() && part != ".") parts.push_back(part);
  }
  if (parts.empty()) return absl::InvalidArgumentError(absl::StrCat("save glob is empty: ", glob));
  return absl::StrJoin(parts, "/");
}

void AddOnce(std::vector<std::string>& globs, const std::string& glob) {
  if (std::find(globs.begin(), globs.end(), glob) == globs.end()) globs.push_back(glob);
}

}  // namespace

Policy PolicyFromProto(records::FilesItem::PolicyType policy) {
  switch (policy) {
    case records::FilesItem::NOW:
      return Policy::kNow;
    case records::FilesItem::LIVE:
      return Policy::kLive;
    default:
      return Policy::kEnd;
  }
}

records::FilesItem::PolicyType PolicyToProto(Policy policy) {
  switch (policy) {
    case Policy::kNow:
      return records::FilesItem::NOW;
    case Policy::kLive:
      return records::FilesItem::LIVE;
    case Policy::kEnd:
      break;
  }
  return records::FilesItem::END;
}

SavePolicies::SavePolicies(std::string files_dir, Options options)
    : files_dir_(std::move(files_dir)),
      options_(std::move(options)),
      ignore_(options_.ignore_globs) {}

absl::StatusOr<std::vector<UploadTask>> SavePolicies::OnSave(absl::string_view glob, Policy policy,
                                                             absl::Time now) {
  absl::StatusOr<std::string> normalized = NormalizeGlob(glob);
  if (!normalized.ok()) return normalized.status();
  if (!HasGlobMagic(*normalized)) {
    save_name_policies_[*normalized] = policy;
  } else if (policy == Policy::kNow) {
    AddOnce(now_globs_, *normalized);
  } else if (policy == Policy::kLive) {
    AddOnce(live_globs_, *normalized);
  } else {
    AddOnce(end_globs_, *normalized);
  }
  std::vector<UploadTask> uploads;
  for (const std::string& save_name : FilesMatching(*normalized)) {
    std::optional<UploadTask> task = Force(save_name, policy, now);
    if (task.has_value()) uploads.push_back(std::move(*task));
  }
  return uploads;
}

std::optional<UploadTask> SavePolicies::OnChanged(absl::string_view save_name, absl::Time now) {
  if (ignore_.IgnoredByWatcher(save_name)) return std::nullopt;
  absl::StatusOr<FileVersion> version = StatFile(JoinPath(files_dir_, save_name));
  if (!version.ok()) return std::nullopt;
  return DecideUpload(StateFor(save_name), save_name, *version, now);
}

Policy SavePolicies::PolicyFor(absl::string_view save_name) { return StateFor(save_name).policy; }

void SavePolicies::Uploaded(absl::string_view save_name, int64_t size, absl::Time mtime) {
  StateFor(save_name).uploaded = FileVersion{.size = size, .mtime = mtime};
}

std::vector<UploadTask> SavePolicies::FilesToUploadAtFinish() {
  std::vector<UploadTask> uploads;
  auto skip = [this](absl::string_view name) { return ignore_.IgnoredAtFinish(name); };
  for (const TreeEntry& entry : ListTree(files_dir_, skip)) {
    if (entry.stamp.version.size <= 0) continue;
    const FileState& state = StateFor(entry.save_name);
    if (DueAtFinish(state, entry.stamp.version)) {
      uploads.push_back(MakeTask(entry.save_name, state.policy, entry.stamp.version));
    }
  }
  return uploads;
}

SavePolicies::FileState& SavePolicies::StateFor(absl::string_view save_name) {
  auto it = files_.find(save_name);
  if (it == files_.end()) {
    it = files_.emplace(std::string(save_name), NewState(save_name)).first;
  }
  return it->second;
}

SavePolicies::FileState SavePolicies::NewState(absl::string_view save_name) const {
  FileState state;
  state.policy = PolicyByRules(save_name);
  state.live = LivePolicy(options_.live);
  return state;
}

Policy SavePolicies::PolicyByRules(absl::string_view save_name) const {
  if (absl::StrContains(save_name, "tfevents") || absl::StrContains(save_name, "graph.pbtxt")) {
    return Policy::kLive;
  }
  auto named = save_name_policies_.find(save_name);
  if (named != save_name_policies_.end()) return named->second;
  // wandb visits the live globs before the now globs and keeps the last match.
  if (MatchesGlobOf(Policy::kNow, save_name)) return Policy::kNow;
  if (MatchesGlobOf(Policy::kLive, save_name)) return Policy::kLive;
  return Policy::kEnd;
}

bool SavePolicies::MatchesGlobOf(Policy policy, absl::string_view save_name) const {
  const std::vector<std::string>& globs = policy == Policy::kNow ? now_globs_ : live_globs_;
  return std::any_of(globs.begin(), globs.end(),
                     [&](const std::string& glob) { return FnMatch(glob, save_name); });
}

std::vector<std::string> SavePolicies::FilesMatching(absl::string_view glob) const {
  std::vector<std::string> names;
  if (!HasGlobMagic(glob)) {
    // A name the user gave exactly counts even when the watcher would ignore it.
    if (StatFile(JoinPath(files_dir_, glob)).ok()) names.emplace_back(glob);
    return names;
  }
  auto skip = [this](absl::string_view name) { return ignore_.IgnoredByWatcher(name); };
  for (const TreeEntry& entry : ListTree(files_dir_, skip)) {
    if (FnMatch(glob, entry.save_name)) names.push_back(entry.save_name);
  }
  return names;
}

std::optional<UploadTask> SavePolicies::Force(absl::string_view save_name, Policy policy,
                                              absl::Time now) {
  FileState& state = StateFor(save_name);
  // As wandb's update_policy: a file whose policy differs from the save's gets a fresh
  // handler, chosen by the rules (which may still overrule the save, e.g. for tfevents).
  if (state.policy != policy) state = NewState(save_name);
  if (state.policy == Policy::kNow) state.now_pending = true;
  absl::StatusOr<FileVersion> version = StatFile(JoinPath(files_dir_, save_name));
  if (!version.ok()) return std::nullopt;
  if (state.policy == Policy::kLive) {
    if (!state.live.ShouldUploadForced(*version)) return std::nullopt;
    state.live.MarkUploaded(*version, now);
    return MakeTask(save_name, Policy::kLive, *version);
  }
  return DecideUpload(state, save_name, *version, now);
}

// A `now` file whose upload waits for content (an empty file at save() time) uploads once
// it has some; wandb would count the skipped empty upload as done and never upload it.
std::optional<UploadTask> SavePolicies::DecideUpload(FileState& state, absl::string_view save_name,
                                                     const FileVersion& version, absl::Time now) {
  if (version.size <= 0) return std::nullopt;
  switch (state.policy) {
    case Policy::kNow:
      if (!state.now_pending) return std::nullopt;
      state.now_pending = false;
      return MakeTask(save_name, Policy::kNow, version);
    case Policy::kLive:
      if (!state.live.ShouldUpload(version, now)) return std::nullopt;
      state.live.MarkUploaded(version, now);
      return MakeTask(save_name, Policy::kLive, version);
    case Policy::kEnd:
      return std::nullopt;
  }
  return std::nullopt;
}

bool SavePolicies::DueAtFinish(const FileState& state, const FileVersion& version) const {
  bool changed = !state.uploaded.has_value() || *state.uploaded != version;
  switch (state.policy) {
    case Policy::kEnd:
      return true;
    case Policy::kLive:
      return changed;
    case Policy::kNow:
      return changed && options_.upload_changed_now_files_at_finish;
  }
  return true;
}

UploadTask SavePolicies::MakeTask(absl::string_view save_name, Policy policy,
                                  const FileVersion& version) const {
  return UploadTask{.save_name = std::string(save_name),
                    .source_path = JoinPath(files_dir_, save_name),
                    .policy = policy,
                    .version = version};
}

}  // namespace wandb::files
