#include "service/recovery/offline_run.h"

#include <filesystem>

#include "absl/strings/str_cat.h"
#include "common/ipc/history_wire.h"
#include "common/txlog/log_reader.h"

namespace wandb::service {
namespace {

// How long a daemon may hold the run directory of a run whose log is complete: it releases
// a finished stream on its next supervision round.
constexpr absl::Duration kFinishedRunRelease = absl::Seconds(5);

}  // namespace

absl::StatusOr<LogFacts> ReadLogFacts(const std::string& log_path) {
  absl::StatusOr<std::unique_ptr<txlog::LogReader>> reader = txlog::LogReader::Open(log_path);
  if (!reader.ok()) return reader.status();
  LogFacts facts;
  std::string record;
  history_wire::PartialHistoryView row;
  while ((*reader)->Next(&record)) {
    // History, nearly every record, is read in place; only the others are parsed.
    absl::StatusOr<bool> is_history = history_wire::ReadHistory(record, &row);
    if (!is_history.ok()) return is_history.status();
    if (*is_history) {
      ++facts.history_rows;
      for (const history_wire::ItemView& item : row.items) {
        if (item.key == "_runtime") {
          facts.last_runtime_json.assign(item.value_json.data(), item.value_json.size());
        }
      }
      continue;
    }
    records::Record message;
    if (!message.ParseFromString(record)) {
      return absl::DataLossError(absl::StrCat(log_path, ": a record does not parse"));
    }
    if (message.has_run() && !facts.run.has_value()) facts.run = message.run();
    if (message.has_exit()) facts.exit_code = message.exit().exit_code();
  }
  if (!(*reader)->status().ok()) {
    if (!(*reader)->truncated()) return (*reader)->status();
    facts.truncated = true;
  }
  facts.end_offset = (*reader)->good_offset();
  return facts;
}

absl::StatusOr<std::optional<FileLock>> LockEndedRun(const std::string& run_dir, bool log_has_exit,
                                                     const std::string& run_name) {
  std::error_code ec;
  if (!std::filesystem::is_directory(run_dir + "/logs", ec)) return std::nullopt;
  const std::string lock_path = run_dir + "/logs/run.lock";
  absl::StatusOr<FileLock> taken = log_has_exit ? FileLock::Acquire(lock_path, kFinishedRunRelease)
                                                : FileLock::TryAcquire(lock_path);
  if (absl::IsUnavailable(taken.status())) {
    return absl::FailedPreconditionError(absl::StrCat("run ", run_name,
                                                      " is live: a wandb-service is writing ",
                                                      run_dir, "; sync it once the run has ended"));
  }
  if (!taken.ok()) return std::nullopt;  // as before: a lock that cannot be made is not a daemon's
  return std::optional<FileLock>(*std::move(taken));
}

}  // namespace wandb::service
