#include "cli/sync_command.h"

#include "absl/strings/str_join.h"
#include "cli/output.h"

namespace wandb::cli {

CLI::App* AddSyncCommand(CLI::App& app, SyncOptions* options) {
  CLI::App* command = app.add_subcommand(
      "sync", "upload runs to W&B (not yet: use 'wandb-cpp import' or wandb's 'wandb sync')");
  command->add_option("args", options->args, "what `wandb sync` takes (run directories)");
  command->allow_extras();
  return command;
}

int RunSync(const SyncOptions& options, std::ostream&, std::ostream& err) {
  std::string dirs = options.args.empty() ? "DIR..." : absl::StrJoin(options.args, " ");
  err << "wandb-cpp sync: uploading runs to W&B (what `wandb sync` does) is not supported yet; "
         "nothing was done.\n"
      << "  To put offline run directories into the local store:  wandb-cpp import " << dirs << "\n"
      << "  To upload them to W&B, use wandb's own command:         wandb sync " << dirs << "\n";
  return kExitFailure;
}

}  // namespace wandb::cli
