#include "service/backend/wandb_backend.h"

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "common/artifact/artifact_record.h"
#include "common/artifact/md5.h"

namespace wandb::service {
namespace {

constexpr absl::string_view kHistoryFile = "wandb-history.jsonl";
constexpr absl::string_view kEventsFile = "wandb-events.jsonl";
constexpr absl::string_view kSummaryFile = "wandb-summary.json";
constexpr absl::string_view kConsoleFile = "output.log";

absl::Duration MinWait(const OnlineOptions& options) {
  return options.retry_wait_min_ms() > 0 ? absl::Milliseconds(options.retry_wait_min_ms())
                                         : RetryBackoff::kDefaultMin;
}

// wandb's events line: the sample's items, then its bookkeeping keys.
std::string EventsLine(const store::SystemMetricsRow& row, absl::Time start) {
  std::string line = row.row_json;
  if (!line.empty() && line.back() == '}') line.pop_back();
  absl::StrAppend(&line, line.size() > 1 ? ", " : "",
                  "\"_wandb\": true, \"_timestamp\": ", absl::ToUnixSeconds(row.timestamp),
                  ", \"_runtime\": ", absl::ToInt64Seconds(row.timestamp - start), "}");
  return line;
}

// wandb 0.12's output.log line: "ERROR " for stderr, the UTC time, a space, the text.
std::string ConsoleLineText(const store::ConsoleLine& line) {
  return absl::StrCat(line.is_stderr ? "ERROR " : "",
                      absl::FormatTime("%Y-%m-%dT%H:%M:%E6S", line.timestamp, absl::UTCTimeZone()),
                      " ", line.line, "\n");
}

absl::Duration HeartbeatInterval(const OnlineOptions& options) {
  return options.heartbeat_ms() > 0 ? absl::Milliseconds(options.heartbeat_ms())
                                    : WandbBackend::kDefaultHeartbeatInterval;
}

absl::Duration StopPollInterval(const OnlineOptions& options) {
  return options.stop_poll_ms() > 0 ? absl::Milliseconds(options.stop_poll_ms())
                                    : WandbBackend::kDefaultStopPollInterval;
}

}  // namespace

WandbBackend::WandbBackend(const OnlineOptions& options, std::string entity, std::string project)
    : base_url_(options.base_url()),
      api_key_(options.api_key()),
      ca_file_(options.ca_file()),
      api_(base_url_, api_key_, ca_file_),
      backoff_(MinWait(options)),
      stop_poll_interval_(StopPollInterval(options)),
      heartbeat_interval_(HeartbeatInterval(options)) {
  fields_.entity = std::move(entity);
  fields_.project = std::move(project);
}

absl::Status WandbBackend::Gate() {
  if (!dead_.ok()) return absl::OkStatus();
  if (!backoff_.Ready(absl::Now())) return last_error_;
  return absl::OkStatus();
}

absl::Status WandbBackend::Record(absl::Status status) {
  if (status.ok()) {
    backoff_.Succeeded();
    last_error_ = absl::OkStatus();
    return status;
  }
  if (IsRetryable(status)) {
    absl::Duration wait =
        backoff_.Failed(absl::Now(), api_.retry_after(), absl::Uniform(jitter_, 0.0, 1.0));
    last_error_ = absl::Status(
        status.code(),
        absl::StrCat(status.message(), "; retrying in ",
                     absl::FormatDuration(absl::Trunc(wait, absl::Milliseconds(100)))));
    return last_error_;
  }
  {
    absl::MutexLock lock(&files_mu_);
    files_dead_ = true;
  }
  dead_ = absl::Status(status.code(), absl::StrCat(status.message(),
                                                   "; the run is no longer sent to W&B (it stays "
                                                   "in the run directory and the local store)"));
  return dead_;
}

absl::Status WandbBackend::EnsureViewer() {
  if (viewer_known_) return absl::OkStatus();
  absl::StatusOr<Viewer> viewer = api_.QueryViewer();
  if (absl::Status s = Record(viewer.status()); !s.ok()) return s;
  default_entity_ = viewer->entity;
  viewer_known_ = true;
  return absl::OkStatus();
}

absl::Status WandbBackend::UpsertRun(const records::RunRecord& run, absl::string_view run_dir) {
  if (absl::Status s = Gate(); !s.ok() || !dead_.ok()) return s;
  // Read again after a failed pass, or a later update (git's facts): sent once each.
  std::string serialized = run.SerializeAsString();
  if (serialized == last_upsert_) return absl::OkStatus();
  const std::string& run_id = run_id_.empty() ? run.run_id() : run_id_;
  if (progress_path_.empty()) progress_from_file_ = ResumeProgress(run_dir, run_id);
  if (absl::Status s = EnsureViewer(); !s.ok()) return s;
  fields_.name = run_id;
  if (fields_.entity.empty()) fields_.entity = default_entity_;
  fields_.display_name = run.display_name();
  fields_.notes = run.notes();
  fields_.group = run.run_group();
  fields_.job_type = run.job_type();
  fields_.host = run.host();
  fields_.repo = run.git().remote_url();
  fields_.commit = run.git().last_commit();
  fields_.tags.assign(run.tags().begin(), run.tags().end());
  start_time_ = absl::FromUnixSeconds(run.start_time().seconds()) +
                absl::Nanoseconds(run.start_time().nanos());
  // A resumed run's earlier lines are on the server: its lines go on after them. Asked once,
  // before the run is first sent (a daemon that took the run over knows from its file).
  if (run.resumed() && !bucket_.has_value() && !progress_from_file_) {
    if (absl::Status s = ResumeOffsetsFromServer(); !s.ok()) return s;
  }
  absl::StatusOr<Bucket> bucket = api_.UpsertBucket(fields_);
  if (absl::Status s = Record(bucket.status()); !s.ok()) return s;
  bucket_ = *std::move(bucket);
  {
    absl::MutexLock lock(&files_mu_);
    files_target_ = bucket_;
  }
  last_upsert_ = std::move(serialized);
  return absl::OkStatus();
}

bool WandbBackend::ResumeProgress(absl::string_view run_dir, absl::string_view run_id) {
  progress_path_ = UploadProgressPath(std::string(run_dir));
  // Before the viewer query: the entity as configured, the same whenever this run goes to
  // this place.
  acked_.target = absl::StrCat(base_url_, " ", fields_.entity, " ", fields_.project, " ", run_id);
  // A run never sent before has none; an unreadable one only means sending the run again, and
  // one about another server or project is not this upload's.
  absl::StatusOr<UploadProgress> saved = ReadUploadProgress(progress_path_);
  if (!saved.ok() || saved->target != acked_.target) return false;
  acked_ = *saved;
  saved_ = *saved;
  return true;
}

absl::Status WandbBackend::ResumeOffsetsFromServer() {
  absl::StatusOr<std::optional<ResumeOffsets>> offsets = api_.QueryResumeStatus(fields_);
  if (absl::Status s = Record(offsets.status()); !s.ok()) return s;
  if (!offsets->has_value()) return absl::OkStatus();  // not on the server: a new run there
  acked_.history_lines = (*offsets)->history_lines;
  acked_.events_lines = (*offsets)->events_lines;
  acked_.console_lines = (*offsets)->console_lines;
  return absl::OkStatus();
}

absl::Status WandbBackend::SetLogOffset(uint64_t) {
  if (progress_path_.empty() || acked_ == saved_) return absl::OkStatus();
  // A failed write is not the upload's failure: the server has the lines; a later daemon
  // would only send them again.
  if (WriteUploadProgress(progress_path_, acked_).ok()) saved_ = acked_;
  return absl::OkStatus();
}

absl::Status WandbBackend::ReplaceConfig(absl::string_view config_json) {
  if (absl::Status s = Gate(); !s.ok() || !dead_.ok()) return s;
  if (!bucket_.has_value() || config_json == last_config_) return absl::OkStatus();
  absl::StatusOr<std::string> config = WandbConfigJson(config_json);
  if (!config.ok()) return Record(config.status());
  BucketFields update;  // only the run's key and its config: the rest stays as it is
  update.name = bucket_->name;
  update.project = bucket_->project;
  update.entity = bucket_->entity;
  update.config = *std::move(config);
  absl::StatusOr<Bucket> bucket = api_.UpsertBucket(update);
  if (absl::Status s = Record(bucket.status()); !s.ok()) return s;
  last_config_ = std::string(config_json);
  return absl::OkStatus();
}

absl::Status WandbBackend::Post(const std::string& body) {
  absl::StatusOr<FileStreamReply> reply = api_.PostFileStream(*bucket_, body);
  if (reply.ok()) last_post_ = absl::Now();
  if (reply.ok() && reply->stopped) stopped_ = true;
  return Record(reply.status());
}

absl::Status WandbBackend::KeepAlive() {
  if (absl::Status s = Gate(); !s.ok() || !dead_.ok()) return s;
  if (!bucket_.has_value() || absl::Now() - last_post_ < heartbeat_interval_) {
    return absl::OkStatus();
  }
  return Post(R"({"complete":false,"failed":false,"dropped":0})");
}

template <typename LineFn>
absl::Status WandbBackend::SendLines(absl::string_view file, int64_t* offset, size_t count,
                                     LineFn line, size_t* sent) {
  *sent = 0;
  while (*sent < count) {
    FileStreamBody body;
    body.BeginFile(file, *offset);
    size_t n = 0;
    // At least one line per request: a line alone over the limit still goes (the server
    // refuses it if it must, and a refusal drops it).
    while (*sent + n < count && (n == 0 || body.size() < kMaxRequestBytes)) {
      body.AddLine(line(*sent + n));
      ++n;
    }
    body.EndFile();
    if (absl::Status s = Post(body.Finish()); !s.ok()) return s;
    *offset += static_cast<int64_t>(n);
    *sent += n;
  }
  return absl::OkStatus();
}

absl::Status WandbBackend::AppendHistory(absl::Span<const store::HistoryRow> rows) {
  if (absl::Status s = Gate(); !s.ok() || !dead_.ok()) return s;
  // Rows read again (after a failed pass, or by a daemon that took the run over): the server
  // has every step up to acked_.last_step.
  size_t first = 0;
  while (first < rows.size() && acked_.last_step.has_value() &&
         rows[first].step <= *acked_.last_step)
    ++first;
  absl::Span<const store::HistoryRow> fresh = rows.subspan(first);
  size_t sent = 0;
  absl::Status status = SendLines(
      kHistoryFile, &acked_.history_lines, fresh.size(),
      [&](size_t i) -> const std::string& { return fresh[i].row_json; }, &sent);
  if (sent > 0) acked_.last_step = fresh[sent - 1].step;
  return status;
}

template <typename Row, typename LineFn>
absl::Status WandbBackend::SendNewer(absl::string_view file, absl::Span<const Row> rows,
                                     absl::Time* last, int64_t* offset, LineFn line) {
  if (absl::Status s = Gate(); !s.ok() || !dead_.ok()) return s;
  // Rows read again after a failed pass: the server has every one up to *last.
  size_t first = 0;
  while (first < rows.size() && rows[first].timestamp <= *last) ++first;
  absl::Span<const Row> fresh = rows.subspan(first);
  size_t sent = 0;
  absl::Status status = SendLines(
      file, offset, fresh.size(), [&](size_t i) { return line(fresh[i]); }, &sent);
  if (sent > 0) *last = fresh[sent - 1].timestamp;
  return status;
}

absl::Status WandbBackend::AppendSystemMetrics(absl::Span<const store::SystemMetricsRow> rows) {
  return SendNewer(
      kEventsFile, rows, &acked_.last_stats, &acked_.events_lines,
      [this](const store::SystemMetricsRow& row) { return EventsLine(row, start_time_); });
}

absl::Status WandbBackend::AppendConsole(absl::Span<const store::ConsoleLine> lines) {
  return SendNewer(kConsoleFile, lines, &acked_.last_console, &acked_.console_lines,
                   ConsoleLineText);
}

absl::Status WandbBackend::ReplaceSummary(absl::string_view summary_json) {
  if (absl::Status s = Gate(); !s.ok() || !dead_.ok()) return s;
  if (!bucket_.has_value() || summary_json == last_summary_) return absl::OkStatus();
  // One line, always at offset 0: the server keeps the last.
  FileStreamBody body;
  body.BeginFile(kSummaryFile, 0);
  body.AddLine(summary_json);
  body.EndFile();
  if (absl::Status s = Post(body.Finish()); !s.ok()) return s;
  last_summary_ = std::string(summary_json);
  return absl::OkStatus();
}

absl::Status WandbBackend::FinishRun(const RunEnd& end, absl::Duration) {
  if (absl::Status s = Gate(); !s.ok() || !dead_.ok()) return s;
  if (!bucket_.has_value()) return absl::OkStatus();
  std::vector<std::string> uploaded;
  {
    absl::MutexLock lock(&files_mu_);
    uploaded = uploaded_;
  }
  FileStreamBody body;
  body.SetComplete(end.exit_code, uploaded);
  return Post(body.Finish());
}

std::optional<Bucket> WandbBackend::FilesTarget(bool* dead) const {
  absl::MutexLock lock(&files_mu_);
  *dead = files_dead_;
  return files_target_;
}

absl::StatusOr<FileUploadResult> WandbBackend::UploadFile(const FileUpload& file) {
  bool dead = false;
  std::optional<Bucket> run = FilesTarget(&dead);
  if (dead) return FileUploadResult{};
  std::string what = absl::StrCat("upload of ", file.name, " to W&B");
  if (!run.has_value()) {
    return absl::UnavailableError(absl::StrCat(what, ": the run is not on the server yet"));
  }
  absl::StatusOr<artifact::FileDigest> digest = artifact::Md5OfFile(file.source_path);
  if (!digest.ok()) return digest.status();
  std::string md5 = artifact::ToHex(digest->md5);
  {
    absl::MutexLock lock(&files_mu_);
    auto sent = sent_md5_.find(file.name);
    if (sent != sent_md5_.end() && sent->second == md5) {
      return FileUploadResult{.bytes = digest->size, .unchanged = true};
    }
  }
  // Its own connection: the lane's is busy on the lane's thread.
  WandbApi api(base_url_, api_key_, ca_file_);
  absl::StatusOr<UploadUrls> urls = api.QueryUploadUrls(*run, {file.name});
  if (!urls.ok()) return urls.status();
  auto url = urls->urls.find(file.name);
  if (url == urls->urls.end()) {
    return absl::FailedPreconditionError(absl::StrCat(what, ": the server gave no upload URL"));
  }
  if (absl::Status s = api.PutFile(url->second, urls->headers, file.source_path, what); !s.ok()) {
    return s;
  }
  absl::MutexLock lock(&files_mu_);
  if (!sent_md5_.contains(file.name)) uploaded_.push_back(file.name);
  sent_md5_[file.name] = std::move(md5);
  return FileUploadResult{.bytes = digest->size, .unchanged = false};
}

absl::StatusOr<ArtifactLogged> WandbBackend::LogArtifact(const records::ArtifactRecord& artifact) {
  if (!dead_.ok()) return absl::FailedPreconditionError(dead_.message());
  if (absl::Status s = Gate(); !s.ok()) return s;
  if (!bucket_.has_value()) {
    return absl::UnavailableError(
        absl::StrCat("artifact ", artifact.name(), ": the run is not on W&B yet"));
  }
  auto [it, fresh] = artifact_uploads_.try_emplace(artifact.client_id());
  if (fresh) {
    absl::StatusOr<artifact::Manifest> manifest = artifact::CheckArtifactRecord(artifact);
    if (!manifest.ok()) {
      artifact_uploads_.erase(it);
      return manifest.status();
    }
    it->second = std::make_unique<ArtifactUpload>(artifact, *std::move(manifest));
  }
  absl::StatusOr<ArtifactLogged> logged = it->second->Continue(api_, *bucket_);
  if (logged.ok() || !(IsRetryable(logged.status()) || absl::IsUnauthenticated(logged.status()))) {
    // Done, or refused for good: this artifact only. The run's upload goes on either way.
    artifact_uploads_.erase(artifact.client_id());
    if (logged.ok()) Record(absl::OkStatus()).IgnoreError();  // the backoff reset
    return logged;
  }
  // A network's trouble waits for the backoff; a refused key ends the whole upload.
  return Record(logged.status());
}

std::optional<Bucket> WandbBackend::run_on_server() const {
  bool dead = false;
  std::optional<Bucket> run = FilesTarget(&dead);
  if (dead) return std::nullopt;
  return run;
}

std::unique_ptr<WandbApi> WandbBackend::NewApi() const {
  return std::make_unique<WandbApi>(base_url_, api_key_, ca_file_);
}

absl::StatusOr<bool> WandbBackend::StopRequested() {
  // Nothing to ask about before the run exists on the server, or after the upload ended.
  if (stopped_ || stop_query_refused_ || !bucket_.has_value() || !dead_.ok()) return stopped_;
  absl::Time now = absl::Now();
  if (now < next_stop_query_) return stopped_;
  if (absl::Status s = Gate(); !s.ok()) return s;
  next_stop_query_ = now + stop_poll_interval_;
  absl::StatusOr<bool> stopped = api_.QueryRunStopped(*bucket_);
  if (!stopped.ok() && !IsRetryable(stopped.status())) {
    // A server without the query (or one that refuses it) is no reason to stop uploading.
    stop_query_refused_ = true;
    return absl::Status(stopped.status().code(),
                        absl::StrCat(stopped.status().message(),
                                     "; a stop pressed on the run's page is only seen when the "
                                     "server reports it with the run's data"));
  }
  if (absl::Status s = Record(stopped.status()); !s.ok()) return s;
  stopped_ = *stopped;
  return stopped_;
}

std::string WandbBackend::run_url() const {
  return bucket_.has_value() ? RunPageUrl(api_.base_url(), *bucket_) : "";
}

}  // namespace wandb::service
