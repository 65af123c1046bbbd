#include "service/recovery/run_sync.h"

#include <pwd.h>
#include <unistd.h>

#include <filesystem>

#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "common/ipc/file_lock.h"
#include "service/backend/local_backend.h"
#include "service/files/save_policies.h"
#include "service/recovery/offline_run.h"
#include "service/recovery/store_run_files.h"
#include "service/replay/log_replayer.h"

namespace wandb::service {
namespace {
namespace fs = std::filesystem;

std::string OsUserName() {
  passwd pw;
  passwd* found = nullptr;
  char buffer[4096];
  if (getpwuid_r(getuid(), &pw, buffer, sizeof(buffer), &found) != 0 || found == nullptr) {
    return "";
  }
  return found->pw_name;
}

bool SamePath(const std::string& a, const std::string& b) {
  if (a.empty() || b.empty()) return false;
  std::error_code ec_a, ec_b;
  fs::path ca = fs::weakly_canonical(a, ec_a);
  fs::path cb = fs::weakly_canonical(b, ec_b);
  return !ec_a && !ec_b && ca == cb;
}

// Whether a live stream (of any daemon) holds the run directory's lock.
bool HeldByADaemon(const std::string& run_dir) {
  return absl::IsUnavailable(FileLock::TryAcquire(run_dir + "/logs/run.lock").status());
}

// An earlier part of a resumed run: the store gets the rows and files it lacks, and nothing
// else; the run's description, config, summary and end stay as its later part left them.
class EarlierPartBackend final : public DiscardingBackend {
 public:
  EarlierPartBackend(std::shared_ptr<store::LocalStore> store, store::RunKey key)
      : store_(std::move(store)), key_(std::move(key)) {}

  int64_t rows_added() const { return rows_added_; }

  absl::Status AppendHistory(absl::Span<const store::HistoryRow> rows) override {
    absl::StatusOr<int> added = store_->series().AppendHistory(key_, rows);
    if (!added.ok()) return added.status();
    rows_added_ += *added;
    return absl::OkStatus();
  }
  absl::Status AppendSystemMetrics(absl::Span<const store::SystemMetricsRow> rows) override {
    return store_->series().AppendSystemMetrics(key_, rows).status();
  }
  absl::StatusOr<FileUploadResult> UploadFile(const FileUpload& file) override {
    // A file the later part has is the later part's: only a missing one is added.
    absl::StatusOr<store::FileVersion> latest = store_->files().Latest(key_, file.name);
    if (latest.ok()) return FileUploadResult{0, /*unchanged=*/true};
    if (!absl::IsNotFound(latest.status())) return latest.status();
    absl::StatusOr<store::PutFileResult> put =
        store_->files().Put(key_, file.name, file.source_path, files::PolicyFromProto(file.policy));
    if (!put.ok()) return put.status();
    return FileUploadResult{put->size, put->unchanged};
  }

