#include "service/recovery/reattach.h"

#include <unistd.h>

#include <filesystem>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "common/ipc/history_wire.h"
#include "common/txlog/log_reader.h"
#include "common/value/json.h"
#include "service/replay/log_replayer.h"

namespace wandb::service {
namespace {
namespace fs = std::filesystem;

// Keeps what a replay of the log up to the cut gives a backend.
class ReplayState final : public DiscardingBackend {
 public:
  absl::Status UpsertRun(const records::RunRecord& run, absl::string_view) override {
    if (!run_.has_value()) run_ = run;
    return absl::OkStatus();
  }
  absl::Status ReplaceConfig(absl::string_view config_json) override {
    config_json_ = std::string(config_json);
    return absl::OkStatus();
  }
  absl::Status ReplaceSummary(absl::string_view summary_json) override {
    summary_json_ = std::string(summary_json);
    return absl::OkStatus();
  }
  absl::Status AppendHistory(absl::Span<const store::HistoryRow> rows) override {
    for (const store::HistoryRow& row : rows) next_step_ = std::max(next_step_, row.step + 1);
    rows_ += static_cast<int64_t>(rows.size());
    return absl::OkStatus();
  }

  std::optional<records::RunRecord> run_;
  std::string config_json_ = "{}";
  std::string summary_json_ = "{}";
  int64_t next_step_ = 0;
  int64_t rows_ = 0;
};

// The directory must be one of this run's under the request's root: a client names it, and
// the daemon cuts files in it.
absl::Status CheckRunDir(const StartRunRequest& request) {
  const std::string& id = request.run().run_id();
  fs::path dir = fs::path(request.reattach_run_dir()).lexically_normal();
  fs::path root = fs::path(request.root_dir()).lexically_normal();
  std::string name = dir.filename().string();
  std::string parent = dir.parent_path().filename().string();
  bool named = (absl::StartsWith(name, "run-") || absl::StartsWith(name, "offline-run-")) &&
               absl::EndsWith(name, "-" + id);
  if (!dir.is_absolute() || !named || (parent != "wandb" && parent != ".wandb") ||
      dir.parent_path().parent_path() != root) {
    return absl::InvalidArgumentError(absl::StrCat("'", request.reattach_run_dir(),
                                                   "' is not a run directory of run ", id,
                                                   " under ", request.root_dir()));
  }
  return absl::OkStatus();
}

// FailedPrecondition when the log holds an exit record after `offset`.
absl::Status CheckNoExit(const std::string& log_path, uint64_t offset, const std::string& id) {
  absl::StatusOr<std::unique_ptr<txlog::LogReader>> reader =
      txlog::LogReader::Open(log_path, offset);
  if (!reader.ok()) return reader.status();
  std::string bytes;
  records::Record record;
  while ((*reader)->Next(&bytes)) {
    if (record.ParseFromString(bytes) && record.has_exit()) {
      return absl::FailedPreconditionError(
          absl::StrCat("run ", id, " has finished (its log records exit code ",
                       record.exit().exit_code(), "); it cannot be re-attached"));
    }
  }
  return absl::OkStatus();
}

// FailedPrecondition when the local store has the run finished.
absl::Status CheckStillRunning(const StartRunRequest& request, BackendFactory& backends) {
  if (!UsesLocalStore(request.mode())) return absl::OkStatus();
  absl::StatusOr<std::shared_ptr<store::LocalStore>> store = backends.Store(request.store_dir());
  if (!store.ok()) return store.status();
  absl::StatusOr<store::RunRow> row = (*store)->runs().Get(RunKeyOf(request));
  if (absl::IsNotFound(row.status())) return absl::OkStatus();  // not sent to the store yet
  if (!row.ok()) return row.status();
  if (row->state == store::RunState::kRunning) return absl::OkStatus();
  return absl::FailedPreconditionError(absl::StrCat(
      "run ", request.run().run_id(), " was completed as ", store::RunStateName(row->state),
      " in the local store while it had no daemon; it cannot be re-attached"));
}

// The sampled history of the rows in the log, and the union of its telemetry.
absl::Status SampleRows(const std::string& log_path, SampledHistory* sampled,
                        records::TelemetryRecord* telemetry) {
  absl::StatusOr<std::unique_ptr<txlog::LogReader>> reader = txlog::LogReader::Open(log_path);
  if (!reader.ok()) return reader.status();
  std::string record;
  history_wire::PartialHistoryView row;
  records::Record message;
  while ((*reader)->Next(&record)) {
    absl::StatusOr<bool> is_history = history_wire::ReadHistory(record, &row);
    if (!is_history.ok()) return is_history.status();
    if (*is_history) {
      sampled->AddRow(row.items);
    } else if (message.ParseFromString(record) && message.has_telemetry()) {
      telemetry->MergeFrom(message.telemetry());
    }
  }
  return (*reader)->status();
}

absl::Status ToItems(const std::string& json_text, auto* items) {
  absl::StatusOr<Value> value = json::Parse(json_text);
  if (!value.ok() || !value->is_map()) return absl::DataLossError("not a JSON object");
  for (const auto& [key, v] : value->as_map()) {
    auto* item = items->Add();
    item->set_key(key);
    item->set_value_json(json::Encode(v));
  }
  return absl::OkStatus();
}

}  // namespace

std::string LogCutPath(const RunDirectory& dir) { return dir.logs_dir + "/log-cut"; }

absl::StatusOr<ReattachPoint> PrepareReattach(const StartRunRequest& request,
                                              BackendFactory& backends) {
  if (absl::Status s = CheckRunDir(request); !s.ok()) return s;
  const std::string& id = request.run().run_id();
  RunDirectory dir =
      RunDirectory::At(fs::path(request.reattach_run_dir()).lexically_normal().string(), id);
  absl::StatusOr<FileLock> lock = FileLock::TryAcquire(dir.lock_path);
  if (!lock.ok()) {
    return absl::UnavailableError(
        absl::StrCat("run ", id, " is being written by another daemon: ", lock.status().message()));
  }
  absl::StatusOr<std::optional<LogCut>> cut = LogCutFile::Read(LogCutPath(dir));
  if (!cut.ok()) return cut.status();
  if (!cut->has_value()) {
    return absl::FailedPreconditionError(
        absl::StrCat("run ", id, " has no cut point in ", LogCutPath(dir),
                     " (written by an older wandb-service?); it cannot be re-attached"));
  }
  if (absl::Status s = CheckNoExit(dir.log_path, (*cut)->offset, id); !s.ok()) return s;
  if (absl::Status s = CheckStillRunning(request, backends); !s.ok()) return s;

  // Past the cut lie rows of calls the client sends again, and maybe half a record.
  if (truncate(dir.log_path.c_str(), static_cast<off_t>((*cut)->offset)) != 0) {
    return absl::ErrnoToStatus(errno, absl::StrCat("cannot cut back ", dir.log_path));
  }
  ReplayState state;
  LogReplayer replayer(dir.log_path, dir.run_dir, &state, /*on_files=*/nullptr);
  absl::Status replayed = replayer.CatchUp();
  if (replayed.ok()) replayed = replayer.SendSummary();
  if (replayed.ok() && !state.run_.has_value()) {
    replayed = absl::DataLossError("the log has no run record");
  }
  SampledHistory sampled;
  records::TelemetryRecord telemetry;
  if (replayed.ok()) replayed = SampleRows(dir.log_path, &sampled, &telemetry);
  ReattachPoint point{.dir = dir,
                      .lock = *std::move(lock),
                      .run = {},
                      .rows = state.rows_,
                      .sampled = std::move(sampled),
                      .cut = **cut};
  if (replayed.ok()) {
    point.run = *std::move(state.run_);
    point.run.set_starting_step(std::max(point.run.starting_step(), state.next_step_));
    // What the run used so far goes on; and it has now been re-attached (wandb's `attach`).
    point.run.mutable_telemetry()->MergeFrom(telemetry);
    point.run.mutable_telemetry()->mutable_feature()->set_attach(true);
    point.run.clear_config();
    point.run.clear_summary();
    replayed = ToItems(state.config_json_, point.run.mutable_config()->mutable_update());
    if (replayed.ok()) {
      replayed = ToItems(state.summary_json_, point.run.mutable_summary()->mutable_update());
    }
  }
  if (!replayed.ok()) {
    return absl::DataLossError(
        absl::StrCat("cannot re-attach run ", id, ": ", dir.log_path, ": ", replayed.message()));
  }
  return point;
}

}  // namespace wandb::service
