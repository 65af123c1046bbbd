#include "cli/sync_command.h"

#include <filesystem>
#include <memory>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "cli/output.h"
#include "cli/run_directories.h"
#include "cli/store_option.h"
#include "cli/sync_clean.h"
#include "cli/wandb_server.h"
#include "service/recovery/wandb_sync.h"

namespace wandb::cli {
namespace {

std::string SyncLine(const service::WandbSyncResult& r) {
  if (r.already_synced) return absl::StrCat("already synced: ", r.run_dir);
  std::string line = absl::StrCat("synced run ", r.run_id, " from ", r.run_dir, ": ",
                                  r.history_rows, r.history_rows == 1 ? " row, " : " rows, ",
                                  r.files_uploaded, r.files_uploaded == 1 ? " file" : " files",
                                  " uploaded (", FormatBytes(r.bytes_uploaded), ")");
  if (r.files_unchanged > 0) absl::StrAppend(&line, ", ", r.files_unchanged, " unchanged");
  if (r.files_failed > 0) {
    absl::StrAppend(&line, ", ", r.files_failed, " failed (not marked synced: run it again)");
  }
  absl::StrAppend(&line, ", exit code ", r.exit_code);
  if (!r.run_url.empty()) absl::StrAppend(&line, "; ", r.run_url);
  return line;
}

nlohmann::json SyncJson(const service::WandbSyncResult& r) {
  return {
      {"dir", r.run_dir},
      {"run_id", r.run_id},
      {"outcome", r.already_synced ? "already_synced" : "synced"},
      {"url", r.run_url},
      {"rows", r.history_rows},
      {"files_uploaded", r.files_uploaded},
      {"files_unchanged", r.files_unchanged},
      {"files_failed", r.files_failed},
      {"bytes_uploaded", r.bytes_uploaded},
      {"exit_code", r.exit_code},
      {"log_has_exit", r.log_has_exit},
      {"warnings", r.warnings},
  };
}

// The run directory of run `ref` of the local store.
absl::StatusOr<std::string> StoredRunDirectory(const std::string& ref,
                                               const std::string& store_flag) {
  absl::StatusOr<std::string> dir = ResolveStoreDir(store_flag);
  if (!dir.ok()) return dir.status();
  absl::StatusOr<std::shared_ptr<store::LocalStore>> store = OpenExistingStore(*dir);
  if (!store.ok()) return store.status();
  absl::StatusOr<store::RunRow> run = (*store)->runs().Find(ref);
  if (!run.ok()) return run.status();
  if (run->run_dir.empty()) {
    return absl::FailedPreconditionError(
        absl::StrCat("run ", ref, " of the local store has no run directory to send"));
  }
  return run->run_dir;
}

// The arguments as paths: a path as it is, anything else as a run of the local store, its
// run directory. One that is neither is reported and counted in *failures.
std::vector<std::string> PathsToSync(const SyncOptions& options, std::ostream& out,
                                     std::ostream& err, int* failures) {
  std::vector<std::string> paths;
  for (const std::string& arg : options.dirs) {
    std::error_code ec;
    if (std::filesystem::exists(arg, ec)) {
      paths.push_back(arg);
      continue;
    }
    absl::StatusOr<std::string> stored = StoredRunDirectory(arg, options.store_dir);
    if (stored.ok()) {
      paths.push_back(*stored);
      continue;
    }
    ++*failures;
    ReportRunFailure("sync", options.json, arg,
                     absl::StrCat(arg, " is neither a directory nor a run of the local store: ",
                                  stored.status().message()),
                     out, err);
  }
  return paths;
}

// How many run directories `paths` name (a directory of offline runs names each).
size_t RunCount(const std::vector<std::string>& paths) {
  size_t runs = 0;
  for (const std::string& path : paths) {
    absl::StatusOr<std::vector<std::string>> in = RunDirectoriesIn(path);
    runs += in.ok() ? in->size() : 1;
  }
  return runs;
}

}  // namespace

CLI::App* AddSyncCommand(CLI::App& app, SyncOptions* options) {
  CLI::App* command =
      app.add_subcommand("sync", "send run directories to W&B, as `wandb sync` (idempotent)");
  command->add_option("dirs", options->dirs,
                      "run directories (wandb/offline-run-*), directories holding them, or runs "
                      "of the local store (id, project/id, entity/project/id); with --clean, "
                      "default ./wandb");
  AddStoreOption(command, &options->store_dir);
  command->add_option("--entity", options->entity, "the entity to send to (default: the log's)");
  command->add_option("--project", options->project, "the project to send to (default: the log's)");
  command->add_option("--id", options->id,
                      "the run id to send it as (default: the log's; one run)");
  command->add_option(
      "--host", options->host,
      "the W&B server's API URL (default WANDB_BASE_URL, else base_url in wandb's settings "
      "file, else https://api.wandb.ai)");
  command->add_flag("--include-synced", options->include_synced,
                    "send runs marked synced again, as wandb's --include-synced");
  command->add_flag("--json", options->json, "print one JSON object per run per line");
  command->add_flag("--clean", options->clean,
                    "delete run directories that were synced (their .synced mark) instead of "
                    "sending, as wandb's --clean");
  command
      ->add_option("--clean-old-hours", options->clean_old_hours,
                   "with --clean: only runs that started more than this many hours ago, in a "
                   "directory of runs (a run directory named itself is taken at any age)")
      ->default_val(24);
  command->add_flag("--clean-force", options->clean_force,
                    "with --clean: delete without asking for confirmation");
  command->footer(
      "Each run's transaction log is replayed to the server (run, config, history, system "
      "metrics, console, summary), its files/ are uploaded, and the run is finished as its log "
      "records (a log without an exit: crashed, exit code 1). The key comes from WANDB_API_KEY, "
      "else ~/.netrc (wandb-cpp login), else wandb's settings file; HTTPS is verified against "
      "REQUESTS_CA_BUNDLE (or CURL_CA_BUNDLE, SSL_CERT_FILE) when set. A run sent whole gets a "
      "run-<id>.wandb.synced mark and is "
      "not sent again. Exit codes: 0 every run synced or already synced; 1 a directory failed "
      "(the others are still sent); 2 bad arguments.");
  return command;
}

int RunSync(const SyncOptions& options, std::istream& in, std::ostream& out, std::ostream& err) {
  if (options.clean) {
    return RunSyncClean(SyncCleanOptions{.dirs = options.dirs,
                                         .old_hours = options.clean_old_hours,
                                         .force = options.clean_force},
                        absl::Now(), in, out, err);
  }
  if (options.dirs.empty()) {
    err << "wandb-cpp sync: give the run directories or runs to send (or --clean)\n";
    return kExitUsage;
  }
  service::WandbSyncOptions sync;
  absl::StatusOr<std::string> server = WandbServerUrl(options.host);
  if (!server.ok()) {
    err << "wandb-cpp sync: " << server.status().message() << "; nothing was sent\n";
    return kExitFailure;
  }
  sync.online.set_base_url(*server);
  if (!absl::StartsWith(sync.online.base_url(), "https://") &&
      !absl::StartsWith(sync.online.base_url(), "http://")) {
    err << "wandb-cpp sync: " << sync.online.base_url() << " must start with https:// or http://\n";
    return kExitUsage;
  }
  absl::StatusOr<std::string> key = WandbApiKey(sync.online.base_url());
  if (!key.ok()) {
    err << "wandb-cpp sync: " << key.status().message() << "; nothing was sent\n";
    return kExitFailure;
  }
  sync.online.set_api_key(*key);
  absl::StatusOr<std::string> ca_file = WandbCaFile();
  if (!ca_file.ok()) {
    err << "wandb-cpp sync: " << ca_file.status().message() << "; nothing was sent\n";
    return kExitFailure;
  }
  sync.online.set_ca_file(*ca_file);
  sync.entity = options.entity;
  sync.project = options.project;
  sync.include_synced = options.include_synced;
  sync.run_id = options.id;

  int failures = 0;
  const std::vector<std::string> dirs = PathsToSync(options, out, err, &failures);
  if (!options.id.empty() && RunCount(dirs) + failures > 1) {
    err << "wandb-cpp sync: --id names one run: give one run directory or RUN\n";
    return kExitUsage;
  }
  int partial = 0;
  failures +=
      ForEachRunDirectory(dirs, "sync", options.json, out, err, [&](const std::string& run_dir) {
        absl::StatusOr<service::WandbSyncResult> result = service::SyncToWandb(run_dir, sync);
        if (!result.ok()) return result.status();
        for (const std::string& warning : result->warnings) {
          err << "wandb-cpp sync: warning: " << result->run_dir << ": " << warning << "\n";
        }
        out << (options.json ? JsonLine(SyncJson(*result)) : SyncLine(*result)) << "\n";
        if (result->files_failed > 0) ++partial;  // sent, but not whole: exit code 1 too
        return absl::OkStatus();
      });
  return failures + partial == 0 ? kExitOk : kExitFailure;
}

}  // namespace wandb::cli
