// Runs a program of the build's bin/ (the wandb-cpp command line, mostly) with this process's
// environment and captures what it prints and how it exits.
#ifndef WANDB_TESTS_SUPPORT_CLI_RUNNER_H_
#define WANDB_TESTS_SUPPORT_CLI_RUNNER_H_

#include <chrono>
#include <string>
#include <vector>

namespace wandb::testing {

struct CommandResult {
  int exit_code = -1;  // the program's exit status; -1 when it was killed or timed out
  std::string out;
  std::string err;
};

// Runs bin/`program` with `args`, stdin from /dev/null; kills it after `timeout`.
CommandResult RunProgram(const std::string& program, const std::vector<std::string>& args,
                         std::chrono::milliseconds timeout = std::chrono::seconds(120));

// `wandb-cpp args...`
CommandResult RunCli(const std::vector<std::string>& args,
                     std::chrono::milliseconds timeout = std::chrono::seconds(120));

}  // namespace wandb::testing

#endif  // WANDB_TESTS_SUPPORT_CLI_RUNNER_H_
