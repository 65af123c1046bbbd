// `wandb-cpp status`: the user's wandb-service (pid, uptime, socket, version) and its live
// runs (id, project, pid, rows, last step, state). Never starts a daemon.
//
// Exit codes: 0 a daemon answered (or, with --json, none runs: {"running": false}); 1 no
// daemon runs, or it could not be asked; 2 usage.
#ifndef WANDB_CLI_STATUS_COMMAND_H_
#define WANDB_CLI_STATUS_COMMAND_H_

#include <ostream>

#include <nlohmann/json.hpp>

#include "CLI/CLI.hpp"
#include "absl/time/time.h"
#include "wandb/service.pb.h"

namespace wandb::cli {

struct StatusOptions {
  bool json = false;
  double timeout_seconds = 5;
};

CLI::App* AddStatusCommand(CLI::App& app, StatusOptions* options);
int RunStatus(const StatusOptions& options, std::ostream& out, std::ostream& err);

// The daemon's answer as a table (people) and as one JSON document (programs), `now` for
// the uptime.
void PrintStatus(const service::DaemonStatusResponse& status, absl::Time now, std::ostream& out);
nlohmann::json StatusJson(const service::DaemonStatusResponse& status, absl::Time now);

}  // namespace wandb::cli

#endif  // WANDB_CLI_STATUS_COMMAND_H_
