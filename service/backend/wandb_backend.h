// Online mode's second backend: the run on a W&B server, over its HTTP API (wandb_api.h).
// The run is created with UpsertBucket (after a viewer query that checks the key and names
// the default entity), its config goes with further UpsertBuckets, and history, system
// metrics, console lines and the summary go through file_stream with wandb's line offsets;
// the finish is file_stream's {"complete": true, "exitcode": n}.
//
// It never sleeps: a failed request that may heal (network, 5xx, 429) sets the next attempt
// by wandb's backoff (retry_backoff.h), and every call before then fails at once with the
// same error, so its caller (the upload lane, which reads the transaction log) simply reads
// again later from its last acknowledged offset. What the server has is remembered here by
// step, time and line offset, so rows read again are never sent twice, and it is kept in the
// run directory, so a daemon that takes the run over after its daemon died (re-attach) goes
// on from there rather than from the start. A failure that cannot
// heal (a refused key) ends the upload for this run: the rest is discarded (the run stays in
// the log and the local store) and gave_up() says why.
//
// The run's files (save(), and what the daemon writes in files/: config.yaml, the summary,
// the metadata, output.log) go as wandb 0.12 sends them: a signed URL from RunUploadUrls,
// then a PUT of the bytes, and their names in the final file_stream request's "uploaded".
// UploadFile runs on the upload pool's threads, beside the lane's: what they share is
// guarded by files_mu_, and each call has its own connection.
//
// The artifacts the run logs go on the lane's thread too (artifact_upload.h), between its
// file_stream requests.
//
// A stop pressed on the run's W&B page reaches StopRequested() two ways: newer servers say
// so in a file_stream answer, and every stop_poll_interval() (wandb's 15 s by default) the
// RunStoppedStatus query asks. A server that refuses that query is not asked again; the
// upload goes on.
#ifndef WANDB_SERVICE_BACKEND_WANDB_BACKEND_H_
#define WANDB_SERVICE_BACKEND_WANDB_BACKEND_H_

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/container/flat_hash_map.h"
#include "absl/random/random.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "service/backend/artifact_upload.h"
#include "service/backend/backend.h"
#include "service/backend/retry_backoff.h"
#include "service/backend/upload_progress.h"
#include "service/backend/wandb_api.h"
#include "wandb/service.pb.h"

namespace wandb::service {

class WandbBackend final : public DiscardingBackend {
 public:
  // How long file_stream may stay quiet unless OnlineOptions says otherwise (wandb 0.12's).
  static constexpr absl::Duration kDefaultHeartbeatInterval = absl::Seconds(30);
  // Requests stay below this many bytes (wandb splits at about 10 MiB).
  static constexpr size_t kMaxRequestBytes = size_t{4} << 20;
  // How often RunStoppedStatus is asked unless OnlineOptions says otherwise (wandb 0.12's).
  static constexpr absl::Duration kDefaultStopPollInterval = absl::Seconds(15);

  WandbBackend(const OnlineOptions& options, std::string entity, std::string project);

  absl::Status UpsertRun(const records::RunRecord& run, absl::string_view run_dir) override;
  absl::Status ReplaceConfig(absl::string_view config_json) override;
  absl::Status ReplaceSummary(absl::string_view summary_json) override;
  absl::Status AppendHistory(absl::Span<const store::HistoryRow> rows) override;
  absl::Status AppendSystemMetrics(absl::Span<const store::SystemMetricsRow> rows) override;
  absl::Status AppendConsole(absl::Span<const store::ConsoleLine> lines) override;
  absl::Status FinishRun(const RunEnd& end, absl::Duration runtime) override;
  // wandb's heartbeat: {"complete": false, "failed": false, "dropped": 0} to file_stream when
  // nothing was posted for heartbeat_interval() (wandb 0.12's 30 s), so that W&B does not
  // take a quiet run (a long epoch without log()) for a dead one.
  absl::Status KeepAlive() override;
  absl::Duration heartbeat_interval() const { return heartbeat_interval_; }
  // Any thread. Content this run already sent under the same name is not sent again. Until
  // the run exists on the server it fails with Unavailable (the pool retries); after the
  // upload gave up it drops the file, as everything else.
  absl::StatusOr<FileUploadResult> UploadFile(const FileUpload& file) override;
  // Commits an artifact on the server (artifact_upload.h), from the step where an earlier
  // call failed. A failure that may heal waits for the backoff as any other call; one that
  // cannot (the server refuses this artifact) fails the artifact, not the run's upload.
  absl::StatusOr<ArtifactLogged> LogArtifact(const records::ArtifactRecord& artifact) override;
  // Records what the server has acknowledged in the run directory (upload_progress.h); the
  // log offset itself is not needed: a replay skips what the server has by step and time.
  absl::Status SetLogOffset(uint64_t offset) override;
  // The last answer, refreshed from the server when stop_poll_interval() has passed since the
  // last query: cheap to ask after every pass.
  absl::StatusOr<bool> StopRequested() override;
  absl::Duration stop_poll_interval() const override { return stop_poll_interval_; }
  std::string run_url() const override;

