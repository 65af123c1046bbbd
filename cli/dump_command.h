// `wandb-cpp dump FILE.wandb`: the records of a transaction log as JSON lines.
#ifndef WANDB_CLI_DUMP_COMMAND_H_
#define WANDB_CLI_DUMP_COMMAND_H_

#include <ostream>
#include <string>

#include "CLI/CLI.hpp"

namespace wandb::cli {

struct DumpOptions {
  std::string path;
};

void AddDumpCommand(CLI::App& app, DumpOptions* options);

// Writes one JSON object per record to `out`; a truncated or corrupted tail is reported on
// `err` after the records before it. Returns the process exit code (0, or 1 when the file
// cannot be read or ends in corruption).
int RunDump(const DumpOptions& options, std::ostream& out, std::ostream& err);

}  // namespace wandb::cli

#endif  // WANDB_CLI_DUMP_COMMAND_H_
