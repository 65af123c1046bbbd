#include "cli/import_command.h"

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "cli/import_failure.h"
#include "cli/output.h"
#include "cli/run_directories.h"
#include "cli/store_option.h"

namespace wandb::cli {
namespace {

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
    err << "wandb-cpp import: "
        << ImportFailureMessage(opened.status(), *dir, absl::StrJoin(options.dirs, " ")) << "\n";
    return kExitFailure;
  }
  std::shared_ptr<store::LocalStore> store = *std::move(opened);

  int failures = ForEachRunDirectory(
      options.dirs, "import", options.json, out, err, [&](const std::string& run_dir) {
        absl::StatusOr<service::RunSyncResult> result = service::SyncRunDirectory(store, run_dir);
        if (!result.ok()) {
          return absl::Status(result.status().code(),
                              ImportFailureMessage(result.status(), *dir, run_dir));
        }
        for (const std::string& warning : result->warnings) {
          err << "wandb-cpp import: warning: " << result->run_dir << ": " << warning << "\n";
        }
        out << (options.json ? JsonLine(ImportJson(*result)) : ImportLine(*result)) << "\n";
        return absl::OkStatus();
      });
  return failures == 0 ? kExitOk : kExitFailure;
}

}  // namespace wandb::cli
