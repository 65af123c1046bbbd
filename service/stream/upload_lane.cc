#include "service/stream/upload_lane.h"

#include <sys/stat.h>

#include <algorithm>
#include <fstream>

#include "absl/strings/str_cat.h"
#include "common/util/human_readable.h"
#include "service/backend/wandb_api.h"
#include "service/recovery/wandb_sync.h"

namespace wandb::service {

namespace {

// What wandb's newer uploader does against a network: up to 20 attempts, 2 s to 60 s apart,
// and only for failures that may heal (a refused key or a missing file will not).
files::UploadPoolOptions NetworkRetries() {
  return files::UploadPoolOptions{.initial_backoff = absl::Seconds(2),
                                  .max_backoff = absl::Seconds(60),
                                  .max_attempts = 20,
                                  .retryable = IsRetryable};
}

}  // namespace

UploadLane::UploadLane(std::shared_ptr<Backend> backend, const std::string& log_path,
                       const std::string& run_dir, const std::string& files_dir, Logger* log)
    : backend_(std::move(backend)),
      log_(log),
      files_(files_dir, backend_.get(), log, NetworkRetries()),
      replayer_(log_path, run_dir, backend_.get(),
                [this](const records::FilesRecord& record) { files_.OnFilesRecord(record); }),
      log_path_(log_path),
      run_dir_(run_dir) {
  replayer_.set_on_artifact(
      [this](const std::string& client_id, const absl::StatusOr<ArtifactLogged>& outcome) {
        if (!outcome.ok()) log_->Warning("upload: artifact: %s", outcome.status().ToString());
        artifacts_.Record(client_id, outcome);
      });
}

UploadLane::~UploadLane() {
  {
    absl::MutexLock lock(&mu_);
    closing_ = true;
  }
  wake_.SignalAll();
  if (thread_.joinable()) thread_.join();
}

void UploadLane::Start() {
  files_.Start();
  thread_ = std::thread([this] { Loop(); });
}

void UploadLane::LogAdvanced() {
  absl::MutexLock lock(&mu_);
  dirty_ = true;
  wake_.SignalAll();
}

void UploadLane::Finish(const RunEnd& end, absl::Time deadline) {
  absl::MutexLock lock(&mu_);
  finish_.emplace(end, deadline);
  wake_.SignalAll();
}

UploadLane::Outcome UploadLane::Wait(absl::Time deadline) {
  absl::MutexLock lock(&mu_);
  while (!outcome_.has_value()) {
    if (wake_.WaitWithDeadline(&mu_, deadline) && !outcome_.has_value()) {
      return Outcome{
          backend_->run_url(),
          absl::StrCat("the upload to W&B did not finish within finish()'s deadline", Left())};
    }
  }
  return *outcome_;
}

void UploadLane::Loop() {
  for (;;) {
    std::optional<std::pair<RunEnd, absl::Time>> finish;
    bool pass = false;
    {
      absl::MutexLock lock(&mu_);
      auto pass_due = [this]() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) {
        return dirty_ && absl::Now() >= next_pass_;
      };
      while (!closing_ && !finish_.has_value() && !pass_due() && absl::Now() < next_stop_poll_) {
        wake_.WaitWithDeadline(
            &mu_, std::min(dirty_ ? next_pass_ : absl::InfiniteFuture(), next_stop_poll_));
      }
      if (closing_) return;
      finish = finish_;
      pass = pass_due();
      if (pass) dirty_ = false;
    }
    if (finish.has_value()) {
      Outcome outcome = RunFinish(finish->first, finish->second);
      absl::MutexLock lock(&mu_);
      outcome_ = std::move(outcome);
      wake_.SignalAll();
      return;
    }
    if (pass) {
      bool ok = Pass();
      absl::MutexLock lock(&mu_);
      if (!ok) dirty_ = true;  // read again, even if nothing new is written
      next_pass_ = absl::Now() + (ok ? kSendInterval : kRetryInterval);
    }
    // After a pass too: a file_stream answer may have carried the stop (the backend answers
    // that from memory, and queries the server only when its interval has passed).
    PollStop();
  }
}

