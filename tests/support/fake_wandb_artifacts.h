// The artifact half of the fake W&B server (fake_wandb_server.h): what a server keeps of
// artifacts and answers about them, without the HTTP. The server hands it the GraphQL
// operations of wandb-backend-api.md section 6 (CreateArtifact, CreateArtifactManifest,
// CreateArtifactFiles, CommitArtifact, UseArtifact, the Artifact and ArtifactManifest queries)
// and the storage requests: PUTs of files and manifests to the upload URLs it gave, GETs of
// files by storage layout V2 and of manifests by their direct URL.
//
// It behaves as the real server does where the client depends on it: a digest the collection
// has committed comes back COMMITTED (the client then sends nothing), content it holds
// already gets no upload URL (and names the artifact that stored it first), a commit gives the
// version its index and "vN" and moves "latest" (always, as the server does) and the given
// aliases to it. A file PUT with
// bytes other than the MD5 announced is refused.
#ifndef WANDB_TESTS_SUPPORT_FAKE_WANDB_ARTIFACTS_H_
#define WANDB_TESTS_SUPPORT_FAKE_WANDB_ARTIFACTS_H_

#include <map>
#include <mutex>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace wandb::testing {

class FakeWandbArtifacts {
 public:
  struct Version {
    std::string id;
    std::string entity;
    std::string project;
    std::string collection;
    std::string type;
    std::string digest;
    std::string description;
    std::string metadata;
    std::string state = "PENDING";
    std::optional<int> index;
    std::set<std::string> aliases;             // applied at commit
    std::vector<std::string> wanted_aliases;   // given at creation
    std::string logged_by;                     // run name
    std::vector<std::string> used_by;          // run names, in order
    std::map<std::string, std::string> files;  // announced: name -> hex MD5
    std::string manifest_json;                 // as PUT
    int file_puts = 0;
  };

  // The answer to a GraphQL operation on artifacts, or nullopt when `query` is not one.
  // `base_url` makes the URLs it hands out absolute.
  std::optional<std::string> Answer(const std::string& query, const nlohmann::json& vars,
                                    const std::string& base_url, int* status);
  // PUT /artifact-storage/file/<artifact id>/<md5 hex> and .../manifest/<artifact id>.
  int Put(const std::string& kind, const std::string& artifact_id, const std::string& md5_hex,
          const std::string& body);
  // GET /artifactsV2/default/<entity>/<birth id>/<md5 hex>; nullopt when it has no such file.
  std::optional<std::string> File(const std::string& birth_id, const std::string& md5_hex) const;
  // GET /artifact-manifests/<artifact id>.
  std::optional<std::string> Manifest(const std::string& artifact_id) const;

  // For tests: the committed version `index` of a collection, or the one holding `alias`.
  std::optional<Version> Find(const std::string& collection, int index) const;
  std::optional<Version> FindByAlias(const std::string& collection, const std::string& alias) const;
  std::vector<Version> All() const;
  // Bytes stored by MD5 PUTs so far (each distinct content once).
  int stored_files() const;
  int file_puts() const;

 private:
  std::string CreateArtifact(const nlohmann::json& vars);
  std::string CreateManifest(const nlohmann::json& vars, const std::string& base_url, int* status);
  std::string CreateFiles(const nlohmann::json& vars, const std::string& base_url, int* status);
  std::string Commit(const nlohmann::json& vars, int* status);
  std::string Use(const nlohmann::json& vars, int* status);
  std::string Query(const nlohmann::json& vars);
  std::string ManifestQuery(const nlohmann::json& vars, const std::string& base_url);
  // The version `name` ("collection:alias", "collection:vN" or a digest) names; null if none.
  const Version* Resolve(const std::string& entity, const std::string& project,
                         const std::string& name) const;
  static nlohmann::json Describe(const Version& version);

  mutable std::mutex mu_;
  std::map<std::string, Version> versions_;  // by id
  int next_id_ = 1;
  std::map<std::string, std::string> blobs_;     // md5 hex -> bytes
  std::map<std::string, std::string> birth_of_;  // md5 hex -> artifact id that stored it
  int file_puts_ = 0;
};

}  // namespace wandb::testing

#endif  // WANDB_TESTS_SUPPORT_FAKE_WANDB_ARTIFACTS_H_
