// A second backend's own reader of the run's log: online mode sends the run to W&B through
// one, beside the sender's local store. It has its own thread and its own LogReplayer, so it
// keeps its own acknowledged offset into the log: a slow or absent server holds up neither
// the store, the handler nor the client, and what it has not sent stays in the log (the
// buffer), costing no memory.
//
// Passes are paced (at most one per kSendInterval, wandb 0.12's file_stream pace in a run's
// first minute), so a run logging thousands of rows a second makes one request per pass,
// not one per row. A failed pass is read again after kRetryInterval; the backend itself
// keeps wandb's backoff and answers at once while it waits.
//
// The run's files go to the backend by wandb's policies through the lane's own RunFiles (its
// own watcher and upload pool, fed by the FilesRecords this lane reads), with a network's
// retries; the finish waits for them before the run's end is sent, as wandb's does.
//
// The artifacts the run logs are committed on the backend as the lane reads their records;
// what became of each is kept (artifact_status()) for Artifact::wait() of an online run.
//
// The lane also asks its backend whether the run was stopped (a Stop pressed on W&B's run
// page): after every pass and every stop_poll_interval(), on its own thread, since the answer
// is an HTTP request. The sender adds the answer to its own (Sender::stop_requested()).
#ifndef WANDB_SERVICE_STREAM_UPLOAD_LANE_H_
#define WANDB_SERVICE_STREAM_UPLOAD_LANE_H_

#include <atomic>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <thread>

#include "absl/base/thread_annotations.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "common/util/logger.h"
#include "service/backend/backend.h"
#include "service/replay/log_replayer.h"
#include "service/stream/artifact_outcomes.h"
#include "service/stream/run_files.h"

namespace wandb::service {

class UploadLane {
 public:
  static constexpr absl::Duration kSendInterval = absl::Seconds(2);
  static constexpr absl::Duration kRetryInterval = absl::Milliseconds(500);

  // What the lane's finish achieved.
  struct Outcome {
    std::string url;      // the run's page, when the server named it
    std::string problem;  // empty when the backend has the whole run
  };

  UploadLane(std::shared_ptr<Backend> backend, const std::string& log_path,
             const std::string& run_dir, const std::string& files_dir, Logger* log);
  ~UploadLane();  // joins; an unfinished upload is abandoned (the log keeps it)

  void Start();
  // The writer appended to the log.
  void LogAdvanced();
  // Sends the rest of the log, the summary and the run's end, until `deadline`.
  void Finish(const RunEnd& end, absl::Time deadline);
  // Waits for Finish()'s outcome until `deadline`.
  Outcome Wait(absl::Time deadline);
  // Whether the backend said the run was asked to stop; any thread, never waits.
  bool stop_requested() const { return stop_requested_.load(std::memory_order_acquire); }
  // How much of the run the backend has, in bytes: the log read and sent, and the files
  // uploaded, of all there is so far. Any thread.
  struct Progress {
    int64_t done_bytes = 0;
    int64_t total_bytes = 0;
  };
  Progress progress() const;
  // The failure the upload is retrying now ("...; retrying in 4 s"); empty while it is well.
  // Any thread.
  std::string problem() const;
  // What the backend made of each artifact the lane read (PENDING until it got there). Any
  // thread.
  ArtifactStatusResponse artifact_status(const std::string& client_id) const {
    return artifacts_.Get(client_id);
  }
  void CopyArtifactOutcomes(FinishRunResponse* response) const { artifacts_.CopyTo(response); }

 private:
  void Loop();
  // Reads on and sends; false when the backend failed.
  bool Pass();
  // Asks the backend whether a stop was requested, and publishes a yes.
  void PollStop();
  // Retries `step` every kRetryInterval until it succeeds or the deadline passes.
  template <typename Step>
  absl::Status UntilDeadline(absl::Time deadline, Step step);
  Outcome RunFinish(RunEnd end, absl::Time deadline);
  void Note(const absl::Status& status);
  // A pass's outcome made the lane's public state: how far the log is sent, and the
  // failure being retried (none once a pass succeeds).
  void Publish(const absl::Status& sent);
  // What an unfinished upload leaves, and how it gets sent: "; 1.2 MiB of 3.4 MiB sent: ...".
  std::string Left() const;

  std::shared_ptr<Backend> backend_;
  Logger* log_;
  ArtifactOutcomes artifacts_;  // before the replayer, which records into it
  RunFiles files_;
  LogReplayer replayer_;
  absl::Status last_error_;                           // the lane thread's own
  absl::Time next_stop_poll_ = absl::InfinitePast();  // the lane thread's own
  std::atomic<bool> stop_requested_{false};
  const std::string log_path_;
  const std::string run_dir_;
  std::atomic<uint64_t> log_done_{0};  // the replayer's offset, published after each read
  mutable absl::Mutex problem_mu_;
  std::string problem_ ABSL_GUARDED_BY(problem_mu_);
  std::thread thread_;

  absl::Mutex mu_;
  absl::CondVar wake_;
  bool dirty_ ABSL_GUARDED_BY(mu_) = true;  // the first pass at once
  absl::Time next_pass_ ABSL_GUARDED_BY(mu_) = absl::InfinitePast();
  bool closing_ ABSL_GUARDED_BY(mu_) = false;
  std::optional<std::pair<RunEnd, absl::Time>> finish_ ABSL_GUARDED_BY(mu_);
  std::optional<Outcome> outcome_ ABSL_GUARDED_BY(mu_);
};

}  // namespace wandb::service

#endif  // WANDB_SERVICE_STREAM_UPLOAD_LANE_H_
