// The stream's last stage: gives the backend what the writer has made durable, on its own
// thread, so a slow or failing backend never holds up the handler or the client. It works
// from the transaction log itself (a LogReplayer), not from records held in memory: a
// backend that falls behind costs no memory, and what it has not confirmed can be replayed
// by a later daemon after a crash.
//
// It is the only thread that calls the backend (besides the upload pool's): it also asks the
// backend every stop_poll_interval() whether a stop was requested, as wandb's sender asks
// W&B, and publishes the answer for the gRPC threads (stop_requested()).
#ifndef WANDB_SERVICE_STREAM_SENDER_H_
#define WANDB_SERVICE_STREAM_SENDER_H_

#include <atomic>
#include <memory>
#include <string>
#include <thread>

#include "absl/synchronization/mutex.h"
#include "absl/synchronization/notification.h"
#include "absl/time/time.h"
#include "common/util/logger.h"
#include "common/util/work_queue.h"
#include "service/backend/backend.h"
#include "service/replay/log_replayer.h"
#include "service/stream/artifact_outcomes.h"
#include "service/stream/run_files.h"
#include "service/stream/stream_items.h"
#include "service/stream/upload_lane.h"

namespace wandb::service {

class Sender {
 public:
  // How often the summary is sent while the run is live.
  static constexpr absl::Duration kSummaryInterval = absl::Seconds(1);
  // How soon a backend that failed (a full disk under the store) is given the log again,
  // even when nothing new was written.
  static constexpr absl::Duration kRetryInterval = absl::Milliseconds(250);

  // `online`: a second backend with a lane of its own (online mode's W&B), or null.
  Sender(std::shared_ptr<Backend> backend, const std::string& log_path, const std::string& run_dir,
         const std::string& files_dir, Logger* log, std::shared_ptr<Backend> online = nullptr);
  ~Sender();  // joins

  void Start();
  void Submit(std::vector<SenderItem>* items) {
    if (online_ != nullptr) online_->LogAdvanced();
    queue_.PushAll(items);
  }
  // Whether the log's progress matters here: to the backend, or to the online lane (an
  // online run kept out of the store has only the lane).
  bool wants_data() const { return backend_->wants_data() || online_ != nullptr; }
  // The backend's latest answer to whether a stop was requested (false before its first).
  // Any thread; never calls the backend.
  // With a second backend (online), either one's yes.
  bool stop_requested() const {
    return stop_requested_.load(std::memory_order_acquire) ||
           (online_ != nullptr && online_->stop_requested());
  }
  // What became of an artifact the run logged (PENDING until the backend has it; OFFLINE
  // when the backend takes nothing). Any thread; never calls the backend.
  ArtifactStatusResponse artifact_status(const std::string& client_id) const;
  // Every artifact's outcome, once the run is finished (for an online run, W&B's).
  void CopyArtifactOutcomes(FinishRunResponse* response) const;
  // Waits until the backend has taken the run's RunRecord (the store has the run, so a use
  // of an artifact can be recorded against it); false after `timeout`. Any thread.
  bool WaitRunStored(absl::Duration timeout) const {
    return run_stored_.WaitForNotificationWithTimeout(timeout);
  }
  // What went wrong last time the backend was given data; empty when it took it all.
  std::string problem() const;
  // Online mode's upload to W&B: its current failure and its progress; empty and zero for
  // other modes. Any thread.
  std::string upload_problem() const { return online_ != nullptr ? online_->problem() : ""; }
  UploadLane::Progress upload_progress() const {
    return online_ != nullptr ? online_->progress() : UploadLane::Progress{};
  }

 private:
  void Loop();
  // Asks the backend whether a stop was requested, and publishes the answer.
  void PollStop();
  void CatchUp();
  void Finish(SendFinish& finish);
  void Note(const absl::Status& status);

  std::shared_ptr<Backend> backend_;
  Logger* log_;
  // Only when the backend takes data: offline runs keep their files in the run directory.
  std::unique_ptr<RunFiles> files_;
  ArtifactOutcomes artifacts_;  // before the replayer, which records into it
  LogReplayer replayer_;
  std::unique_ptr<UploadLane> online_;  // null unless online
  WorkQueue<SenderItem> queue_;
  std::thread thread_;
  absl::Time last_summary_ = absl::InfinitePast();
  absl::Time next_stop_poll_ = absl::InfinitePast();
  // When CatchUp() runs with nothing new written: at once while a backlog remains, after
  // kRetryInterval when the last one failed, never when it reached the log's end.
  absl::Time next_catch_up_ = absl::InfiniteFuture();
  std::atomic<bool> stop_requested_{false};
  absl::Notification run_stored_;
  absl::Status last_error_;  // the sender thread's own
  mutable absl::Mutex problem_mu_;
  std::string problem_ ABSL_GUARDED_BY(problem_mu_);
};

}  // namespace wandb::service

#endif  // WANDB_SERVICE_STREAM_SENDER_H_
