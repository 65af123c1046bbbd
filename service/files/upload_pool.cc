#include "service/files/upload_pool.h"

#include <algorithm>
#include <cmath>
#include <iterator>
#include <utility>

#include "absl/strings/str_cat.h"

namespace wandb::files {

bool IsRetryableUploadError(const absl::Status& status) {
  switch (status.code()) {
    case absl::StatusCode::kUnavailable:
    case absl::StatusCode::kResourceExhausted:
    case absl::StatusCode::kAborted:
    case absl::StatusCode::kDeadlineExceeded:
    case absl::StatusCode::kInternal:
    case absl::StatusCode::kUnknown:
      return true;
    default:
      return false;
  }
}

UploadPool::UploadPool(UploadFn upload, Options options, DoneFn on_done)
    : upload_(std::move(upload)), options_(std::move(options)), on_done_(std::move(on_done)) {
  int count = std::max(1, options_.workers);
  workers_.reserve(count);
  for (int i = 0; i < count; ++i) workers_.emplace_back([this] { WorkerLoop(); });
}

UploadPool::~UploadPool() { Stop(); }

absl::Status UploadPool::Enqueue(UploadTask task) {
  absl::MutexLock lock(&mu_);
  if (stopping_) {
    return absl::FailedPreconditionError(
        absl::StrCat("upload pool stopped; not uploading ", task.save_name));
  }
  auto waiting = waiting_.find(task.save_name);
  if (waiting != waiting_.end()) {
    waiting->second->task = std::move(task);
    ++stats_.coalesced;
    return absl::OkStatus();
  }
  if (waiting_.size() >= options_.max_queued) {
    ++stats_.rejected;
    return absl::ResourceExhaustedError(absl::StrCat("upload queue full (", options_.max_queued,
                                                     " files); not uploading ", task.save_name));
  }
  queue_.push_back(Job{.task = std::move(task)});
  waiting_.emplace(queue_.back().task.save_name, std::prev(queue_.end()));
  return absl::OkStatus();
}

bool UploadPool::WaitIdle(absl::Time deadline) {
  absl::MutexLock lock(&mu_);
  return mu_.AwaitWithDeadline(absl::Condition(this, &UploadPool::IdleLocked), deadline);
}

void UploadPool::Stop() {
  std::lock_guard<std::mutex> stop_lock(stop_mu_);
  std::vector<Job> abandoned;
  {
    absl::MutexLock lock(&mu_);
    stopping_ = true;
    for (Job& job : queue_) abandoned.push_back(std::move(job));
    for (Job& job : retries_) {
      busy_.erase(job.task.save_name);
      abandoned.push_back(std::move(job));
    }
    queue_.clear();
    waiting_.clear();
    retries_.clear();
    stats_.abandoned += static_cast<int64_t>(abandoned.size());
  }
  for (std::thread& worker : workers_) {
    if (worker.joinable()) worker.join();
  }
  for (const Job& job : abandoned) {
    NotifyDone(job.task, absl::CancelledError(absl::StrCat("upload pool stopped before uploading ",
                                                           job.task.save_name)));
  }
}

UploadStats UploadPool::stats() const {
  absl::MutexLock lock(&mu_);
  UploadStats stats = stats_;
  stats.queued = static_cast<int64_t>(queue_.size() + retries_.size());
  return stats;
}

void UploadPool::WorkerLoop() {
  while (std::optional<Job> job = TakeJob()) {
    absl::StatusOr<UploadOutcome> outcome = upload_(job->task);
    Result result{.job = std::move(*job), .outcome = std::move(outcome)};
    {
      absl::MutexLock lock(&mu_);
      SettleLocked(result);
    }
    if (!result.retrying) NotifyDone(result.job.task, result.outcome);
    Release(result);
  }
}

std::optional<UploadPool::Job> UploadPool::TakeJob() {
  absl::MutexLock lock(&mu_);
  while (!stopping_) {
    if (std::optional<Job> job = PopRunnableLocked(absl::Now())) return job;
    // A retry falling due is a change of time, not of state: wait for it with the deadline.
    // A retry scheduled meanwhile is taken by the worker that scheduled it, which comes
    // back here with the new deadline.
    mu_.AwaitWithDeadline(absl::Condition(this, &UploadPool::WorkOrStopLocked),
                          EarliestRetryLocked());
  }
  return std::nullopt;
}

std::optional<UploadPool::Job> UploadPool::PopRunnableLocked(absl::Time now) {
  // A due retry goes first: it heads its name's line and has waited longest.
  auto retry = std::min_element(retries_.begin(), retries_.end(), [](const Job& a, const Job& b) {
    return a.not_before < b.not_before;
  });
  if (retry != retries_.end() && retry->not_before <= now) {
    Job job = std::move(*retry);
    retries_.erase(retry);
    ++stats_.in_flight;
    return job;
  }
  for (auto it = queue_.begin(); it != queue_.end(); ++it) {
    if (busy_.contains(it->task.save_name)) continue;
    Job job = std::move(*it);
    waiting_.erase(job.task.save_name);
    queue_.erase(it);
    busy_.insert(job.task.save_name);
    ++stats_.in_flight;
    return job;
  }
  return std::nullopt;
}

bool UploadPool::HasStartableLocked() const {
  // A loop, not std::any_of with a lambda: the thread-safety analysis cannot see that the
  // lambda runs under mu_.
  for (const Job& job : queue_) {
    if (!busy_.contains(job.task.save_name)) return true;
  }
  return false;
}

bool UploadPool::WorkOrStopLocked() const { return stopping_ || HasStartableLocked(); }

bool UploadPool::IdleLocked() const {
  return queue_.empty() && retries_.empty() && stats_.in_flight == 0;
}

absl::Time UploadPool::EarliestRetryLocked() const {
  absl::Time earliest = absl::InfiniteFuture();
  for (const Job& job : retries_) earliest = std::min(earliest, job.not_before);
  return earliest;
}

void UploadPool::SettleLocked(Result& result) {
  ++result.job.attempt;
  if (result.outcome.ok()) {
    if (result.outcome->unchanged) {
      ++stats_.files_deduped;
      stats_.bytes_deduped += result.outcome->bytes;
    } else {
      ++stats_.files_uploaded;
      stats_.bytes_uploaded += result.outcome->bytes;
    }
    return;
  }
  bool retry = !stopping_ && result.job.attempt < options_.max_attempts && options_.retryable &&
               options_.retryable(result.outcome.status());
  if (!retry) {
    ++stats_.failed;
    return;
  }
  ++stats_.retries;
  result.retrying = true;
  Job again = result.job;
  again.not_before = absl::Now() + BackoffLocked(result.job.attempt);
  retries_.push_back(std::move(again));
}

void UploadPool::Release(const Result& result) {
  absl::MutexLock lock(&mu_);
  --stats_.in_flight;
  if (!result.retrying) busy_.erase(result.job.task.save_name);
}

absl::Duration UploadPool::BackoffLocked(int attempts_made) {
  double growth = std::pow(options_.backoff_multiplier, attempts_made - 1);
  double jitter = options_.max_jitter > 0 ? absl::Uniform(random_, 0.0, options_.max_jitter) : 0;
  return std::min(options_.initial_backoff * (growth * (1.0 + jitter)), options_.max_backoff);
}

void UploadPool::NotifyDone(const UploadTask& task,
                            const absl::StatusOr<UploadOutcome>& outcome) const {
  if (on_done_) on_done_(task, outcome);
}

}  // namespace wandb::files
