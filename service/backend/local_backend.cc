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
  absl::StatusOr<store::UpsertOutcome> outcome = store_->runs().Upsert(row);
  if (!outcome.ok()) return outcome.status();
  run_dir_ = std::string(run_dir);
  return store_->runs().SetLogPosition(run_, run_dir_, 0);
}

absl::Status LocalBackend::ReplaceConfig(absl::string_view config_json) {
  return store_->runs().ReplaceConfig(run_, config_json);
}

absl::Status LocalBackend::ReplaceSummary(absl::string_view summary_json) {
  return store_->runs().ReplaceSummary(run_, summary_json);
}

absl::Status LocalBackend::AppendHistory(absl::Span<const store::HistoryRow> rows) {
  return store_->series().AppendHistory(run_, rows).status();
}

absl::Status LocalBackend::AppendSystemMetrics(absl::Span<const store::SystemMetricsRow> rows) {
  return store_->series().AppendSystemMetrics(run_, rows).status();
}

absl::Status LocalBackend::AppendConsole(absl::Span<const store::ConsoleLine> lines) {
  return store_->series().AppendConsole(run_, lines).status();
}

absl::Status LocalBackend::SetLogOffset(uint64_t offset) {
  return store_->runs().SetLogPosition(run_, run_dir_, offset);
}

absl::StatusOr<FileUploadResult> LocalBackend::UploadFile(const FileUpload& file) {
  absl::StatusOr<store::PutFileResult> put =
      store_->files().Put(run_, file.name, file.source_path, files::PolicyFromProto(file.policy));
  if (!put.ok()) return put.status();
  return FileUploadResult{put->size, put->unchanged};
}

absl::StatusOr<ArtifactLogged> LocalBackend::LogArtifact(const records::ArtifactRecord& artifact) {
  absl::StatusOr<store::ArtifactCommit> commit = store_->artifacts().Commit(run_, artifact);
  if (!commit.ok()) return commit.status();
  return ArtifactLogged{commit->version.VersionName(), commit->version.digest};
}

absl::StatusOr<bool> LocalBackend::StopRequested() { return store_->runs().StopRequested(run_); }

absl::Status LocalBackend::FinishRun(const RunEnd& end, absl::Duration runtime) {
  return store_->runs().Finish(run_, end.exit_code, StoreRunState(end.outcome), runtime);
}

}  // namespace wandb::service
