#include "cli/runs_command.h"

#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/time/clock.h"
#include "cli/output.h"
#include "cli/store_option.h"

namespace wandb::cli {
namespace {

// "project" or "entity/project", no empty part.
std::string CheckProject(const std::string& project) {
  std::vector<absl::string_view> parts = absl::StrSplit(project, '/');
  bool empty_part = false;
  for (absl::string_view part : parts) empty_part |= part.empty();
  if (parts.size() > 2 || empty_part) {
    return absl::StrCat("'", project, "' is not 'project' or 'entity/project'");
  }
  return "";
}

}  // namespace

CLI::App* AddRunsCommand(CLI::App& app, RunsOptions* options) {
  CLI::App* command = app.add_subcommand("runs", "list the runs in the local store");
  command
      ->add_option("--project", options->project,
                   "only the runs of this project ('project' or 'entity/project')")
      ->check(CLI::Validator(CheckProject, "PROJECT"));
  AddStoreOption(command, &options->store_dir);
  command->add_flag("--json", options->json, "print one JSON object per run per line");
  command->footer(
      "Exit codes: 0 listed (also when there are none); 1 the store cannot be read; 2 bad "
      "arguments.");
  return command;
}

void PrintRuns(const std::vector<store::RunRow>& runs, absl::Time now, std::ostream& out) {
  using Align = Table::Align;
  Table table({"ID", "PROJECT", "NAME", "STATE", "EXIT", "STARTED", "DURATION"},
              {Align::kLeft, Align::kLeft, Align::kLeft, Align::kLeft, Align::kRight, Align::kLeft,
               Align::kRight});
  for (const store::RunRow& run : runs) {
    table.AddRow({run.key.id, absl::StrCat(run.key.entity, "/", run.key.project),
                  run.name.empty() ? "-" : run.name, std::string(store::RunStateName(run.state)),
                  run.exit_code.has_value() ? absl::StrCat(*run.exit_code) : "-",
                  FormatLocalTime(run.start_time),
                  CompactDuration(run.state == store::RunState::kRunning ? now - run.start_time
                                                                         : run.runtime)});
  }
  table.Print(out);
}

nlohmann::json RunJson(const store::RunRow& run) {
  auto optional_time = [](const std::optional<absl::Time>& t) {
    return t.has_value() ? nlohmann::json(UnixSeconds(*t)) : nlohmann::json();
  };
  return {
      {"id", run.key.id},
      {"entity", run.key.entity},
      {"project", run.key.project},
      {"path", run.key.ToString()},
      {"name", run.name},
      {"state", std::string(store::RunStateName(run.state))},
      {"exit_code", run.exit_code.has_value() ? nlohmann::json(*run.exit_code) : nlohmann::json()},
      {"start_time", UnixSeconds(run.start_time)},
      {"end_time", optional_time(run.end_time)},
      {"runtime_seconds", absl::ToDoubleSeconds(run.runtime)},
      {"last_step", run.last_step.has_value() ? nlohmann::json(*run.last_step) : nlohmann::json()},
      {"stop_requested", run.stop_requested},
      {"group", run.group},
      {"job_type", run.job_type},
      {"tags", run.tags},
      {"host", run.host},
      {"run_dir", run.run_dir},
  };
}

int RunRuns(const RunsOptions& options, std::ostream& out, std::ostream& err) {
  absl::StatusOr<std::string> dir = ResolveStoreDir(options.store_dir);
  if (!dir.ok()) {
    err << "wandb-cpp runs: " << dir.status().message() << "\n";
    return kExitFailure;
  }
  absl::StatusOr<std::shared_ptr<store::LocalStore>> store = OpenExistingStore(*dir);
  if (absl::IsNotFound(store.status())) {
    // No store yet is an empty list, not a failure.
    if (!options.json) out << "no runs: " << store.status().message() << "\n";
    return kExitOk;
  }
  if (!store.ok()) {
    err << "wandb-cpp runs: " << store.status().message() << "\n";
    return kExitFailure;
  }
  absl::StatusOr<std::vector<store::RunRow>> runs = (*store)->runs().List(options.project);
  if (!runs.ok()) {
    err << "wandb-cpp runs: " << runs.status().message() << "\n";
    return kExitFailure;
  }
  if (options.json) {
    for (const store::RunRow& run : *runs) out << JsonLine(RunJson(run)) << "\n";
    return kExitOk;
  }
  if (runs->empty()) {
    out << "no runs" << (options.project.empty() ? "" : " of project " + options.project)
        << " in the local store " << *dir << "\n";
    return kExitOk;
  }
  PrintRuns(*runs, absl::Now(), out);
  return kExitOk;
}

}  // namespace wandb::cli
