#include "cli/status_command.h"

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "cli/daemon_client.h"
#include "cli/output.h"

namespace wandb::cli {
namespace {

absl::Time FromUnixMillis(int64_t ms) { return absl::FromUnixMillis(ms); }

std::string ModeName(service::Mode mode) {
  switch (mode) {
    case service::MODE_OFFLINE:
      return "offline";
    case service::MODE_ONLINE:
      return "online";
    default:
      return "local";
  }
}

}  // namespace

CLI::App* AddStatusCommand(CLI::App& app, StatusOptions* options) {
  CLI::App* command = app.add_subcommand(
      "status", "show the running wandb-service and its live runs (never starts one)");
  command->add_flag("--json", options->json,
                    "print one JSON document instead of a table ({\"running\": false} and exit "
                    "code 0 when no daemon runs)");
  command
      ->add_option("--timeout", options->timeout_seconds,
                   "seconds to wait for the daemon's answer (default 5)")
      ->check(CLI::PositiveNumber);
  command->footer(
      "Exit codes: 0 the daemon answered; 1 no daemon runs (without --json) or it could not be "
      "asked; 2 bad arguments.");
  return command;
}

void PrintStatus(const service::DaemonStatusResponse& status, absl::Time now, std::ostream& out) {
  absl::Time started = FromUnixMillis(status.started_at_unix_ms());
  out << "wandb-service " << status.daemon_version() << " (protocol " << status.protocol_version()
      << ")" << (status.exiting() ? ", exiting" : "") << "\n";
  out << "  pid     " << status.pid() << "\n";
  out << "  uptime  " << CompactDuration(now - started) << " (since " << FormatLocalTime(started)
      << ")\n";
  out << "  socket  " << status.socket_path() << "\n";
  if (status.runs().empty()) {
    out << "\nno live runs\n";
    return;
  }
  out << "\n"
      << status.runs_size() << (status.runs_size() == 1 ? " live run" : " live runs") << "\n";
  using Align = Table::Align;
  Table table({"ID", "PROJECT", "PID", "ROWS", "LAST STEP", "STATE", "MODE", "STARTED"},
              {Align::kLeft, Align::kLeft, Align::kRight, Align::kRight, Align::kRight,
               Align::kLeft, Align::kLeft, Align::kLeft});
  for (const service::LiveRun& run : status.runs()) {
    table.AddRow({run.run_id(), absl::StrCat(run.entity(), "/", run.project()),
                  absl::StrCat(run.client_pid()), absl::StrCat(run.history_rows()),
                  run.has_last_step() ? absl::StrCat(run.last_step()) : "-", run.state(),
                  ModeName(run.mode()), FormatLocalTime(FromUnixMillis(run.started_at_unix_ms()))});
  }
  table.Print(out);
}

nlohmann::json StatusJson(const service::DaemonStatusResponse& status, absl::Time now) {
  absl::Time started = FromUnixMillis(status.started_at_unix_ms());
  nlohmann::json runs = nlohmann::json::array();
  for (const service::LiveRun& run : status.runs()) {
    runs.push_back({
        {"id", run.run_id()},
        {"entity", run.entity()},
        {"project", run.project()},
        {"name", run.display_name()},
        {"pid", run.client_pid()},
        {"mode", ModeName(run.mode())},
        {"rows", run.history_rows()},
        {"last_step", run.has_last_step() ? nlohmann::json(run.last_step()) : nlohmann::json()},
        {"state", run.state()},
        {"started_at", UnixSeconds(FromUnixMillis(run.started_at_unix_ms()))},
        {"run_dir", run.run_dir()},
        {"store_dir", run.store_dir()},
    });
  }
  return {
      {"running", true},
      {"pid", status.pid()},
      {"version", status.daemon_version()},
      {"protocol", status.protocol_version()},
      {"started_at", UnixSeconds(started)},
      {"uptime_seconds", absl::ToDoubleSeconds(now - started)},
      {"socket", status.socket_path()},
      {"service_dir", status.service_dir()},
      {"exiting", status.exiting()},
      {"runs", std::move(runs)},
  };
}

int RunStatus(const StatusOptions& options, std::ostream& out, std::ostream& err) {
  absl::StatusOr<DaemonClient> client = DaemonClient::ForThisUser();
  if (!client.ok()) {
    err << "wandb-cpp status: " << client.status().message() << "\n";
    return kExitFailure;
  }
  absl::StatusOr<service::DaemonStatusResponse> status =
      client->Status(absl::Seconds(options.timeout_seconds));
  if (absl::IsUnavailable(status.status())) {
    if (options.json) {
      out << JsonLine({{"running", false}, {"socket", client->endpoint().socket_path}}) << "\n";
      return kExitOk;
    }
    err << "wandb-cpp status: " << client->NoDaemonMessage() << "\n";
    return kExitFailure;
  }
  if (!status.ok()) {
    err << "wandb-cpp status: " << status.status().message() << "\n";
    return kExitFailure;
  }
  if (options.json) {
    out << JsonLine(StatusJson(*status, absl::Now())) << "\n";
  } else {
    PrintStatus(*status, absl::Now(), out);
  }
  return kExitOk;
}

}  // namespace wandb::cli
