// `wandb-cpp sync`: reserved for uploading runs to W&B, as `wandb sync` does (online mode, not
// yet here). Until then it says so and points to what exists: `wandb-cpp import` to put offline
// run directories into the local store, and wandb's own `wandb sync` to upload them to W&B
// (their transaction logs are wandb's format). Exit code 1: nothing was done.
#ifndef WANDB_CLI_SYNC_COMMAND_H_
#define WANDB_CLI_SYNC_COMMAND_H_

#include <ostream>
#include <string>
#include <vector>

#include "CLI/CLI.hpp"

namespace wandb::cli {

struct SyncOptions {
  std::vector<std::string> args;  // whatever was given; only echoed back
};

CLI::App* AddSyncCommand(CLI::App& app, SyncOptions* options);
int RunSync(const SyncOptions& options, std::ostream& out, std::ostream& err);

}  // namespace wandb::cli

#endif  // WANDB_CLI_SYNC_COMMAND_H_
