// `wandb-cpp import DIR... [--store DIR]`: imports run directories into the local store by
// replaying their transaction logs (service/recovery/run_sync.h). A DIR is a run directory
// (wandb/offline-run-*/ or wandb/run-*/, holding run-<id>.wandb), or a directory whose
// offline-run-*/ directories are each imported (e.g. ./wandb; run_directories.h). Importing twice
// stores nothing twice: a run already whole in the store is reported as "already imported".
//
// Output: one line per run (warnings and errors on stderr), or with --json one JSON object per
// run per line (JSON lines). Exit codes: 0 every run imported or already imported; 1 any DIR
// failed (the others are still imported); 2 usage.
#ifndef WANDB_CLI_IMPORT_COMMAND_H_
#define WANDB_CLI_IMPORT_COMMAND_H_

#include <ostream>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "CLI/CLI.hpp"
#include "absl/status/statusor.h"
#include "service/recovery/run_sync.h"

namespace wandb::cli {

struct ImportOptions {
  std::vector<std::string> dirs;
  std::string store_dir;
  bool json = false;
};

CLI::App* AddImportCommand(CLI::App& app, ImportOptions* options);
int RunImport(const ImportOptions& options, std::ostream& out, std::ostream& err);

// "imported run e/p/id from DIR: ..." / "already imported: ..."
std::string ImportLine(const service::RunSyncResult& result);
nlohmann::json ImportJson(const service::RunSyncResult& result);

}  // namespace wandb::cli

#endif  // WANDB_CLI_IMPORT_COMMAND_H_
