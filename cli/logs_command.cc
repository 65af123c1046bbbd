#include "cli/logs_command.h"

#include "absl/strings/str_cat.h"
#include "absl/time/time.h"
#include "cli/output.h"
#include "cli/stop_command.h"
#include "cli/store_option.h"

namespace wandb::cli {
namespace {

// As wandb's file stream dates output.log lines: UTC, microseconds, no zone suffix.
std::string IsoUtc(absl::Time time) {
  return absl::FormatTime("%Y-%m-%dT%H:%M:%E6S", time, absl::UTCTimeZone());
}

}  // namespace

CLI::App* AddLogsCommand(CLI::App& app, LogsOptions* options) {
  CLI::App* command =
      app.add_subcommand("logs", "print a run's console output (stdout and stderr)");
  command->add_option("run", options->run, "the run: id, project/id or entity/project/id")
      ->required()
      ->check(CLI::Validator(CheckRunReference, "RUN"));
  AddStoreOption(command, &options->store_dir);
  command->add_option("--stream", options->stream, "all (default), stdout or stderr")
      ->check(CLI::IsMember({"all", "stdout", "stderr"}));
  command->add_flag("--timestamps", options->timestamps,
                    "prefix each line with its UTC time, and stderr lines with ERROR, as "
                    "wandb streams output.log");
  command->add_flag("--json", options->json, "one JSON object a line");
  command->footer(
      "Lines are those of the run's files/output.log: a progress bar redrawn with \\r shows "
      "its last state. Exit codes: 0 printed; 1 no such run or an ambiguous RUN; 2 bad "
      "arguments.");
  return command;
}

int RunLogs(const LogsOptions& options, std::ostream& out, std::ostream& err) {
  auto fail = [&err](absl::string_view message) {
    err << "wandb-cpp logs: " << message << "\n";
    return kExitFailure;
  };
  absl::StatusOr<StoredRun> found = FindStoredRun(options.store_dir, options.run);
  if (!found.ok()) return fail(found.status().message());
  const std::shared_ptr<store::LocalStore>& store = found->store;
  const store::RunRow& run = found->run;
  absl::StatusOr<std::vector<store::ConsoleLine>> lines = store->series().Console(run.key);
  if (!lines.ok()) return fail(lines.status().message());

  for (const store::ConsoleLine& line : *lines) {
    const char* stream = line.is_stderr ? "stderr" : "stdout";
    if (options.stream != "all" && options.stream != stream) continue;
    if (options.json) {
      out << JsonLine({{"stream", stream},
                       {"timestamp", UnixSeconds(line.timestamp)},
                       {"line", line.line}})
          << "\n";
    } else if (options.timestamps) {
      out << (line.is_stderr ? "ERROR " : "") << IsoUtc(line.timestamp) << " " << line.line << "\n";
    } else {
      out << line.line << "\n";
    }
  }
  return kExitOk;
}

}  // namespace wandb::cli
