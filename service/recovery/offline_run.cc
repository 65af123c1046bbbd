#include "service/recovery/offline_run.h"

#include <filesystem>
#include <vector>

#include "absl/strings/str_cat.h"
#include "common/ipc/history_wire.h"
#include "common/run/run_id.h"
#include "common/txlog/log_reader.h"

namespace wandb::service {
namespace {
namespace fs = std::filesystem;

// How long a daemon may hold the run directory of a run whose log is complete: it releases
// a finished stream on its next supervision round.
constexpr absl::Duration kFinishedRunRelease = absl::Seconds(5);

}  // namespace

absl::StatusOr<std::string> FindRunLog(const std::string& dir) {
  std::vector<std::string> logs;
  std::error_code ec;
  for (fs::directory_iterator it(dir, ec), end; !ec && it != end; it.increment(ec)) {
    std::string name = it->path().filename();
    std::error_code type_ec;
    if (name.starts_with("run-") && name.ends_with(".wandb") && it->is_regular_file(type_ec)) {
      logs.push_back(it->path());
    }
  }
  if (ec)
    return absl::NotFoundError(absl::StrCat("cannot read directory ", dir, ": ", ec.message()));
  if (logs.empty()) {
    return absl::NotFoundError(
        absl::StrCat(dir, " is not a run directory: it holds no run-<id>.wandb"));
  }
  if (logs.size() > 1) {
    return absl::InvalidArgumentError(
        absl::StrCat(dir, " holds ", logs.size(), " transaction logs (run-*.wandb); expected one"));
  }
  return logs.front();
}

bool IsRunDirectory(const std::string& dir) { return FindRunLog(dir).ok(); }

absl::StatusOr<RunDirectoryPaths> OpenRunDirectory(const std::string& dir) {
  std::error_code ec;
  fs::path canonical = fs::canonical(dir, ec);
  if (ec) return absl::NotFoundError(absl::StrCat("cannot open ", dir, ": ", ec.message()));
  if (!fs::is_directory(canonical, ec)) {
    return absl::InvalidArgumentError(absl::StrCat(dir, " is not a directory"));
  }
  RunDirectoryPaths paths;
  paths.run_dir = canonical.string();
  absl::StatusOr<std::string> log_path = FindRunLog(paths.run_dir);
  if (!log_path.ok()) return log_path.status();
  paths.log_path = *std::move(log_path);
  return paths;
}

absl::StatusOr<LogFacts> ReadRunFacts(const std::string& log_path) {
  absl::StatusOr<LogFacts> facts = ReadLogFacts(log_path);
  if (!facts.ok()) {
    return absl::Status(facts.status().code(),
                        absl::StrCat("cannot read ", log_path, ": ", facts.status().message()));
  }
  if (!facts->run.has_value()) {
    return absl::FailedPreconditionError(
        absl::StrCat(log_path, " has no run record (it ends before the run started)"));
  }
  if (absl::Status s = ValidateRunId(facts->run->run_id()); !s.ok()) {
    return absl::FailedPreconditionError(
        absl::StrCat(log_path, ": bad run id in its run record: ", s.message()));
  }
  return facts;
}

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
  if (!fs::is_directory(run_dir + "/logs", ec)) return std::nullopt;
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
