// wandb-cpp: the command line of wandb-cpp (cli/app.h).
#include <iostream>
#include <string>
#include <vector>

#include "cli/app.h"

int main(int argc, char** argv) {
  std::vector<std::string> args(argv + 1, argv + argc);
  return wandb::cli::RunCommandLine(args, std::cout, std::cerr);
}
