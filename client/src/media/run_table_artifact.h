// wandb logs each table a run logs also as an artifact of its own: "run-<run id>-<key>"
// (the key with only letters, digits and '_' kept), of type "run_table", holding the table as
// "<key>.table.json"; and the table's JSON in the row points at it with "artifact_path"
// ("wandb-client-artifact://<client id>/<key>.table.json") and "_latest_artifact_path"
// ("wandb-client-artifact://<sequence client id>:latest/<key>.table.json"). W&B's table
// panels read the table from there. wandb 0.12.21 writes those two only online: a run synced
// later could not resolve the client ids (its _server_accepts_client_ids). This makes that
// artifact's record for a table file the run has written.
#ifndef WANDB_CLIENT_SRC_MEDIA_RUN_TABLE_ARTIFACT_H_
#define WANDB_CLIENT_SRC_MEDIA_RUN_TABLE_ARTIFACT_H_

#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "wandb/records.pb.h"

namespace wandb::internal {

// The run the tables' artifacts belong to.
struct RunIdentity {
  std::string run_id;
  std::string entity;
  std::string project;
  bool online = false;  // the table's JSON points at its artifact
};

struct RunTableArtifact {
  records::Record record;  // the ArtifactRecord, as log_artifact sends it
  std::string artifact_path;
  std::string latest_artifact_path;
};

// wandb's name for the artifact of the table logged under `key`.
std::string RunTableArtifactName(const std::string& run_id, absl::string_view key);

// The artifact of the table logged under `key`, whose file (the run's copy) is `table_file`;
// the file is put into the artifact cache, as log_artifact puts files there.
absl::StatusOr<RunTableArtifact> MakeRunTableArtifact(const RunIdentity& run, absl::string_view key,
                                                      const std::string& table_file);

}  // namespace wandb::internal

#endif  // WANDB_CLIENT_SRC_MEDIA_RUN_TABLE_ARTIFACT_H_
