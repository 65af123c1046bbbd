#include "service/replay/log_replayer.h"

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "common/value/json.h"

namespace wandb::service {
namespace {

// A row's items as the JSON object a backend stores: {"key": value, ...}.
void RowJson(const history_wire::PartialHistoryView& row, std::string* out) {
  out->clear();
  out->push_back('{');
  for (size_t i = 0; i < row.items.size(); ++i) {
    if (i > 0) out->append(", ");
    json::AppendQuoted(row.items[i].key, out);
    out->append(": ");
    out->append(row.items[i].value_json.data(), row.items[i].value_json.size());
  }
  out->push_back('}');
}

// `key: value` appended to a row's JSON object, with nested objects flattened into dotted
// keys, as wandb's events stream names them: {"network": {"sent": 1}} -> "network.sent": 1.
void AppendFlattened(const std::string& key, const Value& value, std::string* out) {
  if (value.is_map() && !value.as_map().empty()) {
    for (const auto& [sub_key, sub_value] : value.as_map()) {
      AppendFlattened(absl::StrCat(key, ".", sub_key), sub_value, out);
    }
    return;
  }
  if (out->back() != '{') out->append(", ");
  json::AppendQuoted(key, out);
  out->append(": ");
  json::AppendEncoded(value, out);
}

}  // namespace

LogReplayer::LogReplayer(std::string log_path, std::string run_dir, Backend* backend,
                         FilesFn on_files)
    : log_path_(std::move(log_path)),
      run_dir_(std::move(run_dir)),
      backend_(backend),
      on_files_(std::move(on_files)) {}

absl::StatusOr<bool> LogReplayer::CatchUpUntil(absl::Time until) {
  if (reader_ == nullptr) {
    absl::StatusOr<std::unique_ptr<txlog::LogReader>> reader =
        txlog::LogReader::Open(log_path_, offset_, &corruption_);
    if (!reader.ok()) return reader.status();
    reader_ = *std::move(reader);
  }
  std::string record;
  absl::Status status;
  bool at_end = true;
  while (status.ok() && reader_->Next(&record)) {
    status = Apply(record);
    // In slices, so a long backlog (a replay after a crash) never sits in memory whole.
    if (status.ok() && (rows_used_ >= kRowsPerSend || console_.size() >= kRowsPerSend)) {
      status = Commit(reader_->good_offset());
      if (status.ok() && absl::Now() >= until) {
        // The next call opens a new reader at offset_ (just committed): this one's block may
        // be one the writer was still filling when it was read, and its end, read again,
        // would look like the log's end (a finish would then stop short of it).
        reader_.reset();
        at_end = false;
        break;
      }
    }
  }
  if (!at_end) return false;
  // A record cut off at the end is one the writer is still writing: the next call reads it.
  if (status.ok() && !reader_->status().ok() && !reader_->truncated()) status = reader_->status();
  if (status.ok()) status = Commit(reader_->good_offset());
  if (!status.ok()) reader_.reset();  // what was read and not sent is read again from offset_
  rows_used_ = 0;
  stats_.clear();
  console_.clear();
  if (!status.ok()) return status;
  return at_end;
}

absl::Status LogReplayer::Commit(uint64_t offset) {
  absl::Status status = SendHistory();
  if (status.ok() && !stats_.empty()) {
    status = backend_->AppendSystemMetrics(stats_);
    if (status.ok()) stats_.clear();
  }
  if (status.ok() && config_dirty_) {
    status = backend_->ReplaceConfig(json::Encode(config_.values()));
    if (status.ok()) config_dirty_ = false;
  }
  if (status.ok() && !console_.empty()) {
    status = backend_->AppendConsole(console_);
    if (status.ok()) console_.clear();
  }
  // The log's position is recorded only once what comes before it is sent.
  if (status.ok() && offset != offset_) {
    status = backend_->SetLogOffset(offset);
    if (status.ok()) offset_ = offset;
  }
  return status;
}

absl::Status LogReplayer::SendSummary() {
  if (!summary_dirty_) return absl::OkStatus();
  // A backend that failed gets it again next time.
  absl::Status status = backend_->ReplaceSummary(summary_.ToJson());
  if (status.ok()) summary_dirty_ = false;
  return status;
}

absl::Status LogReplayer::Apply(const std::string& record) {
  // History, nearly every record, is read in place; the others are parsed.
  absl::StatusOr<bool> is_history = history_wire::ReadHistory(record, &view_);
  if (!is_history.ok()) return is_history.status();
  if (*is_history) {
    AddHistoryRow(view_);
    return absl::OkStatus();
  }
  records::Record message;
  if (!message.ParseFromString(record)) {
    return absl::DataLossError(absl::StrCat(log_path_, ": a record does not parse"));
  }
  return ApplyMessage(message);
}

absl::Status LogReplayer::ApplyMessage(const records::Record& record) {
  switch (record.record_type_case()) {
    case records::Record::kRun:
      // The run's initial config (and a resumed run's summary) travel in its RunRecord.
      if (absl::Status s = config_.Apply(record.run().config()); !s.ok()) return s;
      if (absl::Status s = summary_.Apply(record.run().summary()); !s.ok()) return s;
      config_dirty_ = true;
      summary_dirty_ = true;
      if (absl::Status s = backend_->UpsertRun(record.run(), run_dir_); !s.ok()) return s;
      if (on_run_stored_) on_run_stored_();
      return absl::OkStatus();
    case records::Record::kConfig:
      if (absl::Status s = config_.Apply(record.config()); !s.ok()) return s;
      config_dirty_ = true;
      return absl::OkStatus();
    case records::Record::kSummary:
      summary_dirty_ = true;
      return summary_.Apply(record.summary());
    case records::Record::kFiles:
      if (on_files_) on_files_(record.files());
      return absl::OkStatus();
    case records::Record::kStats:
      AddStatsRow(record.stats());
      return absl::OkStatus();
    case records::Record::kOutput:
      AddConsoleLine(record.output());
      return absl::OkStatus();
    case records::Record::kArtifact:
      return LogArtifact(record.artifact());
    case records::Record::kExit:
      exit_code_ = record.exit().exit_code();
      exit_runtime_ = record.exit().runtime();
      return absl::OkStatus();
    default:
      return absl::OkStatus();
  }
}

void LogReplayer::AddHistoryRow(const history_wire::PartialHistoryView& row) {
  if (rows_used_ == rows_.size()) rows_.emplace_back();
  store::HistoryRow& out = rows_[rows_used_++];
  out.step = row.step.value_or(0);
  RowJson(row, &out.row_json);
  summary_.SetRow(row.items);
  summary_dirty_ = true;
}

void LogReplayer::AddStatsRow(const records::StatsRecord& stats) {
  store::SystemMetricsRow row;
  row.timestamp = absl::FromUnixSeconds(stats.timestamp().seconds()) +
                  absl::Nanoseconds(stats.timestamp().nanos());
  row.row_json.push_back('{');
  for (const records::StatsItem& item : stats.item()) {
    // wandb names system metrics "system.<key>" wherever it shows them.
    std::string key = absl::StrCat("system.", item.key());
    if (absl::StartsWith(item.value_json(), "{")) {
      if (absl::StatusOr<Value> value = json::Parse(item.value_json()); value.ok()) {
        AppendFlattened(key, *value, &row.row_json);
        continue;
      }
    }
    if (row.row_json.back() != '{') row.row_json.append(", ");
    json::AppendQuoted(key, &row.row_json);
    row.row_json.append(": ");
    row.row_json.append(item.value_json());
  }
  row.row_json.push_back('}');
  stats_.push_back(std::move(row));
}

void LogReplayer::AddConsoleLine(const records::OutputRecord& output) {
  store::ConsoleLine line;
  line.is_stderr = output.output_type() == records::OutputRecord::STDERR;
  line.timestamp = absl::FromUnixSeconds(output.timestamp().seconds()) +
                   absl::Nanoseconds(output.timestamp().nanos());
  line.line = output.line();
  if (!line.line.empty() && line.line.back() == '\n') line.line.pop_back();
  console_.push_back(std::move(line));
}

absl::Status LogReplayer::LogArtifact(const records::ArtifactRecord& artifact) {
  absl::StatusOr<ArtifactLogged> logged = backend_->LogArtifact(artifact);
  // A passing failure stops the replay here: the next call tries the artifact again.
  if (!logged.ok() && !IsPermanentArtifactError(logged.status())) return logged.status();
  if (on_artifact_) on_artifact_(artifact.client_id(), logged);
  return absl::OkStatus();
}

absl::Status LogReplayer::SendHistory() {
  if (rows_used_ == 0) return absl::OkStatus();
  absl::Status s = backend_->AppendHistory(absl::MakeConstSpan(rows_.data(), rows_used_));
  if (s.ok()) rows_used_ = 0;
  return s;
}

}  // namespace wandb::service
