// The client's half of Run::save(), by wandb's rules (reference section 7): which files a
// glob names now, under which names they go into the run's files/, and the glob the daemon
// watches from then on. Each file that exists now is linked into files/ (a symlink to the
// absolute source path), so later writes to it are what the daemon sees.
#ifndef WANDB_CLIENT_SRC_SAVE_GLOB_H_
#define WANDB_CLIENT_SRC_SAVE_GLOB_H_

#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"

namespace wandb::internal {

struct SaveLinks {
  // The glob relative to files/, for the FilesRecord.
  std::string files_glob;
  // The names under files/ linked now, sorted.
  std::vector<std::string> linked;
  // Set when an absolute glob was given without a base path: sub-directories are flattened.
  std::optional<std::string> warning;
};

// `glob` relative to `cwd` unless absolute; `base_path` likewise. InvalidArgument for a cloud
// path (s3://, gs://) or a glob that climbs above its base (".."). Links what matches into
// `files_dir`, replacing links left from before.
absl::StatusOr<SaveLinks> LinkForSave(const std::string& glob,
                                      const std::optional<std::string>& base_path,
                                      const std::string& cwd, const std::string& files_dir);

}  // namespace wandb::internal

#endif  // WANDB_CLIENT_SRC_SAVE_GLOB_H_
