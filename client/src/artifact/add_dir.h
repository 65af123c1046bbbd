// Artifact::add_dir: every regular file under a directory, copied into the artifact cache and
// hashed by a few threads at once (the work is reading and hashing, which overlaps well).
#ifndef WANDB_CLIENT_SRC_ARTIFACT_ADD_DIR_H_
#define WANDB_CLIENT_SRC_ARTIFACT_ADD_DIR_H_

#include <string>
#include <utility>
#include <vector>

#include "absl/status/statusor.h"
#include "client/src/artifact/artifact_state.h"

namespace wandb::internal {

// Each regular file under `dir` (symlinks to files followed, symlinks to directories not)
// as (path relative to `dir`, '/'-separated, under `prefix/` when not empty; its path on
// disk), sorted by the first. NotFound / InvalidArgument when `dir` is not a directory.
absl::StatusOr<std::vector<std::pair<std::string, std::string>>> ListFiles(
    const std::string& dir, const std::string& prefix);

// Adds every file ListFiles finds to `artifact`, with up to `threads` threads. The first
// failure is returned (the files added before it stay).
absl::Status AddDir(ArtifactState& artifact, const std::string& dir, const std::string& prefix,
                    int threads = 8);

}  // namespace wandb::internal

#endif  // WANDB_CLIENT_SRC_ARTIFACT_ADD_DIR_H_
