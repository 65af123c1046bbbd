#include "cli/app.h"

#include <exception>
#include <iostream>

#include "CLI/CLI.hpp"
#include "absl/strings/str_cat.h"
#include "cli/artifact_command.h"
#include "cli/daemon_command.h"
#include "cli/dump_command.h"
#include "cli/import_command.h"
#include "cli/login_command.h"
#include "cli/logs_command.h"
#include "cli/output.h"
#include "cli/runs_command.h"
#include "cli/status_command.h"
#include "cli/stop_command.h"
#include "cli/sync_command.h"
#ifdef WANDB_HAVE_UI
#include "cli/ui_command.h"
#endif
#include "common/protocol.h"

namespace wandb::cli {
namespace {

// The name of a command `args` asks for that the app does not have ("" when the first word
// is an option or a known command): CLI11 would only say that an argument was unexpected.
std::string UnknownCommand(CLI::App& app, const std::vector<std::string>& args) {
  if (args.empty() || args[0].empty() || args[0][0] == '-') return "";
  for (const CLI::App* command : app.get_subcommands({})) {
    if (command->check_name(args[0])) return "";
  }
  return args[0];
}

std::string CommandNames(CLI::App& app) {
  std::string names;
  for (const CLI::App* command : app.get_subcommands({})) {
    absl::StrAppend(&names, names.empty() ? "" : ", ", command->get_name());
  }
  return names;
}

}  // namespace

int RunCommandLine(const std::vector<std::string>& args, std::ostream& out, std::ostream& err) {
  CLI::App app{"wandb-cpp: inspect and manage wandb-cpp runs and the wandb-service daemon",
               "wandb-cpp"};
  app.set_version_flag("--version", std::string(kVersion));
  app.require_subcommand(1);
  app.footer(
      "Exit codes: 0 done; 1 failed (stderr says what is wrong); 2 bad arguments. "
      "Run 'wandb-cpp COMMAND --help' for a command's options.");

  StatusOptions status;
  CLI::App* status_command = AddStatusCommand(app, &status);
  RunsOptions runs;
  CLI::App* runs_command = AddRunsCommand(app, &runs);
  StopOptions stop;
  CLI::App* stop_command = AddStopCommand(app, &stop);
  LogsOptions logs;
  CLI::App* logs_command = AddLogsCommand(app, &logs);
  DumpOptions dump;
  AddDumpCommand(app, &dump);
  ImportOptions import;
  CLI::App* import_command = AddImportCommand(app, &import);
  SyncOptions sync;
  CLI::App* sync_command = AddSyncCommand(app, &sync);
  LoginOptions login;
  CLI::App* login_command = AddLoginCommand(app, &login);
  ArtifactOptions artifact;
  CLI::App* artifact_command = AddArtifactCommand(app, &artifact);
  DaemonStopOptions daemon_stop;
  CLI::App* daemon_stop_command = AddDaemonCommand(app, &daemon_stop);
#ifdef WANDB_HAVE_UI
  UiOptions ui;
  CLI::App* ui_command = AddUiCommand(app, &ui);
#endif

  if (std::string unknown = UnknownCommand(app, args); !unknown.empty()) {
    err << "wandb-cpp: unknown command '" << unknown << "'; the commands are: " << CommandNames(app)
        << " (wandb-cpp --help says what each does)\n";
    return kExitUsage;
  }

  // CLI11 parses argv from the back: hand it a reversed copy.
  std::vector<std::string> reversed(args.rbegin(), args.rend());
  try {
    app.parse(reversed);
  } catch (const CLI::ParseError& e) {
    int code = app.exit(e, out, err);
    // --help and --version are successes; every other parse error is a usage error.
    return code == static_cast<int>(CLI::ExitCodes::Success) ? kExitOk : kExitUsage;
  }

  // Commands report failures as exit codes; an exception escaping one (out of memory, a
  // library's surprise) is still a failure with a message, never an abort.
  try {
    if (status_command->parsed()) return RunStatus(status, out, err);
    if (runs_command->parsed()) return RunRuns(runs, out, err);
    if (stop_command->parsed()) return RunStop(stop, out, err);
    if (logs_command->parsed()) return RunLogs(logs, out, err);
    if (app.got_subcommand("dump")) return RunDump(dump, out, err);
    if (import_command->parsed()) return RunImport(import, out, err);
    if (sync_command->parsed()) return RunSync(sync, std::cin, out, err);
    if (daemon_stop_command->parsed()) return RunDaemonStop(daemon_stop, out, err);
    if (artifact_command->parsed()) return RunArtifact(artifact, out, err);
    if (login_command->parsed()) return RunLogin(login, std::cin, out, err);
#ifdef WANDB_HAVE_UI
    if (ui_command->parsed()) return RunUi(ui, out, err);
#endif
  } catch (const std::exception& e) {
    err << "wandb-cpp: internal error: " << e.what() << "\n";
    return kExitFailure;
  }
  return kExitUsage;
}

}  // namespace wandb::cli
