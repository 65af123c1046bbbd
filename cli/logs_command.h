// `wandb-cpp logs RUN [--store DIR] [--stream all|stdout|stderr] [--timestamps] [--json]`:
// prints a run's console output (what console capture recorded) from the local store. RUN is
// "id", "project/id" or "entity/project/id".
//
// Output: the lines as output.log has them, each stream's in order, the two interleaved by
// the time the capture read them. --timestamps puts each line in the form wandb streams output.log
// in: "ERROR " for stderr, then the UTC time the line was read, ISO 8601, and a space. --json: one
// JSON object a line, {"stream", "timestamp", "line"}. Exit codes: 0 printed (also nothing, for a
// run without console output); 1 no such run or an ambiguous RUN; 2 usage.
#ifndef WANDB_CLI_LOGS_COMMAND_H_
#define WANDB_CLI_LOGS_COMMAND_H_

#include <ostream>
#include <string>

#include "CLI/CLI.hpp"

namespace wandb::cli {

struct LogsOptions {
  std::string run;
  std::string store_dir;
  std::string stream = "all";  // all, stdout, stderr
  bool timestamps = false;
  bool json = false;
};

CLI::App* AddLogsCommand(CLI::App& app, LogsOptions* options);
int RunLogs(const LogsOptions& options, std::ostream& out, std::ostream& err);

}  // namespace wandb::cli

#endif  // WANDB_CLI_LOGS_COMMAND_H_
