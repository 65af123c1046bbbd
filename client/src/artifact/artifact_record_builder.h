// log_artifact's record: a finalized artifact as wandb's ArtifactRecord, with wandb's defaults
// (aliases {"latest"} when none are given). A pure function, so its output is tested alone.
#ifndef WANDB_CLIENT_SRC_ARTIFACT_ARTIFACT_RECORD_BUILDER_H_
#define WANDB_CLIENT_SRC_ARTIFACT_ARTIFACT_RECORD_BUILDER_H_

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "common/artifact/manifest.h"
#include "wandb/records.pb.h"
#include "wandb/value.h"

namespace wandb::internal {

struct ArtifactRecordInput {
  std::string run_id;
  std::string entity;
  std::string project;
  std::string name;
  std::string type;
  std::string description;
  Value::Map metadata;
  std::string client_id;
  std::vector<std::string> aliases;
};

// InvalidArgument for a bad alias (or too many); duplicates are dropped.
absl::StatusOr<records::Record> BuildArtifactRecord(const ArtifactRecordInput& input,
                                                    const artifact::Manifest& manifest);

}  // namespace wandb::internal

#endif  // WANDB_CLIENT_SRC_ARTIFACT_ARTIFACT_RECORD_BUILDER_H_
