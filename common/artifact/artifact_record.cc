#include "common/artifact/artifact_record.h"

#include "absl/strings/str_cat.h"
#include "common/artifact/artifact_names.h"
#include "common/artifact/md5.h"
#include "common/value/json.h"
#include "common/value/validation.h"

namespace wandb::artifact {

void ManifestToProto(const Manifest& manifest, records::ArtifactManifest* out) {
  out->set_version(kManifestVersion);
  out->set_storage_policy(kStoragePolicy);
  records::StoragePolicyConfigItem* layout = out->add_storage_policy_config();
  layout->set_key("storageLayout");
  layout->set_value_json(absl::StrCat("\"", kStorageLayout, "\""));
  for (const auto& [path, entry] : manifest.entries()) {
    records::ArtifactManifestEntry* proto = out->add_contents();
    proto->set_path(path);
    proto->set_digest(entry.digest);
    if (entry.size.has_value()) proto->set_size(*entry.size);
    if (!entry.birth_artifact_id.empty()) proto->set_birth_artifact_id(entry.birth_artifact_id);
    if (!entry.ref.empty()) proto->set_ref(entry.ref);
    if (!entry.local_path.empty()) proto->set_local_path(entry.local_path);
    for (const auto& [key, value_json] : entry.extra) {
      records::ExtraItem* extra = proto->add_extra();
      extra->set_key(key);
      extra->set_value_json(value_json);
    }
  }
}

namespace {

absl::StatusOr<ManifestEntry> EntryFromProto(const records::ArtifactManifestEntry& proto) {
  if (absl::Status s = ValidateEntryPath(proto.path()); !s.ok()) return s;
  auto bad = [&proto](absl::string_view why) {
    return absl::InvalidArgumentError(absl::StrCat("artifact entry '", proto.path(), "': ", why));
  };
  ManifestEntry entry;
  entry.path = proto.path();
  entry.digest = proto.digest();
  entry.ref = proto.ref();
  entry.birth_artifact_id = proto.birth_artifact_id();
  entry.local_path = proto.local_path();
  if (proto.size() < 0) return bad("negative size");
  if (entry.ref.empty()) {
    if (!FromBase64(entry.digest).ok()) return bad("digest is not a base64 MD5");
    if (entry.local_path.empty()) return bad("a stored file without a local path");
    entry.size = proto.size();  // wandb leaves a 0 out of the message
  } else {
    if (absl::Status s = ValidateReferenceUri(entry.ref); !s.ok()) return s;
    if (entry.digest.empty() || entry.digest.size() > kMaxPathBytes) {
      return bad("a reference needs a checksum of at most 4096 bytes");
    }
    if (proto.size() > 0) entry.size = proto.size();
  }
  for (const records::ExtraItem& item : proto.extra()) {
    if (!json::Parse(item.value_json()).ok()) return bad("an extra value is not JSON");
    entry.extra.emplace_back(item.key(), item.value_json());
  }
  return entry;
}

}  // namespace

absl::StatusOr<Manifest> ManifestFromProto(const records::ArtifactManifest& proto) {
  if (proto.version() != kManifestVersion) {
    return absl::InvalidArgumentError(
        absl::StrCat("artifact manifest version ", proto.version(), "; only 1 is known"));
  }
  if (proto.contents_size() > kMaxEntries) {
    return absl::InvalidArgumentError(absl::StrCat("artifact has over ", kMaxEntries, " entries"));
  }
  Manifest manifest;
  for (const records::ArtifactManifestEntry& item : proto.contents()) {
    absl::StatusOr<ManifestEntry> entry = EntryFromProto(item);
    if (!entry.ok()) return entry.status();
    if (absl::Status s = manifest.Add(*std::move(entry)); !s.ok()) return s;
  }
  return manifest;
}

namespace {

absl::Status CheckMetadata(const std::string& metadata) {
  if (metadata.empty()) return absl::OkStatus();
  if (metadata.size() > kMaxTextBytes) {
    return absl::InvalidArgumentError("artifact metadata is over 1 MiB of JSON");
  }
  absl::StatusOr<Value> value = json::Parse(metadata);
  if (!value.ok() || !value->is_map()) {
    return absl::InvalidArgumentError("artifact metadata is not a JSON object");
  }
  return absl::OkStatus();
}

}  // namespace

absl::StatusOr<Manifest> CheckArtifactRecord(const records::ArtifactRecord& record) {
  if (absl::Status s = ValidateArtifactName(record.name()); !s.ok()) return s;
  if (absl::Status s = ValidateArtifactType(record.type()); !s.ok()) return s;
  if (record.aliases_size() > kMaxAliases) {
    return absl::InvalidArgumentError(absl::StrCat("over ", kMaxAliases, " artifact aliases"));
  }
  for (const std::string& alias : record.aliases()) {
    if (absl::Status s = ValidateAlias(alias); !s.ok()) return s;
  }
  if (record.description().size() > kMaxTextBytes) {
    return absl::InvalidArgumentError("artifact description is over 1 MiB");
  }
  if (absl::Status s = CheckMetadata(record.metadata()); !s.ok()) return s;
  if (record.client_id().empty() || record.client_id().size() > kMaxNameBytes) {
    return absl::InvalidArgumentError("artifact record without a client id");
  }
  absl::StatusOr<Manifest> manifest = ManifestFromProto(record.manifest());
  if (!manifest.ok()) return manifest.status();
  if (manifest->Digest() != record.digest()) {
    return absl::InvalidArgumentError(absl::StrCat("artifact ", record.name(), ": digest ",
                                                   record.digest(), " is not its manifest's (",
                                                   manifest->Digest(), ")"));
  }
  return manifest;
}

}  // namespace wandb::artifact