  std::string gave_up() const override { return dead_.ok() ? "" : std::string(dead_.message()); }
  // Sends the run as run `id` rather than its record's (`wandb-cpp sync --id`); before the
  // first UpsertRun.
  void set_run_id(std::string id) { run_id_ = std::move(id); }
  // Where the run is on the server, once it is there; nullopt before, and after the upload
  // gave up. Any thread (use_artifact's).
  std::optional<Bucket> run_on_server() const;
  // A connection of its own to this backend's server, with its key: for another thread.
  std::unique_ptr<WandbApi> NewApi() const;
  // History lines the server has acknowledged.
  int64_t history_lines() const { return acked_.history_lines; }

 private:
  // Whether a request may be made now: the backoff's error while waiting, OK when dead too
  // (what a dead upload is given is dropped).
  absl::Status Gate();
  // Makes the request's outcome the backend's state: a success resets the backoff, a
  // retryable failure schedules the next attempt, any other failure ends the upload.
  absl::Status Record(absl::Status status);
  // The run UploadFile may upload to now; nullopt before it exists. Sets *dead after the
  // upload gave up.
  std::optional<Bucket> FilesTarget(bool* dead) const;
  // Takes what an earlier daemon recorded the server has of this run (upload_progress.h);
  // false when none did.
  bool ResumeProgress(absl::string_view run_dir, absl::string_view run_id);
  // A resumed run: where its file_stream lines go on, from RunResumeStatus.
  absl::Status ResumeOffsetsFromServer();
  absl::Status EnsureViewer();
  absl::Status Post(const std::string& body);
  // Sends lines [begin, end) of a logical file at its offset, in requests of at most
  // kMaxRequestBytes; `line(i)` gives line i; on success the offset has moved past them.
  template <typename LineFn>
  absl::Status SendLines(absl::string_view file, int64_t* offset, size_t count, LineFn line,
                         size_t* sent);
  // Sends the rows newer than *last (system metrics, console lines: known by their time).
  template <typename Row, typename LineFn>
  absl::Status SendNewer(absl::string_view file, absl::Span<const Row> rows, absl::Time* last,
                         int64_t* offset, LineFn line);

  const std::string base_url_;
  const std::string api_key_;
  const std::string ca_file_;  // "" the system's CA bundle
  WandbApi api_;
  RetryBackoff backoff_;
  absl::BitGen jitter_;
  absl::Status last_error_;
  absl::Status dead_;
  std::string default_entity_;
  bool viewer_known_ = false;
  std::string run_id_;  // set_run_id's; empty: the run record's
  BucketFields fields_;
  std::optional<Bucket> bucket_;
  std::string last_upsert_;  // the RunRecord last upserted, serialized
  std::string last_config_;
  std::string last_summary_;
  absl::Time start_time_ = absl::UnixEpoch();
  const absl::Duration stop_poll_interval_;
  const absl::Duration heartbeat_interval_;
  absl::Time last_post_ = absl::InfinitePast();  // the last file_stream post that arrived
  absl::Time next_stop_query_ = absl::InfinitePast();
  bool stopped_ = false;  // once asked to stop, the run stays stopping
  bool stop_query_refused_ = false;
  // What the server has: the next line of each logical file, and the last row taken. Kept
  // in the run directory at each SetLogOffset() (progress_path_), and read back by the first
  // UpsertRun() of a daemon that took the run over.
  UploadProgress acked_;
  UploadProgress saved_;             // what the file says
  std::string progress_path_;        // empty until the run's directory is known
  bool progress_from_file_ = false;  // an earlier daemon's file said what the server has

  // The artifacts on their way, by their log_artifact's client id.
  absl::flat_hash_map<std::string, std::unique_ptr<ArtifactUpload>> artifact_uploads_;

  // Shared with UploadFile's threads.
  mutable absl::Mutex files_mu_;
  std::optional<Bucket> files_target_ ABSL_GUARDED_BY(files_mu_);
  bool files_dead_ ABSL_GUARDED_BY(files_mu_) = false;
  // Each name's last content PUT (hex MD5), and the names in the order first uploaded.
  absl::flat_hash_map<std::string, std::string> sent_md5_ ABSL_GUARDED_BY(files_mu_);
  std::vector<std::string> uploaded_ ABSL_GUARDED_BY(files_mu_);
};

}  // namespace wandb::service

#endif  // WANDB_SERVICE_BACKEND_WANDB_BACKEND_H_
