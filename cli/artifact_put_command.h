// `wandb-cpp artifact put PATH [--name [ENTITY/][PROJECT/]NAME] [--type TYPE] [--alias A]...
// [--description D]`: logs a file, a directory or a reference URI as the next version of an
// artifact, as wandb's `wandb artifact put` does: through a run of its own (job type
// "cli_put", config {"path": PATH}) made with libwandb like any training program's, so the
// version, its aliases (default "latest") and its lineage are what log_artifact() makes.
// NAME defaults to PATH's base name, TYPE to "dataset", the project to $WANDB_PROJECT or
// "uncategorized" (wandb asks for it). Prints how to use the version, or with --json one
// object. Exit codes: 0 logged; 1 the run or the artifact failed; 2 usage (no such path, a
// bad name or alias).
#ifndef WANDB_CLI_ARTIFACT_PUT_COMMAND_H_
#define WANDB_CLI_ARTIFACT_PUT_COMMAND_H_

#include <ostream>

#include "CLI/CLI.hpp"
#include "cli/artifact_command.h"

namespace wandb::cli {

// Adds `put` under `artifact`; its action is "put".
void AddArtifactPutCommand(CLI::App* artifact, ArtifactOptions* options);
int RunArtifactPut(const ArtifactOptions& options, std::ostream& out, std::ostream& err);

}  // namespace wandb::cli

#endif  // WANDB_CLI_ARTIFACT_PUT_COMMAND_H_
