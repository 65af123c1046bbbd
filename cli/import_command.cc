#include "cli/import_command.h"

#include <algorithm>
#include <filesystem>

#include "absl/strings/str_cat.h"
#include "cli/output.h"
#include "cli/store_option.h"

namespace wandb::cli {
namespace {
namespace fs = std::filesystem;

std::string Plural(int64_t n, absl::string_view one, absl::string_view many) {
  return absl::StrCat(n, " ", n == 1 ? one : many);
}

std::string OutcomeName(service::RunSyncOutcome outcome) {
  switch (outcome) {
    case service::RunSyncOutcome::kAlreadySynced:
      return "already_imported";
    case service::RunSyncOutcome::kEarlierPart:
      return "earlier_part";
    case service::RunSyncOutcome::kSynced:
      break;
  }
  return "imported";
}

std::string Ending(const service::RunSyncResult& result) {
  return absl::StrCat(store::RunStateName(result.state), " (exit code ", result.exit_code, ")");
}

}  // namespace

CLI::App* AddImportCommand(CLI::App& app, ImportOptions* options) {
  CLI::App* command = app.add_subcommand(
      "import", "import offline run directories into the local store (idempotent)");
  command
      ->add_option("dirs", options->dirs,
                   "run directories (wandb/offline-run-*), or directories holding them")
      ->required();
  AddStoreOption(command, &options->store_dir);
  command->add_flag("--json", options->json, "print one JSON object per run per line");
  command->footer(
      "Each run's transaction log is replayed into the store (history, config, summary), its "
      "files/ are stored, and the run is finished as its log records (a log without an exit: "
      "crashed, exit code 1). Importing again stores nothing twice. Exit codes: 0 every run "
      "imported or already imported; 1 a directory failed (the others are still imported); 2 bad "
      "arguments.");
  return command;
}

absl::StatusOr<std::vector<std::string>> RunDirectoriesIn(const std::string& dir) {
  std::error_code ec;
  if (!fs::is_directory(dir, ec)) {
    return absl::NotFoundError(absl::StrCat(dir, " is not a directory"));
  }
  if (service::IsRunDirectory(dir)) return std::vector<std::string>{dir};
  std::vector<std::string> runs;
  for (fs::directory_iterator it(dir, ec), end; !ec && it != end; it.increment(ec)) {
    std::string name = it->path().filename();
    std::error_code type_ec;
    if (name.starts_with("offline-run-") && it->is_directory(type_ec) &&
        service::IsRunDirectory(it->path())) {
      runs.push_back(it->path());
    }
  }
  if (runs.empty()) {
    return absl::NotFoundError(absl::StrCat(
        dir,
        " is not a run directory (it holds no run-<id>.wandb) and holds no offline-run-* "
        "directories"));
  }
  std::sort(runs.begin(), runs.end());
  return runs;
}

std::string ImportLine(const service::RunSyncResult& r) {
  if (r.outcome == service::RunSyncOutcome::kAlreadySynced) {
    return absl::StrCat("already imported: run ", r.key.ToString(), " from ", r.run_dir, " (",
                        store::RunStateName(r.state), ", exit code ", r.exit_code, ")");
  }
  std::string files = Plural(r.files_stored, "file", "files");
  absl::StrAppend(&files, " stored (", FormatBytes(r.bytes_stored), ")");
  if (r.files_unchanged > 0) absl::StrAppend(&files, ", ", r.files_unchanged, " unchanged");
  if (r.files_failed > 0) absl::StrAppend(&files, ", ", r.files_failed, " failed");
  if (r.outcome == service::RunSyncOutcome::kEarlierPart) {
    return absl::StrCat("imported an earlier part of run ", r.key.ToString(), " from ", r.run_dir,
                        ": ", r.history_rows_added, " of ", Plural(r.history_rows, "row", "rows"),
                        " new, ", files, "; the run stays ", store::RunStateName(r.state),
                        " (exit code ", r.exit_code, ")");
  }
  return absl::StrCat("imported run ", r.key.ToString(), " from ", r.run_dir, ": ",
                      Plural(r.history_rows, "row", "rows"), ", ", files, ", ", Ending(r));
}

nlohmann::json ImportJson(const service::RunSyncResult& r) {
  return {
      {"dir", r.run_dir},
      {"run", r.key.ToString()},
      {"outcome", OutcomeName(r.outcome)},
      {"rows", r.history_rows},
      {"rows_added", r.history_rows_added},
      {"files_stored", r.files_stored},
      {"files_unchanged", r.files_unchanged},
      {"files_failed", r.files_failed},
      {"bytes_stored", r.bytes_stored},
      {"state", std::string(store::RunStateName(r.state))},
      {"exit_code", r.exit_code},
      {"runtime_seconds", absl::ToDoubleSeconds(r.runtime)},
      {"log_has_exit", r.log_has_exit},
      {"warnings", r.warnings},
  };
}

int RunImport(const ImportOptions& options, std::ostream& out, std::ostream& err) {
  absl::StatusOr<std::string> dir = ResolveStoreDir(options.store_dir);
  if (!dir.ok()) {
    err << "wandb-cpp import: " << dir.status().message() << "\n";
    return kExitFailure;
  }
  // Importing is how a store can come to be: open (and make) it.
  absl::StatusOr<std::unique_ptr<store::LocalStore>> opened = store::LocalStore::Open(*dir);
  if (!opened.ok()) {
    err << "wandb-cpp import: " << opened.status().message() << "\n";
    return kExitFailure;
  }
  std::shared_ptr<store::LocalStore> store = *std::move(opened);

  int failures = 0;
  auto failed = [&](const std::string& what, absl::string_view message) {
    ++failures;
    err << "wandb-cpp import: " << message << "\n";
    if (options.json) {
      out << JsonLine({{"dir", what}, {"outcome", "failed"}, {"error", std::string(message)}})
          << "\n";
    }
  };
  for (const std::string& arg : options.dirs) {
    absl::StatusOr<std::vector<std::string>> runs = RunDirectoriesIn(arg);
    if (!runs.ok()) {
      failed(arg, runs.status().message());
      continue;
    }
    for (const std::string& run_dir : *runs) {
      absl::StatusOr<service::RunSyncResult> result = service::SyncRunDirectory(store, run_dir);
      if (!result.ok()) {
        failed(run_dir, result.status().message());
        continue;
      }
      for (const std::string& warning : result->warnings) {
        err << "wandb-cpp import: warning: " << result->run_dir << ": " << warning << "\n";
      }
      out << (options.json ? JsonLine(ImportJson(*result)) : ImportLine(*result)) << "\n";
    }
  }
  return failures == 0 ? kExitOk : kExitFailure;
}

}  // namespace wandb::cli