 private:
  std::shared_ptr<store::LocalStore> store_;
  const store::RunKey key_;
  int64_t rows_added_ = 0;
};

// Fails when a file could not be stored because the store's disk is full: the run is then
// left unfinished (as the replay left it), so that importing again, once there is room,
// stores the files instead of finding the run "already synced" without them.
absl::Status StoreFiles(const std::string& files_dir,
                        const std::vector<records::FilesRecord>& saves, Backend& backend,
                        const std::string& store_dir, RunSyncResult* result) {
  StoredRunFiles files = StoreRunFiles(files_dir, saves, backend);
  if (!files.no_room.ok()) {
    return absl::Status(files.no_room.code(), absl::StrCat("cannot store the files of ", files_dir,
                                                           " in the local store ", store_dir, ": ",
                                                           files.no_room.message()));
  }
  result->files_stored += files.stored;
  result->files_unchanged += files.unchanged;
  result->files_failed += files.failed;
  result->bytes_stored += files.bytes;
  for (std::string& warning : files.warnings) result->warnings.push_back(std::move(warning));
  return absl::OkStatus();
}

void WarnOfCorruption(const LogReplayer& replayer, RunSyncResult* result) {
  if (replayer.corruption().empty()) return;
  result->warnings.push_back(absl::StrCat("the log is damaged: ", replayer.corruption().Summary(),
                                          "; synced every intact record"));
}

// Adds what an earlier part of a resumed run has and the store lacks (see run_sync.h).
absl::StatusOr<RunSyncResult> SyncEarlierPart(const std::shared_ptr<store::LocalStore>& store,
                                              const store::RunRow& stored, const LogFacts& facts,
                                              RunSyncResult result) {
  EarlierPartBackend backend(store, result.key);
  std::vector<records::FilesRecord> saves;
  LogReplayer replayer(result.log_path, result.run_dir, &backend,
                       [&saves](const records::FilesRecord& files) { saves.push_back(files); });
  if (absl::Status s = replayer.CatchUp(); !s.ok()) {
    return absl::Status(s.code(),
                        absl::StrCat("cannot replay ", result.log_path, " into the local store ",
                                     store->dir(), ": ", s.message()));
  }
  WarnOfCorruption(replayer, &result);
  if (absl::Status s = StoreFiles(result.run_dir + "/files", saves, backend, store->dir(), &result);
      !s.ok()) {
    return s;
  }
  result.history_rows_added = backend.rows_added();
  result.outcome = result.history_rows_added == 0 && result.files_stored == 0
                       ? RunSyncOutcome::kAlreadySynced
                       : RunSyncOutcome::kEarlierPart;
  // The run stays as its later part left it.
  result.exit_code = stored.exit_code.value_or(kCrashedExitCode);
  result.state = stored.state;
  result.runtime = stored.runtime;
  result.log_has_exit = facts.exit_code.has_value();
  return result;
}

}  // namespace

absl::StatusOr<RunSyncResult> SyncRunDirectory(const std::shared_ptr<store::LocalStore>& store,
                                               const std::string& dir,
                                               const RunSyncOptions& options) {
  absl::StatusOr<RunDirectoryPaths> paths = OpenRunDirectory(dir);
  if (!paths.ok()) return paths.status();
  RunSyncResult result;
  result.run_dir = paths->run_dir;
  result.log_path = paths->log_path;
  absl::StatusOr<LogFacts> facts = ReadRunFacts(result.log_path);
  if (!facts.ok()) {
    return absl::Status(facts.status().code(),
                        absl::StrCat(facts.status().message(), "; nothing was synced"));
  }
  const records::RunRecord& run = *facts->run;
  std::string entity = run.entity();
  if (entity.empty()) entity = options.default_entity;
  if (entity.empty()) entity = OsUserName();
  if (entity.empty()) entity = "local";
  result.key =
      store::RunKey{entity, run.project().empty() ? "uncategorized" : run.project(), run.run_id()};
  result.history_rows = facts->history_rows;

  // A daemon streaming this run holds its lock; holding it ourselves also keeps a daemon's
  // orphan recovery away from the run while we bring it up to date.
  absl::StatusOr<std::optional<FileLock>> lock =
      LockEndedRun(result.run_dir, facts->exit_code.has_value(), result.key.ToString());
  if (!lock.ok()) return lock.status();

  absl::StatusOr<store::RunRow> stored = store->runs().Get(result.key);
  if (stored.ok()) {
    if (stored->state != store::RunState::kRunning && SamePath(stored->run_dir, result.run_dir) &&
        stored->log_offset == facts->end_offset) {
      result.outcome = RunSyncOutcome::kAlreadySynced;
      result.exit_code = stored->exit_code.value_or(kCrashedExitCode);
      result.state = stored->state;
      result.runtime = stored->runtime;
      result.log_has_exit = facts->exit_code.has_value();
      return result;
    }
    if (stored->state == store::RunState::kRunning && !stored->run_dir.empty() &&
        !SamePath(stored->run_dir, result.run_dir) && HeldByADaemon(stored->run_dir)) {
      return absl::FailedPreconditionError(
          absl::StrCat("run ", result.key.ToString(), " is live in ", stored->run_dir, "; sync ",
                       result.run_dir, " once that run has ended"));
    }
    if (stored->state != store::RunState::kRunning && !SamePath(stored->run_dir, result.run_dir) &&
        stored->last_step.has_value() && run.starting_step() <= *stored->last_step) {
      return SyncEarlierPart(store, *stored, *facts, std::move(result));
    }
  } else if (!absl::IsNotFound(stored.status())) {
    return stored.status();
  }

  // The whole log, from the start, as orphan recovery replays it: rows already stored are
  // skipped, and config and summary are rebuilt whole.
  LocalBackend backend(store, result.key, result.run_dir);
  std::vector<records::FilesRecord> saves;
  LogReplayer replayer(result.log_path, result.run_dir, &backend,
                       [&saves](const records::FilesRecord& files) { saves.push_back(files); });
  absl::Status replayed = replayer.CatchUp();
  if (replayed.ok()) replayed = replayer.SendSummary();
  if (!replayed.ok()) {
    return absl::Status(replayed.code(),
                        absl::StrCat("cannot replay ", result.log_path, " into the local store ",
                                     store->dir(), ": ", replayed.message()));
  }
  WarnOfCorruption(replayer, &result);
  if (facts->truncated) {
    result.warnings.push_back(absl::StrCat("the log's last record is incomplete (cut short); ",
                                           "synced the records before byte ", facts->end_offset));
  }

  if (absl::Status s = StoreFiles(result.run_dir + "/files", saves, backend, store->dir(), &result);
      !s.ok()) {
    return s;
  }

  result.log_has_exit = replayer.exit_code().has_value();
  // Whether a stop was requested is the store's flag (a run `wandb-cpp stop` asked to end);
  // an exit code of 255 alone is a program's own.
  RunEnd end = DecideRunEnd(replayer.exit_code(), backend.StopRequested().value_or(false));
  result.exit_code = end.exit_code;
  if (!result.log_has_exit) {
    result.warnings.push_back(absl::StrCat(
        "the log ends before the run's exit (its process or daemon died, or the copy is "
        "incomplete): recorded as ",
        end.outcome == RunOutcome::kStopped ? "stopped" : "crashed", " with exit code ",
        end.exit_code));
  }
  result.state = StoreRunState(end.outcome);
  double last_runtime = 0;
  if (replayer.exit_runtime().has_value()) {
    result.runtime = absl::Seconds(*replayer.exit_runtime());
  } else if (absl::SimpleAtod(facts->last_runtime_json, &last_runtime) && last_runtime >= 0) {
    result.runtime = absl::Seconds(last_runtime);
  }
  if (absl::Status s = backend.FinishRun(end, result.runtime); !s.ok()) {
    return s;
  }
  return result;
}

}  // namespace wandb::service
