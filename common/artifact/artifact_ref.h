// What use_artifact() and `wandb-cpp artifact` take to name one version (wandb's forms):
//   name:alias   name:vN   project/name:alias   entity/project/name:vN   <32 hex digits>
// The entity and project default to the run's; a bare 32-digit hex string is an artifact
// digest. A name without ":" is refused, as wandb refuses it ("Attempted to fetch artifact
// without alias"): which version was meant must be written down.
#ifndef WANDB_COMMON_ARTIFACT_ARTIFACT_REF_H_
#define WANDB_COMMON_ARTIFACT_ARTIFACT_REF_H_

#include <optional>
#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace wandb::artifact {

struct ArtifactRef {
  std::string entity;   // empty: the default
  std::string project;  // empty: the default
  std::string name;     // empty for a digest
  // Exactly one of the three below names the version.
  std::optional<int> version;  // "vN"
  std::string alias;
  std::string digest;  // hex, lower case

  // As the user would write it back ("project/name:alias").
  std::string ToString() const;
};

// InvalidArgument, naming the input and the forms taken, for anything else.
absl::StatusOr<ArtifactRef> ParseArtifactRef(absl::string_view text);

// Whether `text` is "vN" (a version number, which no alias can be); sets *version.
bool IsVersionName(absl::string_view text, int* version);

}  // namespace wandb::artifact

#endif  // WANDB_COMMON_ARTIFACT_ARTIFACT_REF_H_
