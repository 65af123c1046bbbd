#include "service/recovery/wandb_sync.h"

#include <filesystem>
#include <fstream>
#include <vector>

#include "absl/strings/str_cat.h"
#include "common/run/run_id.h"
#include "service/backend/run_end.h"
#include "service/backend/wandb_api.h"
#include "service/backend/wandb_backend.h"
#include "service/recovery/offline_run.h"
#include "service/recovery/run_sync.h"
#include "service/recovery/store_run_files.h"
#include "service/replay/log_replayer.h"

namespace wandb::service {
namespace {
namespace fs = std::filesystem;

// How often a step that failed for a passing reason is tried again. The backend itself keeps
// wandb's backoff and answers at once until its next attempt is due, so this only sets how
// soon that attempt is noticed.
constexpr absl::Duration kRetryInterval = absl::Milliseconds(500);

// Runs `step` until it succeeds, fails for good (the backend gave up, or the error cannot
// heal), or `deadline` passes.
template <typename Step>
absl::Status Retrying(const WandbBackend& backend, absl::Time deadline, Step step) {
  absl::Status status = step();
  while (!status.ok() && IsRetryable(status) && backend.gave_up().empty() &&
         absl::Now() + kRetryInterval < deadline) {
    absl::SleepFor(kRetryInterval);
    status = step();
  }
  return status;
}

absl::Status Failed(const std::string& log_path, const absl::Status& status) {
  return absl::Status(status.code(), absl::StrCat("cannot send ", log_path, " to W&B: ",
                                                  status.message(), "; it was not marked synced"));
}

}  // namespace

std::string SyncedMarkPath(const std::string& log_path) { return log_path + ".synced"; }

absl::StatusOr<WandbSyncResult> SyncToWandb(const std::string& dir,
                                            const WandbSyncOptions& options) {
  absl::StatusOr<RunDirectoryPaths> paths = OpenRunDirectory(dir);
  if (!paths.ok()) return paths.status();
  WandbSyncResult result;
  result.run_dir = paths->run_dir;
  const std::string& log_path = paths->log_path;
  std::error_code ec;
  if (!options.include_synced && fs::exists(SyncedMarkPath(log_path), ec)) {
    result.already_synced = true;
    return result;
  }
  absl::StatusOr<LogFacts> facts = ReadRunFacts(log_path);
  if (!facts.ok()) return facts.status();
  result.run_id = facts->run->run_id();
  result.history_rows = facts->history_rows;
  absl::StatusOr<std::optional<FileLock>> lock =
      LockEndedRun(result.run_dir, facts->exit_code.has_value(), result.run_id);
  if (!lock.ok()) return lock.status();

  WandbBackend backend(options.online,
                       options.entity.empty() ? facts->run->entity() : options.entity,
                       options.project.empty() ? facts->run->project() : options.project);
  if (!options.run_id.empty()) {
    if (absl::Status s = ValidateRunId(options.run_id); !s.ok()) return s;
    backend.set_run_id(options.run_id);
    result.run_id = options.run_id;
  }
  std::vector<records::FilesRecord> saves;
  LogReplayer replayer(log_path, result.run_dir, &backend,
                       [&saves](const records::FilesRecord& files) { saves.push_back(files); });
  const absl::Time deadline = absl::Now() + options.give_up_after;
  absl::Status sent = Retrying(backend, deadline, [&] {
    absl::Status s = replayer.CatchUp();
    return s.ok() ? replayer.SendSummary() : s;
  });
  if (!sent.ok()) return Failed(log_path, sent);
  if (!replayer.corruption().empty()) {
    result.warnings.push_back(absl::StrCat("the log is damaged: ", replayer.corruption().Summary(),
                                           "; sent every intact record"));
  }

  StoredRunFiles files = StoreRunFiles(result.run_dir + "/files", saves, backend);
  result.files_uploaded = files.stored;
  result.files_unchanged = files.unchanged;
  result.files_failed = files.failed;
  result.bytes_uploaded = files.bytes;
  for (std::string& warning : files.warnings) result.warnings.push_back(std::move(warning));

  result.log_has_exit = replayer.exit_code().has_value();
  RunEnd end = DecideRunEnd(replayer.exit_code(), /*stop_requested=*/false);
  result.exit_code = end.exit_code;
  if (!result.log_has_exit) {
    result.warnings.push_back(absl::StrCat(
        "the log ends before the run's exit: sent as crashed with exit code ", end.exit_code));
  }
  const absl::Duration runtime = absl::Seconds(replayer.exit_runtime().value_or(0));
  sent = Retrying(backend, deadline, [&] { return backend.FinishRun(end, runtime); });
  if (!sent.ok()) return Failed(log_path, sent);
  if (!backend.gave_up().empty())
    return Failed(log_path, absl::UnavailableError(backend.gave_up()));
  result.run_url = backend.run_url();
  if (result.files_failed > 0) return result;  // not marked: the next sync tries them again
  std::ofstream mark(SyncedMarkPath(log_path));
  if (!mark) result.warnings.push_back("could not write the .synced mark beside the log");
  return result;
}

}  // namespace wandb::service
