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

// Writes one JSON object per record to `out`. Corrupt bytes are skipped: each place is
// reported on `err` with the bytes dropped, and the records after it are printed (the reader
// resynchronizes at the next block). A truncated tail is reported after the records before it.
// Returns the process exit code: 0, or 1 when the file cannot be read or anything was corrupt.
int RunDump(const DumpOptions& options, std::ostream& out, std::ostream& err);

}  // namespace wandb::cli

#endif  // WANDB_CLI_DUMP_COMMAND_H_
