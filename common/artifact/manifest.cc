#include "common/artifact/manifest.h"

#include "absl/strings/str_cat.h"
#include "common/artifact/md5.h"
#include "common/value/json.h"

namespace wandb::artifact {

absl::Status Manifest::Add(ManifestEntry entry) {
  auto it = entries_.find(entry.path);
  if (it != entries_.end() && it->second.digest != entry.digest) {
    return absl::InvalidArgumentError(
        absl::StrCat("the artifact already has a different file at '", entry.path, "'"));
  }
  std::string path = entry.path;
  entries_.insert_or_assign(std::move(path), std::move(entry));
  return absl::OkStatus();
}

const ManifestEntry* Manifest::Find(const std::string& path) const {
  auto it = entries_.find(path);
  return it == entries_.end() ? nullptr : &it->second;
}

int64_t Manifest::TotalSize() const {
  int64_t total = 0;
  for (const auto& [path, entry] : entries_) total += entry.size.value_or(0);
  return total;
}

std::string Manifest::Digest() const {
  Md5 md5;
  md5.Update(kDigestPrefix);
  for (const auto& [path, entry] : entries_) {
    md5.Update(absl::StrCat(path, ":", entry.digest, "\n"));
  }
  return ToHex(md5.Finish());
}

namespace {

// Python's json.dump(indent=4) layout: one member per line, "," ends all but the last, an
// empty object stays "{}".
class IndentedObject {
 public:
  IndentedObject(std::string* out, int depth) : out_(out), depth_(depth) {}
  // Starts a member: its key, quoted, and ": ".
  void Key(absl::string_view key) {
    out_->append(first_ ? "{\n" : ",\n");
    first_ = false;
    out_->append(4 * (depth_ + 1), ' ');
    json::AppendQuoted(key, out_);
    out_->append(": ");
  }
  void Close() {
    if (first_) {
      out_->append("{}");
      return;
    }
    out_->push_back('\n');
    out_->append(4 * depth_, ' ');
    out_->push_back('}');
  }

 private:
  std::string* out_;
  int depth_;
  bool first_ = true;
};

void AppendEntry(const ManifestEntry& entry, std::string* out) {
  IndentedObject object(out, 2);
  object.Key("digest");
  json::AppendQuoted(entry.digest, out);
  if (!entry.birth_artifact_id.empty()) {
    object.Key("birthArtifactID");
    json::AppendQuoted(entry.birth_artifact_id, out);
  }
  if (!entry.ref.empty()) {
    object.Key("ref");
    json::AppendQuoted(entry.ref, out);
  }
  if (!entry.extra.empty()) {
    object.Key("extra");
    IndentedObject extra(out, 3);
    for (const auto& [key, value_json] : entry.extra) {
      extra.Key(key);
      out->append(value_json);
    }
    extra.Close();
  }
  if (entry.size.has_value()) {
    object.Key("size");
    absl::StrAppend(out, *entry.size);
  }
  object.Close();
}

}  // namespace

std::string Manifest::ToJson() const {
  std::string out;
  IndentedObject root(&out, 0);
  root.Key("version");
  absl::StrAppend(&out, kManifestVersion);
  root.Key("storagePolicy");
  json::AppendQuoted(kStoragePolicy, &out);
  root.Key("storagePolicyConfig");
  IndentedObject config(&out, 1);
  config.Key("storageLayout");
  json::AppendQuoted(kStorageLayout, &out);
  config.Close();
  root.Key("contents");
  IndentedObject contents(&out, 1);
  for (const auto& [path, entry] : entries_) {
    contents.Key(path);
    AppendEntry(entry, &out);
  }
  contents.Close();
  root.Close();
  return out;
}

}  // namespace wandb::artifact