void UploadLane::PollStop() {
  Note(backend_->KeepAlive());
  absl::StatusOr<bool> stop = backend_->StopRequested();
  Note(stop.status());
  if (stop.ok() && *stop && !stop_requested_.exchange(true, std::memory_order_acq_rel)) {
    log_->Info("upload: the run was asked to stop on the server");
  }
  next_stop_poll_ = absl::Now() + backend_->stop_poll_interval();
}

bool UploadLane::Pass() {
  absl::Status status = replayer_.CatchUp();
  if (status.ok()) status = replayer_.SendSummary();
  Note(status);
  Publish(status);
  return status.ok();
}

template <typename Step>
absl::Status UploadLane::UntilDeadline(absl::Time deadline, Step step) {
  absl::Status status = step();
  while (!status.ok() && absl::Now() + kRetryInterval < deadline) {
    Note(status);
    Publish(status);
    absl::SleepFor(kRetryInterval);
    status = step();
  }
  Note(status);
  Publish(status);
  return status;
}

UploadLane::Outcome UploadLane::RunFinish(RunEnd end, absl::Time deadline) {
  absl::Status status = UntilDeadline(deadline, [&] { return replayer_.CatchUp(); });
  if (status.ok()) status = UntilDeadline(deadline, [&] { return replayer_.SendSummary(); });
  // The files before the end: the final request names what was uploaded.
  FilesSummary files = files_.Finish(deadline);
  // As the sender's: a log without its exit record ended without one.
  if (!replayer_.exit_code().has_value()) {
    end = DecideRunEnd(std::nullopt, end.outcome == RunOutcome::kStopped);
  }
  int runtime = replayer_.exit_runtime().value_or(0);
  if (status.ok()) {
    status =
        UntilDeadline(deadline, [&] { return backend_->FinishRun(end, absl::Seconds(runtime)); });
  }
  Outcome outcome{backend_->run_url(), backend_->gave_up()};
  if (outcome.problem.empty() && status.ok() && (!files.complete || files.files_failed > 0)) {
    outcome.problem =
        absl::StrCat("not every file reached W&B (", files.files_failed, " failed",
                     files.complete ? "" : ", others still under way at finish()'s deadline",
                     "); they stay in the run's files/ directory");
  }
  if (outcome.problem.empty() && !status.ok()) {
    outcome.problem = absl::StrCat("the upload to W&B did not finish within finish()'s deadline (",
                                   status.message(), ")", Left());
  }
  // W&B has all of it: marked as `wandb-cpp sync` marks a run it sent whole, so a later sync
  // of the directory sends nothing again and `sync --clean` may remove it.
  if (outcome.problem.empty() && status.ok()) {
    std::ofstream mark(SyncedMarkPath(log_path_));
    if (!mark) log_->Warning("upload: could not write the .synced mark beside the log");
  }
  log_->Info("upload: finished%s%s", outcome.problem.empty() ? "" : ": ", outcome.problem);
  return outcome;
}

UploadLane::Progress UploadLane::progress() const {
  RunFiles::Progress files = files_.progress();
  struct stat st;
  int64_t log_size = ::stat(log_path_.c_str(), &st) == 0 ? static_cast<int64_t>(st.st_size) : 0;
  int64_t log_done = static_cast<int64_t>(log_done_.load(std::memory_order_acquire));
  // The log's last bytes may be a block's padding, which no record covers.
  log_done = std::min(log_done, log_size);
  return Progress{.done_bytes = log_done + files.done_bytes,
                  .total_bytes = log_size + files.done_bytes + files.pending_bytes};
}

std::string UploadLane::Left() const {
  Progress now = progress();
  return absl::StrCat("; ", ByteSize(now.done_bytes), " of ", ByteSize(now.total_bytes),
                      " sent: the rest stays in the run's log, and `wandb-cpp sync ", run_dir_,
                      "` sends it");
}

std::string UploadLane::problem() const {
  absl::MutexLock lock(&problem_mu_);
  return problem_;
}

void UploadLane::Publish(const absl::Status& sent) {
  log_done_.store(replayer_.offset(), std::memory_order_release);
  absl::MutexLock lock(&problem_mu_);
  problem_ = sent.ok() ? "" : std::string(sent.message());
}

void UploadLane::Note(const absl::Status& status) {
  if (status.ok() || status == last_error_) return;
  last_error_ = status;
  log_->Warning("upload: %s", status.ToString());
}

}  // namespace wandb::service
