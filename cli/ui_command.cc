#include "cli/ui_command.h"

#include <pthread.h>
#include <signal.h>

#include "absl/strings/str_cat.h"
#include "cli/output.h"
#include "cli/store_option.h"
#include "ui/server/ui_server.h"

namespace wandb::cli {

CLI::App* AddUiCommand(CLI::App& app, UiOptions* options) {
  CLI::App* command = app.add_subcommand("ui", "serve a web app to look at the store's runs");
  AddStoreOption(command, &options->store_dir);
  command->add_option("--port", options->port, "the port (default 8080; 0: any free port)")
      ->check(CLI::Range(0, 65535));
  command->add_option("--host", options->host,
                      "the address to listen on (default 127.0.0.1; any other address needs "
                      "a token)");
  command->add_option("--token", options->token,
                      "the token every request must carry (default: none on a loopback "
                      "address, a random one otherwise)");
  command->footer(
      "The store is read, never changed, except for the stop requests of the Stop button. "
      "Stop the server with Ctrl-C.");
  return command;
}

int RunUi(const UiOptions& options, std::ostream& out, std::ostream& err) {
  absl::StatusOr<std::string> dir = ResolveStoreDir(options.store_dir);
  if (!dir.ok()) {
    err << "wandb-cpp ui: " << dir.status().message() << "\n";
    return kExitFailure;
  }
  // The server's threads inherit this mask, so the signals reach sigwait below alone.
  sigset_t signals, previous;
  sigemptyset(&signals);
  sigaddset(&signals, SIGINT);
  sigaddset(&signals, SIGTERM);
  sigaddset(&signals, SIGHUP);
  pthread_sigmask(SIG_BLOCK, &signals, &previous);

  absl::StatusOr<std::unique_ptr<ui::UiServer>> server = ui::UiServer::Start(
      {.store_dir = *dir, .host = options.host, .port = options.port, .token = options.token});
  if (!server.ok()) {
    pthread_sigmask(SIG_SETMASK, &previous, nullptr);
    err << "wandb-cpp ui: " << server.status().message() << "\n";
    return kExitFailure;
  }
  out << "wandb-cpp ui: " << (*server)->url() << "\n"
      << "serving the store in " << *dir << " (read-only but for stop requests); Ctrl-C stops"
      << std::endl;
  int signal_number = 0;
  sigwait(&signals, &signal_number);
  server->reset();
  pthread_sigmask(SIG_SETMASK, &previous, nullptr);
  out << "wandb-cpp ui: stopped" << std::endl;
  return kExitOk;
}

}  // namespace wandb::cli
