// `wandb-cpp sync DIR... [--store DIR]`: imports run directories into the local store by
// replaying their transaction logs (service/recovery/run_sync.h). A DIR is a run directory
// (wandb/offline-run-*/ or wandb/run-*/, holding run-<id>.wandb), or a directory whose
// offline-run-*/ directories are each synced (e.g. ./wandb). Syncing twice stores nothing
// twice: a run already whole in the store is reported as "already synced".
//
// Output: one line per run (warnings and errors on stderr), or with --json one JSON object per
// run per line (JSON lines). Exit codes: 0 every run synced or already synced; 1 any DIR
// failed (the others are still synced); 2 usage.
#ifndef WANDB_CLI_SYNC_COMMAND_H_
#define WANDB_CLI_SYNC_COMMAND_H_

#include <ostream>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "CLI/CLI.hpp"
#include "absl/status/statusor.h"
#include "service/recovery/run_sync.h"

namespace wandb::cli {

struct SyncOptions {
  std::vector<std::string> dirs;
  std::string store_dir;
  bool json = false;
};

CLI::App* AddSyncCommand(CLI::App& app, SyncOptions* options);
int RunSync(const SyncOptions& options, std::ostream& out, std::ostream& err);

// The run directories `dir` names: itself when it is one, else its offline-run-*
// subdirectories that are, sorted. NotFound when it names none.
absl::StatusOr<std::vector<std::string>> RunDirectoriesIn(const std::string& dir);

// "synced run e/p/id from DIR: ..." / "already synced: ..."
std::string SyncLine(const service::RunSyncResult& result);
nlohmann::json SyncJson(const service::RunSyncResult& result);

}  // namespace wandb::cli

#endif  // WANDB_CLI_SYNC_COMMAND_H_
