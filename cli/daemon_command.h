// `wandb-cpp daemon stop`: asks the user's wandb-service to exit, then waits until its process
// is gone. As on SIGTERM, the daemon writes everything it has received and leaves each live run
// to its training process, which re-attaches it to a new daemon; with --finish-runs it
// finishes them instead (as crashed, exit code 1: their processes did not end them).
//
// Output: a line, or with --json one JSON document. Exit codes: 0 the daemon exited (or none
// was running); 1 it could not be asked, or it was still there at the timeout; 2 usage.
#ifndef WANDB_CLI_DAEMON_COMMAND_H_
#define WANDB_CLI_DAEMON_COMMAND_H_

#include <ostream>

#include "CLI/CLI.hpp"

namespace wandb::cli {

struct DaemonStopOptions {
  double timeout_seconds = 30;
  bool json = false;
  bool finish_runs = false;
};

// Adds `daemon` and its subcommand `stop`; returns `stop`.
CLI::App* AddDaemonCommand(CLI::App& app, DaemonStopOptions* stop);
int RunDaemonStop(const DaemonStopOptions& options, std::ostream& out, std::ostream& err);

}  // namespace wandb::cli

#endif  // WANDB_CLI_DAEMON_COMMAND_H_
