#include "service/backend/wandb_artifact_api.h"

#include <nlohmann/json.hpp>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "service/backend/json_fields.h"

namespace wandb::service {
namespace {

using Json = nlohmann::json;
using json_fields::At;
using json_fields::Text;
using json_fields::UploadHeaders;

// The version fields every answer below selects.
constexpr absl::string_view kVersionFields =
    "id digest state versionIndex aliases { artifactCollectionName alias }";

constexpr absl::string_view kCreateArtifact =
    "mutation CreateArtifact($artifactTypeName: String!, $artifactCollectionNames: [String!], "
    "$entityName: String!, $projectName: String!, $runName: String, $description: String, "
    "$digest: String!, $aliases: [ArtifactAliasInput!], $metadata: JSONString, $clientID: ID!, "
    "$sequenceClientID: ID!) { createArtifact(input: {artifactTypeName: $artifactTypeName, "
    "artifactCollectionNames: $artifactCollectionNames, entityName: $entityName, projectName: "
    "$projectName, runName: $runName, description: $description, digest: $digest, "
    "digestAlgorithm: MANIFEST_MD5, aliases: $aliases, metadata: $metadata, clientID: "
    "$clientID, sequenceClientID: $sequenceClientID}) { artifact { %s artifactSequence { id "
    "latestArtifact { id versionIndex } } } } }";

constexpr absl::string_view kCreateManifest =
    "mutation CreateArtifactManifest($name: String!, $digest: String!, $artifactID: ID!, "
    "$baseArtifactID: ID, $entityName: String!, $projectName: String!, $runName: String!, "
    "$includeUpload: Boolean!) { createArtifactManifest(input: {name: $name, digest: $digest, "
    "artifactID: $artifactID, baseArtifactID: $baseArtifactID, entityName: $entityName, "
    "projectName: $projectName, runName: $runName}) { artifactManifest { id file { id name "
    "uploadUrl @include(if: $includeUpload) uploadHeaders @include(if: $includeUpload) } } } }";

constexpr absl::string_view kCreateFiles =
    "mutation CreateArtifactFiles($storageLayout: ArtifactStorageLayout!, $artifactFiles: "
    "[CreateArtifactFileSpecInput!]!) { createArtifactFiles(input: {artifactFiles: "
    "$artifactFiles, storageLayout: $storageLayout}) { files { edges { node { id name "
    "displayName uploadUrl uploadHeaders artifact { id } } } } } }";

constexpr absl::string_view kCommit =
    "mutation CommitArtifact($artifactID: ID!) { commitArtifact(input: {artifactID: "
    "$artifactID}) { artifact { %s } } }";

constexpr absl::string_view kUse =
    "mutation UseArtifact($entityName: String!, $projectName: String!, $runName: String!, "
    "$artifactID: ID!) { useArtifact(input: {entityName: $entityName, projectName: "
    "$projectName, runName: $runName, artifactID: $artifactID}) { artifact { id digest } } }";

constexpr absl::string_view kFind =
    "query Artifact($entityName: String, $projectName: String, $name: String!) { "
    "project(name: $projectName, entityName: $entityName) { artifact(name: $name) { %s "
    "description metadata artifactSequence { id name } artifactType { id name } } } }";

constexpr absl::string_view kManifest =
    "query ArtifactManifest($entityName: String!, $projectName: String!, $name: String!) { "
    "project(name: $projectName, entityName: $entityName) { artifact(name: $name) { "
    "currentManifest { id file { id directUrl } } } } }";

std::string WithVersionFields(absl::string_view query) {
  std::string out(query);
  out.replace(out.find("%s"), 2, std::string(kVersionFields));
  return out;
}

// The variables as JSON text; a string that is not UTF-8 is sent with replacements rather
// than failing the request.
std::string Variables(const Json& variables) {
  return variables.dump(-1, ' ', false, Json::error_handler_t::replace);
}

// Another way for a request to fail: the answer lacks what it must have.
absl::Status Malformed(absl::string_view what, absl::string_view missing) {
  return absl::UnavailableError(absl::StrCat(what, ": the answer has no ", missing));
}

absl::StatusOr<Json> Data(absl::StatusOr<std::string> data) {
  if (!data.ok()) return data.status();
  return Json::parse(*data, nullptr, /*allow_exceptions=*/false);
}

ServerArtifact ParseVersion(const Json& node) {
  ServerArtifact out;
  out.id = Text(node, "id");
  out.digest = Text(node, "digest");
  out.state = Text(node, "state");
  if (const Json& index = At(node, "versionIndex"); index.is_number_integer()) {
    out.version_index = index.get<int64_t>();
  }
  out.collection = Text(At(node, "artifactSequence"), "name");
  out.type = Text(At(node, "artifactType"), "name");
  out.description = Text(node, "description");
  // JSONString fields come as text; a server that gives an object is taken too.
  if (const Json& metadata = At(node, "metadata"); !metadata.is_null()) {
    out.metadata = metadata.is_string()
                       ? metadata.get<std::string>()
                       : metadata.dump(-1, ' ', false, Json::error_handler_t::replace);
  }
  if (const Json& aliases = At(node, "aliases"); aliases.is_array()) {
    for (const Json& alias : aliases) {
      std::string name = Text(alias, "alias");
      std::string collection = Text(alias, "artifactCollectionName");
      if (name.empty()) continue;
      if (out.collection.empty() || collection.empty() || collection == out.collection) {
        out.aliases.push_back(name);
      }
    }
  }
  return out;
}

}  // namespace

std::string ServerArtifact::version() const {
  if (version_index.has_value()) return absl::StrCat("v", *version_index);
  for (const std::string& alias : aliases) {
    int64_t n = 0;
    if (alias.size() > 1 && alias[0] == 'v' && absl::SimpleAtoi(alias.substr(1), &n) && n >= 0) {
      return alias;
    }
  }
  return "";
}

absl::StatusOr<ServerArtifact> WandbArtifactApi::CreateArtifact(const NewArtifact& artifact) {
  constexpr absl::string_view kWhat = "W&B CreateArtifact";
  Json aliases = Json::array();
  for (const std::string& alias : artifact.aliases) {
    aliases.push_back({{"artifactCollectionName", artifact.name}, {"alias", alias}});
  }
  Json variables = {{"artifactTypeName", artifact.type},
                    {"artifactCollectionNames", {artifact.name}},
                    {"entityName", artifact.entity},
                    {"projectName", artifact.project},
                    {"runName", artifact.run},
                    {"digest", artifact.digest},
                    {"aliases", aliases},
                    {"clientID", artifact.client_id},
                    {"sequenceClientID", artifact.sequence_client_id}};
  if (!artifact.description.empty()) variables["description"] = artifact.description;
  if (!artifact.metadata.empty()) variables["metadata"] = artifact.metadata;
  absl::StatusOr<Json> data =
      Data(api_->GraphQl(WithVersionFields(kCreateArtifact), Variables(variables), kWhat));
  if (!data.ok()) return data.status();
  const Json& node = At(At(*data, "createArtifact"), "artifact");
  if (Text(node, "id").empty()) return Malformed(kWhat, "artifact");
  ServerArtifact out = ParseVersion(node);
  out.collection = artifact.name;
  out.latest_id = Text(At(At(node, "artifactSequence"), "latestArtifact"), "id");
  return out;
}

absl::StatusOr<UploadSlot> WandbArtifactApi::CreateManifest(const Bucket& run,
                                                            const std::string& artifact_id,
                                                            const std::string& base_artifact_id,
                                                            const std::string& digest,
                                                            bool include_upload) {
  constexpr absl::string_view kWhat = "W&B CreateArtifactManifest";
  Json variables = {{"name", "wandb_manifest.json"},  {"digest", digest},
                    {"artifactID", artifact_id},      {"entityName", run.entity},
                    {"projectName", run.project},     {"runName", run.name},
                    {"includeUpload", include_upload}};
  variables["baseArtifactID"] = base_artifact_id.empty() ? Json() : Json(base_artifact_id);
  absl::StatusOr<Json> data = Data(api_->GraphQl(kCreateManifest, Variables(variables), kWhat));
  if (!data.ok()) return data.status();
  const Json& manifest = At(At(*data, "createArtifactManifest"), "artifactManifest");
  if (Text(manifest, "id").empty()) return Malformed(kWhat, "manifest");
  UploadSlot slot;
  slot.id = Text(manifest, "id");
  if (include_upload) {
    slot.url = Text(At(manifest, "file"), "uploadUrl");
    if (slot.url.empty()) return Malformed(kWhat, "upload URL");
    slot.headers = UploadHeaders(At(At(manifest, "file"), "uploadHeaders"));
  }
  return slot;
}

absl::StatusOr<std::vector<UploadSlot>> WandbArtifactApi::CreateFiles(
    const std::string& artifact_id, const std::string& manifest_id,
    const std::vector<AnnouncedFile>& files) {
  constexpr absl::string_view kWhat = "W&B CreateArtifactFiles";
  Json specs = Json::array();
  for (const AnnouncedFile& file : files) {
    specs.push_back({{"artifactID", artifact_id},
                     {"artifactManifestID", manifest_id},
                     {"name", file.name},
                     {"md5", file.md5}});
  }
  Json variables = {{"storageLayout", "V2"}, {"artifactFiles", specs}};
  absl::StatusOr<Json> data = Data(api_->GraphQl(kCreateFiles, Variables(variables), kWhat));
  if (!data.ok()) return data.status();
  const Json& edges = At(At(At(*data, "createArtifactFiles"), "files"), "edges");
  // In the order given, one for each (the reference's rule); anything else is no answer.
  if (!edges.is_array() || edges.size() != files.size()) return Malformed(kWhat, "file per name");
  std::vector<UploadSlot> out;
  out.reserve(files.size());
  for (const Json& edge : edges) {
    const Json& node = At(edge, "node");
    out.push_back(UploadSlot{.id = Text(node, "id"),
                             .url = Text(node, "uploadUrl"),
                             .headers = UploadHeaders(At(node, "uploadHeaders")),
                             .birth_artifact_id = Text(At(node, "artifact"), "id")});
    if (out.back().birth_artifact_id.empty()) out.back().birth_artifact_id = artifact_id;
  }
  return out;
}

absl::StatusOr<ServerArtifact> WandbArtifactApi::Commit(const std::string& artifact_id) {
  constexpr absl::string_view kWhat = "W&B CommitArtifact";
  Json variables = {{"artifactID", artifact_id}};
  absl::StatusOr<Json> data =
      Data(api_->GraphQl(WithVersionFields(kCommit), Variables(variables), kWhat));
  if (!data.ok()) return data.status();
  const Json& node = At(At(*data, "commitArtifact"), "artifact");
  if (!node.is_object()) return Malformed(kWhat, "artifact");
  return ParseVersion(node);
}

absl::Status WandbArtifactApi::Use(const Bucket& run, const std::string& artifact_id) {
  Json variables = {{"entityName", run.entity},
                    {"projectName", run.project},
                    {"runName", run.name},
                    {"artifactID", artifact_id}};
  return api_->GraphQl(kUse, Variables(variables), "W&B UseArtifact").status();
}

absl::StatusOr<std::optional<ServerArtifact>> WandbArtifactApi::Find(const std::string& entity,
                                                                     const std::string& project,
                                                                     const std::string& name) {
  Json variables = {{"entityName", entity}, {"projectName", project}, {"name", name}};
  absl::StatusOr<Json> data =
      Data(api_->GraphQl(WithVersionFields(kFind), Variables(variables), "W&B Artifact query"));
  if (!data.ok()) return data.status();
  const Json& node = At(At(*data, "project"), "artifact");
  if (!node.is_object()) return std::nullopt;
  return ParseVersion(node);
}

absl::StatusOr<std::string> WandbArtifactApi::ManifestUrl(const std::string& entity,
                                                          const std::string& project,
                                                          const std::string& name) {
  constexpr absl::string_view kWhat = "W&B ArtifactManifest query";
  Json variables = {{"entityName", entity}, {"projectName", project}, {"name", name}};
  absl::StatusOr<Json> data = Data(api_->GraphQl(kManifest, Variables(variables), kWhat));
  if (!data.ok()) return data.status();
  std::string url =
      Text(At(At(At(At(*data, "project"), "artifact"), "currentManifest"), "file"), "directUrl");
  if (url.empty()) return Malformed(kWhat, "manifest URL");
  return url;
}

std::string WandbArtifactApi::FileUrl(const std::string& entity,
                                      const std::string& birth_artifact_id,
                                      const std::string& md5_hex) const {
  return absl::StrCat(api_->base_url(), "/artifactsV2/default/", entity, "/", birth_artifact_id,
                      "/", md5_hex);
}

}  // namespace wandb::service
