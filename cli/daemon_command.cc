#include "cli/daemon_command.h"

#include <algorithm>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/time/clock.h"
#include "cli/daemon_client.h"
#include "cli/output.h"

namespace wandb::cli {
namespace {

constexpr absl::Duration kExitPoll = absl::Milliseconds(50);

}  // namespace

CLI::App* AddDaemonCommand(CLI::App& app, DaemonStopOptions* stop) {
  CLI::App* daemon = app.add_subcommand("daemon", "manage the user's wandb-service");
  daemon->require_subcommand(1);
  CLI::App* command = daemon->add_subcommand(
      "stop",
      "stop the wandb-service, leaving live runs to their training processes (or "
      "finishing them); wait until it has exited");
  command
      ->add_option("--timeout", stop->timeout_seconds,
                   "seconds to wait for the daemon to exit (default 30)")
      ->check(CLI::PositiveNumber);
  command->add_flag("--json", stop->json, "print one JSON document");
  command->add_flag("--finish-runs", stop->finish_runs,
                    "finish the live runs (as crashed, exit code 1) instead of leaving them to "
                    "their training processes");
  command->footer(
      "As on SIGTERM, the daemon first writes every row it has received. A live run then goes "
      "on: its training process re-attaches it to a new daemon. With --finish-runs the runs "
      "end here, as crashed. Exit codes: 0 the daemon exited (or none was running); 1 it could "
      "not be asked or had not exited at the timeout; 2 bad arguments.");
  return command;
}

int RunDaemonStop(const DaemonStopOptions& options, std::ostream& out, std::ostream& err) {
  absl::StatusOr<DaemonClient> client = DaemonClient::ForThisUser();
  if (!client.ok()) {
    err << "wandb-cpp daemon stop: " << client.status().message() << "\n";
    return kExitFailure;
  }
  const absl::Time start = absl::Now();
  const absl::Duration timeout = absl::Seconds(options.timeout_seconds);
  absl::StatusOr<service::ShutdownResponse> shutdown =
      client->Shutdown(options.finish_runs, std::min(timeout, absl::Seconds(10)));
  if (absl::IsUnavailable(shutdown.status())) {
    // Nothing to stop is what was asked for.
    if (options.json) {
      out << JsonLine({{"was_running", false}, {"socket", client->endpoint().socket_path}}) << "\n";
    } else {
      out << client->NoDaemonMessage() << ": nothing to stop\n";
    }
    return kExitOk;
  }
  if (!shutdown.ok()) {
    err << "wandb-cpp daemon stop: " << shutdown.status().message() << "\n";
    return kExitFailure;
  }
  const int64_t pid = shutdown->pid();
  while (ProcessExists(pid) && absl::Now() - start < timeout) absl::SleepFor(kExitPoll);
  const bool exited = !ProcessExists(pid);
  const absl::Duration took = absl::Now() - start;
  if (options.json) {
    out << JsonLine(
               {{"was_running", true},
                {"pid", pid},
                {options.finish_runs ? "runs_finished" : "runs_handed_over", shutdown->live_runs()},
                {"exited", exited},
                {"seconds", absl::ToDoubleSeconds(took)}})
        << "\n";
  }
  if (!exited) {
    err << "wandb-cpp daemon stop: the wandb-service (pid " << pid << ") has not exited after "
        << CompactDuration(took) << "; it may still be finishing runs (see "
        << client->endpoint().log_path << ")\n";
    return kExitFailure;
  }
  if (!options.json) {
    out << "stopped the wandb-service (pid " << pid << "): " << shutdown->live_runs()
        << (shutdown->live_runs() == 1 ? " live run" : " live runs")
        << (options.finish_runs ? " finished" : " left to their training processes")
        << ", exited after " << absl::StrFormat("%.1f s", absl::ToDoubleSeconds(took)) << "\n";
  }
  return kExitOk;
}

}  // namespace wandb::cli
