#include "common/artifact/manifest_json.h"

#include "absl/strings/str_cat.h"
#include "common/artifact/artifact_names.h"
#include "common/artifact/md5.h"
#include "common/value/json.h"

namespace wandb::artifact {
namespace {

const std::string* TextAt(const Value& object, std::string_view key) {
  const Value* value = object.find(key);
  return value != nullptr && value->is_string() ? &value->as_string() : nullptr;
}

absl::StatusOr<ManifestEntry> ParseEntry(const std::string& path, const Value& fields) {
  auto bad = [&path](absl::string_view why) {
    return absl::InvalidArgumentError(absl::StrCat("manifest entry '", path, "': ", why));
  };
  if (!fields.is_map()) return bad("not an object");
  if (absl::Status s = ValidateEntryPath(path); !s.ok()) return s;
  ManifestEntry entry;
  entry.path = path;
  const std::string* digest = TextAt(fields, "digest");
  if (digest == nullptr) return bad("no digest");
  entry.digest = *digest;
  if (const std::string* ref = TextAt(fields, "ref"); ref != nullptr) entry.ref = *ref;
  if (const Value* size = fields.find("size"); size != nullptr && size->is_int()) {
    if (size->as_int() < 0) return bad("a negative size");
    entry.size = size->as_int();
  }
  if (const std::string* birth = TextAt(fields, "birthArtifactID"); birth != nullptr) {
    entry.birth_artifact_id = *birth;
  }
  if (const Value* extra = fields.find("extra"); extra != nullptr && extra->is_map()) {
    for (const auto& [key, value] : extra->as_map()) {
      entry.extra.emplace_back(key, json::Encode(value));
    }
  }
  if (entry.is_reference()) {
    if (absl::Status s = ValidateReferenceUri(entry.ref); !s.ok()) return s;
  } else if (!FromBase64(entry.digest).ok()) {
    return bad("its digest is not a base64 MD5");
  }
  return entry;
}

}  // namespace

absl::StatusOr<Manifest> ParseManifestJson(absl::string_view text) {
  absl::StatusOr<Value> root = json::Parse(text);
  if (!root.ok() || !root->is_map()) {
    return absl::InvalidArgumentError("the artifact manifest is not a JSON object");
  }
  const Value* version = root->find("version");
  if (version == nullptr || !version->is_int() || version->as_int() != kManifestVersion) {
    return absl::InvalidArgumentError("the artifact manifest is not of version 1");
  }
  const std::string* policy = TextAt(*root, "storagePolicy");
  if (policy == nullptr || *policy != kStoragePolicy) {
    return absl::InvalidArgumentError(absl::StrCat("the artifact manifest's storage policy is not ",
                                                   kStoragePolicy, " (the only one read)"));
  }
  const Value* contents = root->find("contents");
  if (contents == nullptr || !contents->is_map()) {
    return absl::InvalidArgumentError("the artifact manifest has no contents");
  }
  Manifest manifest;
  for (const auto& [path, fields] : contents->as_map()) {
    absl::StatusOr<ManifestEntry> entry = ParseEntry(path, fields);
    if (!entry.ok()) return entry.status();
    if (absl::Status s = manifest.Add(*std::move(entry)); !s.ok()) return s;
  }
  return manifest;
}

}  // namespace wandb::artifact
