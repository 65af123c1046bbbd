// `wandb-cpp artifact cache cleanup SIZE` (or `--size SIZE`): shrinks the per-user artifact
// cache to at most SIZE (1GB, 500MiB, 0, ...), least recently used files first, as wandb's
// `wandb artifact cache cleanup` does (common/artifact/cache_cleanup.h). Prints what it
// reclaimed ("Reclaimed 1.2 GiB of space"), or with --json one object. Exit codes: 0 done; 1
// the cache cannot be read; 2 usage (no size, or one that does not parse).
#ifndef WANDB_CLI_ARTIFACT_CACHE_COMMAND_H_
#define WANDB_CLI_ARTIFACT_CACHE_COMMAND_H_

#include <ostream>

#include "CLI/CLI.hpp"
#include "cli/artifact_command.h"

namespace wandb::cli {

// Adds `cache cleanup` under `artifact`; its action is "cache cleanup".
void AddArtifactCacheCommand(CLI::App* artifact, ArtifactOptions* options);
int RunArtifactCacheCleanup(const ArtifactOptions& options, std::ostream& out, std::ostream& err);

}  // namespace wandb::cli

#endif  // WANDB_CLI_ARTIFACT_CACHE_COMMAND_H_
