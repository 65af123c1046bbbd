#include "tests/support/fake_wandb_artifacts.h"

#include "common/artifact/md5.h"

namespace wandb::testing {
namespace {

using Json = nlohmann::json;

std::string Str(const Json& vars, const char* key) {
  auto it = vars.find(key);
  return it != vars.end() && it->is_string() ? it->get<std::string>() : "";
}

bool Has(const std::string& query, const char* field) {
  return query.find(field) != std::string::npos;
}

std::string Error(int* status, const std::string& message) {
  *status = 200;  // GraphQL's way: a 200 with errors
  return Json{{"errors", {{{"message", message}}}}}.dump();
}

}  // namespace

std::optional<std::string> FakeWandbArtifacts::Answer(const std::string& query, const Json& vars,
                                                      const std::string& base_url, int* status) {
  if (Has(query, "createArtifactManifest(")) return CreateManifest(vars, base_url, status);
  if (Has(query, "createArtifactFiles(")) return CreateFiles(vars, base_url, status);
  if (Has(query, "createArtifact(")) return CreateArtifact(vars);
  if (Has(query, "commitArtifact(")) return Commit(vars, status);
  if (Has(query, "useArtifact(")) return Use(vars, status);
  if (Has(query, "currentManifest")) return ManifestQuery(vars, base_url);
  if (Has(query, "artifact(name:")) return Query(vars);
  return std::nullopt;
}

Json FakeWandbArtifacts::Describe(const Version& version) {
  Json aliases = Json::array();
  for (const std::string& alias : version.aliases) {
    aliases.push_back({{"artifactCollectionName", version.collection}, {"alias", alias}});
  }
  return {{"id", version.id},
          {"digest", version.digest},
          {"state", version.state},
          {"versionIndex", version.index ? Json(*version.index) : Json()},
          {"aliases", aliases},
          {"description", version.description},
          {"metadata", version.metadata.empty() ? Json() : Json(version.metadata)},
          {"artifactSequence", {{"id", "seq-" + version.collection}, {"name", version.collection}}},
          {"artifactType", {{"id", "type-" + version.type}, {"name", version.type}}}};
}

std::string FakeWandbArtifacts::CreateArtifact(const Json& vars) {
  std::lock_guard<std::mutex> lock(mu_);
  std::string collection;
  if (vars.contains("artifactCollectionNames") && vars["artifactCollectionNames"].is_array() &&
      !vars["artifactCollectionNames"].empty()) {
    collection = vars["artifactCollectionNames"][0].get<std::string>();
  }
  const std::string entity = Str(vars, "entityName");
  const std::string project = Str(vars, "projectName");
  const std::string digest = Str(vars, "digest");
  const Version* latest = nullptr;
  for (const auto& [id, version] : versions_) {
    if (version.collection != collection || version.entity != entity ||
        version.project != project || version.state != "COMMITTED") {
      continue;
    }
    // The same content committed before: the server's answer is that version.
    if (version.digest == digest) {
      Json artifact = Describe(version);
      artifact["artifactSequence"]["latestArtifact"] = nullptr;
      return Json{{"data", {{"createArtifact", {{"artifact", artifact}}}}}}.dump();
    }
    if (latest == nullptr || *version.index > *latest->index) latest = &version;
  }
  Version version;
  version.id = "art-" + std::to_string(next_id_++);
  version.entity = entity;
  version.project = project;
  version.collection = collection;
  version.type = Str(vars, "artifactTypeName");
  version.digest = digest;
  version.description = Str(vars, "description");
  version.metadata = Str(vars, "metadata");
  version.logged_by = Str(vars, "runName");
  if (vars.contains("aliases") && vars["aliases"].is_array()) {
    for (const Json& alias : vars["aliases"]) version.wanted_aliases.push_back(Str(alias, "alias"));
  }
  Json artifact = Describe(version);
  artifact["artifactSequence"]["latestArtifact"] =
      latest != nullptr ? Json{{"id", latest->id}, {"versionIndex", *latest->index}} : Json();
  versions_.emplace(version.id, version);
  return Json{{"data", {{"createArtifact", {{"artifact", artifact}}}}}}.dump();
}

std::string FakeWandbArtifacts::CreateManifest(const Json& vars, const std::string& base_url,
                                               int* status) {
  std::lock_guard<std::mutex> lock(mu_);
  const std::string id = Str(vars, "artifactID");
  if (!versions_.contains(id)) return Error(status, "no artifact " + id);
  Json file = {{"id", "file-manifest-" + id}, {"name", Str(vars, "name")}};
  if (vars.value("includeUpload", false)) {
    file["uploadUrl"] = base_url + "/artifact-storage/manifest/" + id;
    file["uploadHeaders"] = {"X-Fake-Signature:sig-123"};
  }
  Json manifest = {{"id", "manifest-" + id}, {"file", file}};
  return Json{{"data", {{"createArtifactManifest", {{"artifactManifest", manifest}}}}}}.dump();
}

std::string FakeWandbArtifacts::CreateFiles(const Json& vars, const std::string& base_url,
                                            int* status) {
  std::lock_guard<std::mutex> lock(mu_);
  if (!vars.contains("artifactFiles") || !vars["artifactFiles"].is_array() ||
      Str(vars, "storageLayout") != "V2") {
    return Error(status, "createArtifactFiles needs artifactFiles and storageLayout V2");
  }
  Json edges = Json::array();
  for (const Json& spec : vars["artifactFiles"]) {
    auto version = versions_.find(Str(spec, "artifactID"));
    absl::StatusOr<artifact::Md5Bytes> md5 = artifact::FromBase64(Str(spec, "md5"));
    if (version == versions_.end() || !md5.ok()) return Error(status, "bad artifact file spec");
    std::string hex = artifact::ToHex(*md5);
    version->second.files[Str(spec, "name")] = hex;
    Json node = {
        {"id", "file-" + hex}, {"name", Str(spec, "name")}, {"displayName", Str(spec, "name")}};
    if (auto birth = birth_of_.find(hex); birth != birth_of_.end() && blobs_.contains(hex)) {
      node["uploadUrl"] = nullptr;  // the server has these bytes
      node["uploadHeaders"] = Json::array();
      node["artifact"] = {{"id", birth->second}};
    } else {
      birth_of_.emplace(hex, version->first);
      node["uploadUrl"] = base_url + "/artifact-storage/file/" + version->first + "/" + hex;
      node["uploadHeaders"] = {"X-Fake-Signature:sig-123", "Content-Type:application/octet-stream"};
      node["artifact"] = {{"id", birth_of_[hex]}};
    }
    edges.push_back({{"node", node}});
  }
  return Json{{"data", {{"createArtifactFiles", {{"files", {{"edges", edges}}}}}}}}.dump();
}

int FakeWandbArtifacts::Put(const std::string& kind, const std::string& artifact_id,
                            const std::string& md5_hex, const std::string& body) {
  std::lock_guard<std::mutex> lock(mu_);
  auto version = versions_.find(artifact_id);
  if (version == versions_.end()) return 404;
  if (kind == "manifest") {
    version->second.manifest_json = body;
    return 200;
  }
  if (artifact::ToHex(artifact::Md5Of(body)) != md5_hex) return 400;  // not what was announced
  blobs_[md5_hex] = body;
  ++version->second.file_puts;
  ++file_puts_;
  return 200;
}

std::string FakeWandbArtifacts::Commit(const Json& vars, int* status) {
  std::lock_guard<std::mutex> lock(mu_);
  auto it = versions_.find(Str(vars, "artifactID"));
  if (it == versions_.end()) return Error(status, "no such artifact");
  Version& version = it->second;
  for (const auto& [name, hex] : version.files) {
    if (!blobs_.contains(hex)) return Error(status, "file " + name + " was never uploaded");
  }
  if (version.manifest_json.empty()) return Error(status, "the manifest was never uploaded");
  if (version.state != "COMMITTED") {
    int index = 0;
    for (auto& [id, other] : versions_) {
      if (other.collection != version.collection || other.entity != version.entity ||
          other.project != version.project || other.state != "COMMITTED") {
        continue;
      }
      ++index;
      // Mutable aliases move to the new version.
      for (const std::string& alias : version.wanted_aliases) other.aliases.erase(alias);
      other.aliases.erase("latest");
    }
    version.state = "COMMITTED";
    version.index = index;
    version.aliases.insert("v" + std::to_string(index));
    version.aliases.insert("latest");  // the server keeps "latest" on the newest version
    for (const std::string& alias : version.wanted_aliases) version.aliases.insert(alias);
  }
  return Json{{"data", {{"commitArtifact", {{"artifact", Describe(version)}}}}}}.dump();
}

std::string FakeWandbArtifacts::Use(const Json& vars, int* status) {
  std::lock_guard<std::mutex> lock(mu_);
  auto it = versions_.find(Str(vars, "artifactID"));
  if (it == versions_.end()) return Error(status, "no such artifact");
  it->second.used_by.push_back(Str(vars, "runName"));
  Json artifact = {{"id", it->first}, {"digest", it->second.digest}};
  return Json{{"data", {{"useArtifact", {{"artifact", artifact}}}}}}.dump();
}

const FakeWandbArtifacts::Version* FakeWandbArtifacts::Resolve(const std::string& entity,
                                                               const std::string& project,
                                                               const std::string& name) const {
  size_t colon = name.find(':');
  for (const auto& [id, version] : versions_) {
    if (version.entity != entity || version.project != project || version.state != "COMMITTED") {
      continue;
    }
    if (colon == std::string::npos) {
      if (version.digest == name) return &version;
      continue;
    }
    if (version.collection == name.substr(0, colon) &&
        version.aliases.contains(name.substr(colon + 1))) {
      return &version;
    }
  }
  return nullptr;
}

std::string FakeWandbArtifacts::Query(const Json& vars) {
  std::lock_guard<std::mutex> lock(mu_);
  const Version* version =
      Resolve(Str(vars, "entityName"), Str(vars, "projectName"), Str(vars, "name"));
  Json project = {{"artifact", version != nullptr ? Describe(*version) : Json()}};
  return Json{{"data", {{"project", project}}}}.dump();
}

std::string FakeWandbArtifacts::ManifestQuery(const Json& vars, const std::string& base_url) {
  std::lock_guard<std::mutex> lock(mu_);
  const Version* version =
      Resolve(Str(vars, "entityName"), Str(vars, "projectName"), Str(vars, "name"));
  if (version == nullptr) return Json{{"data", {{"project", {{"artifact", nullptr}}}}}}.dump();
  // A direct URL is self-authorising (signed), as the reference asks of a server.
  Json manifest = {{"id", "manifest-" + version->id},
                   {"file",
                    {{"id", "file-manifest-" + version->id},
                     {"directUrl", base_url + "/artifact-manifests/" + version->id + "?sig=1"}}}};
  return Json{{"data", {{"project", {{"artifact", {{"currentManifest", manifest}}}}}}}}.dump();
}

std::optional<std::string> FakeWandbArtifacts::File(const std::string& birth_id,
                                                    const std::string& md5_hex) const {
  std::lock_guard<std::mutex> lock(mu_);
  auto birth = birth_of_.find(md5_hex);
  auto blob = blobs_.find(md5_hex);
  if (birth == birth_of_.end() || birth->second != birth_id || blob == blobs_.end()) {
    return std::nullopt;
  }
  return blob->second;
}

std::optional<std::string> FakeWandbArtifacts::Manifest(const std::string& artifact_id) const {
  std::lock_guard<std::mutex> lock(mu_);
  auto it = versions_.find(artifact_id);
  if (it == versions_.end() || it->second.manifest_json.empty()) return std::nullopt;
  return it->second.manifest_json;
}

std::optional<FakeWandbArtifacts::Version> FakeWandbArtifacts::Find(const std::string& collection,
                                                                    int index) const {
  std::lock_guard<std::mutex> lock(mu_);
  for (const auto& [id, version] : versions_) {
    if (version.collection == collection && version.index == index) return version;
  }
  return std::nullopt;
}

std::optional<FakeWandbArtifacts::Version> FakeWandbArtifacts::FindByAlias(
    const std::string& collection, const std::string& alias) const {
  std::lock_guard<std::mutex> lock(mu_);
  for (const auto& [id, version] : versions_) {
    if (version.collection == collection && version.aliases.contains(alias)) return version;
  }
  return std::nullopt;
}

std::vector<FakeWandbArtifacts::Version> FakeWandbArtifacts::All() const {
  std::lock_guard<std::mutex> lock(mu_);
  std::vector<Version> out;
  for (const auto& [id, version] : versions_) out.push_back(version);
  return out;
}

int FakeWandbArtifacts::stored_files() const {
  std::lock_guard<std::mutex> lock(mu_);
  return static_cast<int>(blobs_.size());
}

int FakeWandbArtifacts::file_puts() const {
  std::lock_guard<std::mutex> lock(mu_);
  return file_puts_;
}

}  // namespace wandb::testing
