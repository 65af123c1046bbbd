// One run's pipeline in the daemon: handler -> writer -> sender, each on its own thread, so
// that one run's trouble (a slow disk, a failing backend) never stalls another run.
#ifndef WANDB_SERVICE_STREAM_STREAM_H_
#define WANDB_SERVICE_STREAM_STREAM_H_

#include <atomic>
#include <memory>
#include <optional>
#include <string>

#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"
#include "common/ipc/file_lock.h"
#include "common/run/run_directory.h"
#include "common/util/logger.h"
#include "service/recovery/reattach.h"
#include "service/stream/handler.h"
#include "service/stream/metadata_probe.h"
#include "service/stream/sender.h"
#include "service/stream/writer.h"
#include "service/system/system_monitor.h"
#include "wandb/service.pb.h"

namespace wandb::service {

class Stream {
 public:
  // Batches received but not yet in the log. Beyond this, Publish() waits for the writer, so
  // a client that logs faster than the disk takes it is held back by gRPC's flow control
  // instead of growing the daemon's memory. Two keep the writer busy while the next batch is
  // decoded; more only raised the daemon's peak (docs/performance.md, issue 10.9).
  static constexpr uint64_t kMaxBatchesInFlight = 2;

  // Makes the run directory and the transaction log, and starts the pipeline.
  // `reattach`: go on with a run whose daemon died, in its directory (see reattach.h).
  // `online`: online mode's W&B backend, fed from the log by a lane of its own.
  static absl::StatusOr<std::unique_ptr<Stream>> Open(
      const StartRunRequest& request, std::shared_ptr<Backend> backend,
      std::optional<ReattachPoint> reattach = std::nullopt,
      std::shared_ptr<Backend> online = nullptr);
  ~Stream();

  const std::string& run_id() const { return run_id_; }
  const RunDirectory& dir() const { return dir_; }
  int64_t client_pid() const { return client_pid_; }
  Logger& debug_log() { return debug_log_; }

  // Batches must arrive in sequence order; a batch at or below one already received is a
  // duplicate and is ignored. A number out of order (CheckBatchSeq) is refused and logged:
  // taken, it would make the run ignore every real batch after it. May wait for the writer
  // (see kMaxBatchesInFlight).
  absl::Status Publish(RecordBatch batch);
  // The client re-attached: its next batch may skip numbers it lost.
  void AllowSeqGap();
  uint64_t durable_seq() const { return writer_->durable_seq(); }
  // What the client may forget: see Writer::resumable_seq().
  uint64_t resumable_seq() const { return writer_->resumable_seq(); }
  // Waits until batch `seq` has arrived and is in the log; false after `timeout`.
  bool WaitDurable(uint64_t seq, absl::Duration timeout);
  // History rows the handler has written so far; safe from any thread.
  int64_t history_rows() const { return handler_->rows_emitted(); }

  absl::StatusOr<GetSummaryResponse> GetSummary(uint64_t after_seq, absl::Duration timeout);
  absl::StatusOr<SampledHistoryResponse> GetSampledHistory(uint64_t after_seq,
                                                           absl::Duration timeout);
  // Whether a stop was requested, as the sender last heard from the backend; never waits.
  bool stop_requested() const { return sender_->stop_requested(); }
  ArtifactStatusResponse artifact_status(const std::string& client_id) const {
    return sender_->artifact_status(client_id);
  }
  // See Sender::WaitRunStored.
  bool WaitRunStored(absl::Duration timeout) const { return sender_->WaitRunStored(timeout); }
  std::string backend_problem() const { return sender_->problem(); }
  std::string upload_problem() const { return sender_->upload_problem(); }
  UploadLane::Progress upload_progress() const { return sender_->upload_progress(); }
  std::string log_problem() const { return writer_->problem(); }
  // The run as it started (for a resumed run, with what it resumed from).
  const records::RunRecord& run() const { return run_; }

  // Handles everything up to `last_seq` (waiting at most `timeout` for it to arrive), then
  // writes the exit, summary, final and footer records and closes the log. `exit_code`: the
  // program's, nullopt when it never told one (its process died); with whether a stop was
  // requested it decides how the run ended (DecideRunEnd). Only the first call finishes
  // the run.
  absl::StatusOr<FinishRunResponse> Finish(std::optional<int> exit_code, uint64_t last_seq,
                                           absl::Duration timeout);

 private:
  // What Open() made and checked before there is a stream: the run directory (made and
  // locked), the log, and the file of its cut point.
  struct Parts {
    records::RunRecord run;
    RunDirectory dir;
    FileLock lock;
    std::unique_ptr<txlog::LogWriter> log;
    std::unique_ptr<LogCutFile> cut_file;  // null when it could not be opened
    absl::Status cut_file_problem;
    std::optional<ReattachPoint> reattach;
  };
  // Builds the whole pipeline and starts it: a Stream is never seen half-built.
  Stream(const StartRunRequest& request, std::shared_ptr<Backend> backend,
         std::shared_ptr<Backend> online, Parts parts);
  uint64_t ReceivedSeq();
  bool WaitReceived(uint64_t seq, absl::Duration timeout);
  template <typename Query, typename Response>
  absl::StatusOr<Response> Ask(uint64_t after_seq, absl::Duration timeout);
  // The run's system-metrics thread, feeding the handler (after the pipeline is running).
  void StartSystemMonitor(const SystemMetricsOptions& options);

  const std::string run_id_;
  const RunDirectory dir_;
  const int64_t client_pid_;
  Logger debug_log_;
  // Declared in pipeline order so destruction joins the handler first, then the writer, then
  // the sender: each stage drains into one that still exists.
  std::unique_ptr<Sender> sender_;
  std::unique_ptr<Writer> writer_;
  std::unique_ptr<Handler> handler_;
  std::unique_ptr<MetadataProbe> probe_;    // null for a re-attached run
  std::unique_ptr<SystemMonitor> monitor_;  // null when system metrics are off
  std::optional<FileLock> lock_;  // the run directory's, for as long as the stream writes it
  records::RunRecord run_;

  absl::Mutex mu_;
  uint64_t received_seq_ ABSL_GUARDED_BY(mu_) = 0;
  bool seq_gap_allowed_ ABSL_GUARDED_BY(mu_) = false;
  std::atomic<bool> finishing_{false};
};

}  // namespace wandb::service

#endif  // WANDB_SERVICE_STREAM_STREAM_H_
