#include "service/recovery/orphan_recovery.h"

#include <signal.h>

#include <cerrno>
#include <filesystem>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/time/clock.h"
#include "common/ipc/file_lock.h"
#include "common/util/process_start.h"
#include "common/util/read_file.h"
#include "common/value/json.h"
#include "nlohmann/json.hpp"
#include "service/backend/local_backend.h"
#include "service/recovery/store_run_files.h"
#include "service/replay/log_replayer.h"

namespace wandb::service {
namespace {

absl::Status Recover(const std::shared_ptr<store::LocalStore>& store, const store::RunRow& run) {
  LocalBackend backend(store, run.key, run.run_dir);
  // The whole log, from the start: rows already stored are skipped, and config and summary
  // are rebuilt whole rather than patched from the middle.
  std::vector<records::FilesRecord> saves;
  LogReplayer replayer(absl::StrCat(run.run_dir, "/run-", run.key.id, ".wandb"), run.run_dir,
                       &backend,
                       [&saves](const records::FilesRecord& files) { saves.push_back(files); });
  absl::Status replayed = replayer.CatchUp();
  if (replayed.ok()) replayed = replayer.SendSummary();
  // The intact records around a corrupt block are stored; the loss is still reported.
  if (replayed.ok() && !replayer.corruption().empty()) {
    replayed = absl::DataLossError(replayer.corruption().Summary());
  }
  // Every file the log's save() calls and files/ name, as the run's finish would have stored
  // them: the dead daemon may have stored some, or none.
  StoredRunFiles files = StoreRunFiles(run.run_dir + "/files", saves, backend);
  if (replayed.ok() && files.failed > 0) {
    replayed = absl::DataLossError(absl::StrJoin(files.warnings, "; "));
  }
  // A stop requested before the daemon died still says how the run ended.
  RunEnd end = DecideRunEnd(replayer.exit_code(), backend.StopRequested().value_or(false));
  absl::Duration runtime = replayer.exit_runtime().has_value()
                               ? absl::Seconds(*replayer.exit_runtime())
                               : run.heartbeat_time - run.start_time;
  // Finished even when the log could not be read whole: the run is over either way.
  absl::Status finished = backend.FinishRun(end, runtime);
  return replayed.ok() ? finished : replayed;
}

// Whether the training process that started the run (the pid in its wandb-metadata.json)
// is alive: it re-attaches the run to a new daemon itself. Its start time tells it from
// another process under the same pid: a recycled pid, or the pid of another namespace (a
// container's training process is often pid 1 there, and pid 1 here is always alive).
bool ClientAlive(const std::string& run_dir) {
  absl::StatusOr<std::string> text = ReadFileToString(run_dir + "/files/wandb-metadata.json");
  // nlohmann-json recurses a level per bracket: a file edited to nest deeply is refused first.
  if (!text.ok() || !json::CheckNesting(*text).ok()) return false;
  nlohmann::json meta = nlohmann::json::parse(*text, nullptr, /*allow_exceptions=*/false);
  if (!meta.is_object() || !meta.contains("pid") || !meta["pid"].is_number_integer()) {
    return false;
  }
  int64_t pid = meta["pid"].get<int64_t>();
  if (meta.contains("processStartedAt") && meta["processStartedAt"].is_string()) {
    absl::Time started;
    std::string error;
    if (absl::ParseTime("%Y-%m-%dT%H:%M:%E*S", meta["processStartedAt"].get<std::string>(),
                        absl::UTCTimeZone(), &started, &error)) {
      // Cannot tell (out of descriptors): alive, so the run is looked at again later.
      return IsSameProcess(pid, absl::ToUnixMillis(started)).value_or(true);
    }
  }
  // An older run, without the start time: the pid alone.
  return pid > 0 && (kill(static_cast<pid_t>(pid), 0) == 0 || errno == EPERM);
}

enum class Outcome { kCompleted, kSkipped, kClientAlive };

Outcome TryRecover(const std::shared_ptr<store::LocalStore>& store, const store::RunRow& run,
                   Logger* log) {
  absl::Status s;
  if (std::error_code ec; !std::filesystem::is_directory(run.run_dir, ec)) {
    // Its directory was deleted: nothing to replay, but the run is over.
    LocalBackend backend(store, run.key, run.run_dir);
    s = backend.FinishRun(DecideRunEnd(std::nullopt, backend.StopRequested().value_or(false)),
                          run.heartbeat_time - run.start_time);
  } else {
    absl::StatusOr<FileLock> lock = FileLock::TryAcquire(run.run_dir + "/logs/run.lock");
    if (!lock.ok()) return Outcome::kSkipped;  // a daemon is writing it
    if (ClientAlive(run.run_dir)) return Outcome::kClientAlive;
    s = Recover(store, run);
  }
  log->Info("recovery: run %s was left running; completed from its log: %s", run.key.ToString(),
            s.ToString());
  return Outcome::kCompleted;
}

}  // namespace

int RecoverOrphanedRuns(const std::shared_ptr<store::LocalStore>& store, Logger* log,
                        const std::atomic<bool>* stop) {
  absl::StatusOr<std::vector<store::RunRow>> runs = store->runs().List();
  if (!runs.ok()) {
    log->Warning("recovery: cannot list the runs of %s: %s", store->dir(),
                 runs.status().ToString());
    return 0;
  }
  int recovered = 0;
  std::vector<store::RunRow> waiting;  // their clients are alive and may re-attach them
  for (const store::RunRow& run : *runs) {
    if (run.state != store::RunState::kRunning || run.run_dir.empty()) continue;
    switch (TryRecover(store, run, log)) {
      case Outcome::kCompleted:
        ++recovered;
        break;
      case Outcome::kClientAlive:
        log->Info(
            "recovery: run %s was left running by a dead daemon; its process is alive and "
            "may re-attach it",
            run.key.ToString());
        waiting.push_back(run);
        break;
      case Outcome::kSkipped:
        break;
    }
  }
  // Looked at again until each is re-attached (its directory locked), finished, or its
  // process gone: then it is completed here.
  while (!waiting.empty() && stop != nullptr && !stop->load()) {
    absl::SleepFor(kClientPollInterval);
    std::erase_if(waiting, [&](const store::RunRow& run) {
      absl::StatusOr<store::RunRow> now = store->runs().Get(run.key);
      if (!now.ok() || now->state != store::RunState::kRunning) return true;
      Outcome outcome = TryRecover(store, *now, log);
      recovered += outcome == Outcome::kCompleted;
      return outcome != Outcome::kClientAlive;
    });
  }
  return recovered;
}

OrphanRecovery::~OrphanRecovery() {
  stopping_.store(true);
  absl::MutexLock lock(&mu_);
  for (std::thread& t : threads_) t.join();
}

void OrphanRecovery::Start(std::shared_ptr<store::LocalStore> store) {
  absl::MutexLock lock(&mu_);
  threads_.emplace_back(
      [this, store = std::move(store)] { RecoverOrphanedRuns(store, log_, &stopping_); });
}

}  // namespace wandb::service
