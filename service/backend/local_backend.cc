#include "service/backend/local_backend.h"

#include "service/files/save_policies.h"

namespace wandb::service {
namespace {

absl::Time StartTime(const records::RunRecord& run) {
  return absl::FromUnixSeconds(run.start_time().seconds()) +
         absl::Nanoseconds(run.start_time().nanos());
}

}  // namespace

store::RunState StoreRunState(RunOutcome outcome) {
  switch (outcome) {
    case RunOutcome::kFinished:
      return store::RunState::kFinished;
    case RunOutcome::kStopped:
      return store::RunState::kStopped;
    case RunOutcome::kCrashed:
      break;
  }
  return store::RunState::kCrashed;
}

absl::Status LocalBackend::UpsertRun(const records::RunRecord& run, absl::string_view run_dir) {
  store::RunRow row;
  row.key = run_;
  row.name = run.display_name();
  row.notes = run.notes();
  row.group = run.run_group();
  row.job_type = run.job_type();
  row.tags.assign(run.tags().begin(), run.tags().end());
  row.start_time = StartTime(run);
  row.host = run.host();
  absl::StatusOr<store::UpsertOutcome> outcome = store_->UpsertRun(row);
  if (!outcome.ok()) return outcome.status();
  run_dir_ = std::string(run_dir);
  return store_->SetLogPosition(run_, run_dir_, 0);
}

absl::Status LocalBackend::UpdateConfig(absl::string_view config_json) {
  return store_->UpdateConfig(run_, config_json);
}

absl::Status LocalBackend::SetSummary(absl::string_view summary_json) {
  return store_->SetSummary(run_, summary_json);
}

absl::Status LocalBackend::AppendHistory(absl::Span<const BackendHistoryRow> rows) {
  rows_.resize(rows.size());
  for (size_t i = 0; i < rows.size(); ++i) {
    rows_[i].step = rows[i].step;
    rows_[i].row_json.assign(rows[i].row_json);
  }
  return store_->AppendHistory(run_, rows_).status();
}

absl::Status LocalBackend::AppendSystemMetrics(absl::Span<const BackendStatsRow> rows) {
  std::vector<store::SystemMetricsRow> stored;
  stored.reserve(rows.size());
  for (const BackendStatsRow& row : rows) stored.push_back({row.timestamp, row.row_json});
  return store_->AppendSystemMetrics(run_, stored).status();
}

absl::Status LocalBackend::AppendConsole(absl::Span<const BackendConsoleLine> lines) {
  std::vector<store::ConsoleLine> stored;
  stored.reserve(lines.size());
  for (const BackendConsoleLine& line : lines) {
    stored.push_back({line.timestamp, line.is_stderr, line.line});
  }
  return store_->AppendConsole(run_, stored).status();
}

absl::Status LocalBackend::SetLogOffset(uint64_t offset) {
  return store_->SetLogPosition(run_, run_dir_, offset);
}

absl::StatusOr<FileUploadResult> LocalBackend::UploadFile(const FileUpload& file) {
  absl::StatusOr<store::PutFileResult> put =
      store_->PutFile(run_, file.name, file.source_path, files::PolicyFromProto(file.policy));
  if (!put.ok()) return put.status();
  return FileUploadResult{put->size, put->unchanged};
}

absl::StatusOr<bool> LocalBackend::StopRequested() { return store_->StopRequested(run_); }

absl::Status LocalBackend::FinishRun(const RunEnd& end, absl::Duration runtime) {
  return store_->FinishRun(run_, end.exit_code, StoreRunState(end.outcome), runtime);
}

}  // namespace wandb::service
