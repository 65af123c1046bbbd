// `wandb-cpp sync DIR|RUN... [--entity E] [--project P] [--id ID] [--host URL] [--store DIR]
// [--include-synced] [--json]`, and `wandb-cpp sync --clean [DIR...] [--clean-old-hours H]
// [--clean-force]` (cli/sync_clean.h):
// sends run directories to W&B, as wandb's `wandb sync` does (service/recovery/wandb_sync.h).
// A DIR is a run directory (wandb/offline-run-*/, or an online run's wandb/run-*/ whose upload
// did not finish), or a directory whose offline-run-*/ directories are each sent (e.g.
// ./wandb). An argument that is no path is a run of the local store ("id", "project/id" or
// "entity/project/id"), sent from the run directory the store names.
// The server and the key are found as for an online run (wandb_server.h). A run sent whole
// is marked, and syncing it again sends nothing ("already synced").
//
// Output: one line per run (warnings and errors on stderr), or with --json one JSON object per
// run per line. Exit codes: 0 every run synced or already synced; 1 any DIR failed (the
// others are still sent); 2 usage.
#ifndef WANDB_CLI_SYNC_COMMAND_H_
#define WANDB_CLI_SYNC_COMMAND_H_

#include <istream>
#include <ostream>
#include <string>
#include <vector>

#include "CLI/CLI.hpp"

namespace wandb::cli {

struct SyncOptions {
  std::vector<std::string> dirs;
  std::string entity;
  std::string project;
  std::string id;  // send as this run id (one run only)
  std::string host;
  std::string store_dir;  // where a RUN argument is looked up
  bool include_synced = false;
  bool json = false;
  // --clean: delete synced run directories instead of sending (sync_clean.h).
  bool clean = false;
  int clean_old_hours = 24;
  bool clean_force = false;
};

CLI::App* AddSyncCommand(CLI::App& app, SyncOptions* options);
// `in`: where --clean's confirmation is read.
int RunSync(const SyncOptions& options, std::istream& in, std::ostream& out, std::ostream& err);

}  // namespace wandb::cli

#endif  // WANDB_CLI_SYNC_COMMAND_H_
