#include "client/src/artifact/artifact_record_builder.h"

#include <algorithm>

#include "absl/strings/str_cat.h"
#include "common/artifact/artifact_names.h"
#include "common/artifact/artifact_record.h"
#include "common/value/json.h"

namespace wandb::internal {

absl::StatusOr<records::Record> BuildArtifactRecord(const ArtifactRecordInput& input,
                                                    const artifact::Manifest& manifest) {
  std::vector<std::string> aliases;
  for (const std::string& alias : input.aliases) {
    if (absl::Status s = artifact::ValidateAlias(alias); !s.ok()) return s;
    if (std::find(aliases.begin(), aliases.end(), alias) == aliases.end()) {
      aliases.push_back(alias);
    }
  }
  if (aliases.empty()) aliases.push_back("latest");  // wandb's default
  if (aliases.size() > artifact::kMaxAliases) {
    return absl::InvalidArgumentError(
        absl::StrCat("log_artifact: over ", artifact::kMaxAliases, " aliases"));
  }
  records::Record record;
  records::ArtifactRecord* out = record.mutable_artifact();
  out->set_run_id(input.run_id);
  out->set_entity(input.entity);
  out->set_project(input.project);
  out->set_name(input.name);
  out->set_type(input.type);
  out->set_description(input.description);
  if (!input.metadata.empty()) out->set_metadata(json::Encode(Value(input.metadata)));
  out->set_client_id(input.client_id);
  out->set_sequence_client_id(input.client_id);
  out->set_finalize(true);
  for (const std::string& alias : aliases) out->add_aliases(alias);
  artifact::ManifestToProto(manifest, out->mutable_manifest());
  out->set_digest(manifest.Digest());
  if (record.ByteSizeLong() > artifact::kMaxRecordBytes) {
    return absl::InvalidArgumentError(
        absl::StrCat("log_artifact: artifact ", input.name, " has too many entries (",
                     manifest.entries().size(), ") for one record of at most 32 MiB; split it"));
  }
  return record;
}

}  // namespace wandb::internal
