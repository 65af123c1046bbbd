// The artifacts the local store keeps (docs/formats.md, "Artifacts"): per (entity, project,
// name) a collection of one type, its versions v0, v1, ... in commit order, each version's
// entries (files in the blob store, references recorded), aliases, and lineage (the run that
// logged each version; every log_artifact call by its client id).
//
// A commit is one transaction after its files are in the blob store: a process killed at any
// moment leaves either the whole version or none of it (a blob without a row is only unused
// space). Rules, as W&B's server keeps them:
//   - a digest the collection already has makes no new version: that version gains the
//     aliases (but `latest` stays on the newest);
//   - a new version always takes `latest`; every alias moves to the version that last got it;
//   - a collection keeps its first type: another type is refused;
//   - a call already committed (its client id is known: the log replayed after a crash)
//     answers with its version and changes nothing.
#ifndef WANDB_SERVICE_STORE_ARTIFACTS_H_
#define WANDB_SERVICE_STORE_ARTIFACTS_H_

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "service/store/blob_store.h"
#include "service/store/connection.h"
#include "service/store/run_key.h"
#include "wandb/records.pb.h"

namespace wandb::store {

struct ArtifactVersion {
  int64_t id = 0;  // the store's row: what usage rows point at
  std::string entity;
  std::string project;
  std::string name;
  std::string type;
  int version = 0;     // N of "vN"
  std::string digest;  // hex, wandb-artifact-manifest-v1
  std::string description;
  std::string metadata;  // a JSON object
  int64_t size = 0;      // bytes of the entries that have a size
  int64_t file_count = 0;
  std::vector<std::string> aliases;  // sorted
  std::string created_by;            // the logging run's id; empty when it is gone
  absl::Time created_time;

  std::string VersionName() const { return "v" + std::to_string(version); }
};

struct ArtifactCommit {
  ArtifactVersion version;
  bool created = false;      // a new version; false when its digest or call was known
  int64_t blobs_stored = 0;  // files copied into the blob store (new content)
};

struct ArtifactFile {
  std::string path;
  std::string digest;  // the manifest's
  std::string ref;     // a reference's URI; empty for a stored file
  std::optional<int64_t> size;
  std::string blob_path;  // a stored file's content; empty for a reference
  std::string md5;        // the hex MD5 that names that content's blob; empty for a reference
};

// A collection (an artifact name of a project) for listings.
struct ArtifactCollection {
  std::string entity;
  std::string project;
  std::string name;
  std::string type;
  int64_t versions = 0;
  int latest = 0;    // N of the newest "vN"
  int64_t size = 0;  // of the newest version
  absl::Time created_time;
};

// Who made a version and who took it: the lineage.
struct ArtifactLineage {
  // Every run whose log_artifact() call committed to this version (the first made it), as
  // entity/project/id; runs deleted since are left out.
  std::vector<std::string> logged_by;
  struct Use {
    std::string run;  // entity/project/id
    absl::Time used_time;
  };
  std::vector<Use> used_by;  // first use first
};

// What one run logged and used: its outputs and inputs.
struct RunArtifacts {
  std::vector<ArtifactVersion> logged;  // by the run's first log of each, oldest first
  std::vector<ArtifactVersion> used;    // by first use, oldest first
};

// Where artifacts live: an entity and a project.
struct ArtifactPlace {
  std::string entity;
  std::string project;
};

class Artifacts {
 public:
  Artifacts(Connection& connection, const BlobStore& blobs)
      : connection_(connection), blobs_(blobs) {}

  // Commits the artifact `record` (checked with artifact::CheckArtifactRecord) as logged by
  // `run`, which the store must have. Stored files are copied from their local paths into the
  // blob store, unless a blob with their MD5 is there already, outside the connection's
  // mutex. Errors: InvalidArgument (a bad record), DataLoss (a file's bytes are not its
  // digest's), NotFound (a file is gone, or the run), FailedPrecondition (another type),
  // others from the disk or SQLite (worth retrying).
  absl::StatusOr<ArtifactCommit> Commit(const RunKey& run, const records::ArtifactRecord& record);
  // The version a log_artifact call made, by the call's client id; NotFound when none.
  absl::StatusOr<ArtifactVersion> ByClientId(absl::string_view client_id);
  // Every version of entity/project/name, oldest first (empty when there is none).
  absl::StatusOr<std::vector<ArtifactVersion>> Versions(absl::string_view entity,
                                                        absl::string_view project,
                                                        absl::string_view name);
  // The version `ref` names (artifact_ref.h) in entity/project (the ref's own entity and
  // project win): by alias, vN, or digest. NotFound, naming what exists, when there is no such
  // artifact, version or alias; FailedPrecondition when `type` is given and is not the
  // artifact's.
  absl::StatusOr<ArtifactVersion> Resolve(absl::string_view entity, absl::string_view project,
                                          absl::string_view ref, absl::string_view type = "");
  // Records that `run` (which the store must have: NotFound otherwise) used the version with
  // row `version_id`; a second use by the same run keeps the first time.
  absl::Status RecordUse(const RunKey& run, int64_t version_id);
  absl::StatusOr<ArtifactLineage> Lineage(int64_t version_id);
  // The versions `run` logged and used: lineage seen from the run. NotFound naming the run
  // when the store lacks it.
  absl::StatusOr<RunArtifacts> OfRun(const RunKey& run);
  // The one entity/project, within `place` (an empty part: any), that has artifacts named
  // `name` (any name when empty); NotFound when none, FailedPrecondition naming them when
  // several do (a project must then be given).
  absl::StatusOr<ArtifactPlace> Locate(absl::string_view name, const ArtifactPlace& place);
  // The collections of one project (both empty: of every project), by project then name.
  absl::StatusOr<std::vector<ArtifactCollection>> Collections(absl::string_view entity,
                                                              absl::string_view project);
  // The entries of one version, by path.
  absl::StatusOr<std::vector<ArtifactFile>> Files(absl::string_view entity,
                                                  absl::string_view project, absl::string_view name,
                                                  int version);

 private:
  // Puts each stored file of `record` into the blob store; returns how many were new.
  absl::StatusOr<int64_t> StoreBlobs(const records::ArtifactRecord& record);

  Connection& connection_;
  const BlobStore& blobs_;  // thread-safe on its own
};

}  // namespace wandb::store

#endif  // WANDB_SERVICE_STORE_ARTIFACTS_H_
