// `wandb-cpp login [KEY] [--host URL] [--relogin]`: checks a W&B API key against the server
// (the viewer query) and keeps it in ~/.netrc (or $NETRC) as `machine <host>`, mode 0600,
// where online runs look for it, as `wandb login` does. Without KEY it is read from stdin, so
// it need not appear on a command line; unless --relogin, a key this machine already has for
// the server that works is kept ("Already logged in"). The host is --host, else
// WANDB_BASE_URL, else W&B's cloud.
//
// Exit codes: 0 the key works and is saved (or one worked already); 1 the server refused it or
// could not be reached (nothing saved); 2 usage.
#ifndef WANDB_CLI_LOGIN_COMMAND_H_
#define WANDB_CLI_LOGIN_COMMAND_H_

#include <istream>
#include <ostream>
#include <string>

#include "CLI/CLI.hpp"

namespace wandb::cli {

struct LoginOptions {
  std::string key;
  std::string host;
  bool relogin = false;
};

CLI::App* AddLoginCommand(CLI::App& app, LoginOptions* options);
int RunLogin(const LoginOptions& options, std::istream& in, std::ostream& out, std::ostream& err);

}  // namespace wandb::cli

#endif  // WANDB_CLI_LOGIN_COMMAND_H_
