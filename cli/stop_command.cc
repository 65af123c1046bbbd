#include "cli/stop_command.h"

#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/time/clock.h"
#include "cli/daemon_client.h"
#include "cli/output.h"
#include "cli/store_option.h"

namespace wandb::cli {
namespace {

constexpr absl::Duration kWaitPoll = absl::Milliseconds(100);

std::string Describe(const store::RunRow& run) {
  std::string text(store::RunStateName(run.state));
  if (run.exit_code.has_value()) absl::StrAppend(&text, ", exit code ", *run.exit_code);
  if (run.end_time.has_value()) absl::StrAppend(&text, ", at ", FormatLocalTime(*run.end_time));
  return text;
}

// Why `ref` is not in the store when the user's daemon is running it offline: offline runs
// are not tracked in the store, where a stop request is left for the run to find. "" when
// no daemon answers or it runs no offline run by that id.
std::string OfflineRunExplanation(const std::string& ref) {
  absl::StatusOr<DaemonClient> daemon = DaemonClient::ForThisUser();
  if (!daemon.ok()) return "";
  absl::StatusOr<service::DaemonStatusResponse> status = daemon->Status(absl::Seconds(2));
  if (!status.ok()) return "";
  std::vector<absl::string_view> parts = absl::StrSplit(ref, '/');
  for (const service::LiveRun& run : status->runs()) {
    if (run.run_id() != parts.back() || run.mode() != service::MODE_OFFLINE) continue;
    return absl::StrCat(
        "run ", run.run_id(),
        " is an offline run, and offline runs cannot be stopped: a stop "
        "request is left in the local store for the run to find, and an offline run is not "
        "tracked there (only in its run directory). Stop its process instead (kill -INT ",
        run.client_pid(),
        ", as Ctrl-C would), or run it in local mode, the default, to be able "
        "to stop it from here or from wandb-cpp ui");
  }
  return "";
}

}  // namespace

std::string CheckRunReference(const std::string& ref) {
  std::vector<absl::string_view> parts = absl::StrSplit(ref, '/');
  bool empty_part = false;
  for (absl::string_view part : parts) empty_part |= part.empty();
  if (parts.size() > 3 || empty_part) {
    return absl::StrCat("'", ref, "' is not 'id', 'project/id' or 'entity/project/id'");
  }
  return "";
}

CLI::App* AddStopCommand(CLI::App& app, StopOptions* options) {
  CLI::App* command = app.add_subcommand("stop", "ask a running run to stop");
  command->add_option("run", options->run, "the run: id, project/id or entity/project/id")
      ->required()
      ->check(CLI::Validator(CheckRunReference, "RUN"));
  AddStoreOption(command, &options->store_dir);
  command->add_flag("--json", options->json, "print one JSON document");
  command->add_flag("--wait", options->wait, "wait until the run has ended, and say how");
  command
      ->add_option("--timeout", options->timeout_seconds,
                   "seconds --wait waits for the run to end (default 60)")
      ->check(CLI::PositiveNumber);
  command->footer(
      "The training process sees the request within about 0.35 s (by default) and finishes "
      "the run as stopped. Exit codes: 0 requested (also when it had been "
      "already); 1 no such run, an ambiguous RUN, a run that is not running, or a run still "
      "running when --wait gives up; 2 bad arguments.");
  return command;
}

int RunStop(const StopOptions& options, std::ostream& out, std::ostream& err) {
  auto fail = [&err](absl::string_view message) {
    err << "wandb-cpp stop: " << message << "\n";
    return kExitFailure;
  };
  absl::StatusOr<StoredRun> found = FindStoredRun(options.store_dir, options.run);
  if (absl::IsNotFound(found.status())) {
    if (std::string offline = OfflineRunExplanation(options.run); !offline.empty()) {
      return fail(offline);
    }
  }
  if (!found.ok()) return fail(found.status().message());
  const std::shared_ptr<store::LocalStore>& store = found->store;
  const store::RunRow& run = found->run;
  const std::string path = run.key.ToString();
  if (run.state != store::RunState::kRunning) {
    return fail(absl::StrCat("run ", path, " is not running (", Describe(run),
                             "); only a running run can be stopped"));
  }
  const bool already = run.stop_requested;
  if (!already) {
    if (absl::Status s = store->runs().RequestStop(run.key); !s.ok()) return fail(s.message());
  }
  absl::StatusOr<store::RunRow> now = store->runs().Get(run.key);
  if (!now.ok()) return fail(now.status().message());
  absl::Time requested_at = now->stop_requested_time.value_or(absl::Now());

  nlohmann::json json = {{"run", path},
                         {"stop_requested", true},
                         {"already_requested", already},
                         {"requested_at", UnixSeconds(requested_at)}};
  if (!options.json) {
    if (already) {
      out << "a stop of run " << path << " was already requested at "
          << FormatLocalTime(requested_at) << "\n";
    } else {
      out << "requested a stop of run " << path
          << "; its training process sees it within about 0.35 s\n";
    }
  }
  if (!options.wait) {
    if (options.json) out << JsonLine(json) << "\n";
    return kExitOk;
  }

  const absl::Time start = absl::Now();
  const absl::Time deadline = start + absl::Seconds(options.timeout_seconds);
  while (now->state == store::RunState::kRunning && absl::Now() < deadline) {
    absl::SleepFor(kWaitPoll);
    now = store->runs().Get(run.key);
    if (!now.ok()) return fail(now.status().message());
  }
  const bool ended = now->state != store::RunState::kRunning;
  json["ended"] = ended;
  json["state"] = std::string(store::RunStateName(now->state));
  json["exit_code"] =
      now->exit_code.has_value() ? nlohmann::json(*now->exit_code) : nlohmann::json();
  if (options.json) out << JsonLine(json) << "\n";
  if (!ended) {
    return fail(absl::StrCat("run ", path, " is still running after ",
                             CompactDuration(absl::Now() - start),
                             " (is its training process alive and polling?)"));
  }
  if (!options.json) {
    out << "run " << path << " ended: " << Describe(*now) << "\n";
  }
  return kExitOk;
}

}  // namespace wandb::cli
