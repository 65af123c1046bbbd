// wandb-cpp: the command line of wandb-cpp.
#include <iostream>

#include "CLI/CLI.hpp"
#include "cli/dump_command.h"
#include "common/protocol.h"

int main(int argc, char** argv) {
  CLI::App app{"wandb-cpp: inspect and manage wandb-cpp runs"};
  app.set_version_flag("--version", std::string(wandb::kVersion));
  app.require_subcommand(1);
  wandb::cli::DumpOptions dump;
  wandb::cli::AddDumpCommand(app, &dump);
  CLI11_PARSE(app, argc, argv);
  if (app.got_subcommand("dump")) return wandb::cli::RunDump(dump, std::cout, std::cerr);
  return 0;
}
