// `wandb-cpp stop RUN [--store DIR]`: asks a running run to stop. RUN is "id", "project/id" or
// "entity/project/id". The request is a flag in the local store; the run's daemon reads it and
// the training process's run-status checker sees it at its next poll (every 2 s by default).
//
// Output: a line, or with --json one JSON document. Exit codes: 0 requested (also when it had
// been already); 1 no such run, an ambiguous RUN, a run that is not running, or (--wait) a run
// still running at the timeout; 2 usage.
#ifndef WANDB_CLI_STOP_COMMAND_H_
#define WANDB_CLI_STOP_COMMAND_H_

#include <ostream>
#include <string>

#include "CLI/CLI.hpp"

namespace wandb::cli {

struct StopOptions {
  std::string run;
  std::string store_dir;
  bool json = false;
  bool wait = false;            // wait until the run has ended
  double timeout_seconds = 60;  // for --wait
};

CLI::App* AddStopCommand(CLI::App& app, StopOptions* options);
int RunStop(const StopOptions& options, std::ostream& out, std::ostream& err);

// "" when `ref` has the form of a run reference ("id", "project/id", "entity/project/id"),
// else what is wrong with it.
std::string CheckRunReference(const std::string& ref);

}  // namespace wandb::cli

#endif  // WANDB_CLI_STOP_COMMAND_H_
