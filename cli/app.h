// The wandb-cpp command line: its commands, their arguments and exit codes, run on the given
// streams so tests can run it in-process.
//
//   wandb-cpp status | runs | stop RUN | logs RUN | dump FILE | import DIR... | daemon stop | ui
//   (sync: reserved for uploading to W&B; it says so and points to import)
//
// Exit codes of every command: 0 done, 1 failed (the error on stderr names what is wrong),
// 2 bad arguments (nothing was done). --help and --version exit with 0.
#ifndef WANDB_CLI_APP_H_
#define WANDB_CLI_APP_H_

#include <ostream>
#include <string>
#include <vector>

namespace wandb::cli {

// `args` without the program name.
int RunCommandLine(const std::vector<std::string>& args, std::ostream& out, std::ostream& err);

}  // namespace wandb::cli

#endif  // WANDB_CLI_APP_H_
