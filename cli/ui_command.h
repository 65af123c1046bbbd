// `wandb-cpp ui [--port 8080] [--host 127.0.0.1] [--store DIR] [--token T]`: serves a web app
// over the local store (docs/ui.md) until interrupted (Ctrl-C, SIGTERM, SIGHUP).
//
// Prints the URL to open on its first line ("wandb-cpp ui: http://127.0.0.1:8080/"), with
// ?token=... when a token is needed (any non-loopback --host, or --token given). Exit codes:
// 0 stopped by a signal; 1 no store, or the port cannot be bound; 2 usage.
#ifndef WANDB_CLI_UI_COMMAND_H_
#define WANDB_CLI_UI_COMMAND_H_

#include <ostream>
#include <string>

#include "CLI/CLI.hpp"

namespace wandb::cli {

struct UiOptions {
  std::string store_dir;
  std::string host = "127.0.0.1";
  int port = 8080;
  std::string token;
};

CLI::App* AddUiCommand(CLI::App& app, UiOptions* options);
int RunUi(const UiOptions& options, std::ostream& out, std::ostream& err);

}  // namespace wandb::cli

#endif  // WANDB_CLI_UI_COMMAND_H_
