// A bounded pool of upload workers in front of an injected upload function (into the local
// store today, over HTTP later), with wandb FilePusher's ordering and upload_file_retry's
// backoff.
//
// - At most `workers` uploads run at once (wandb runs 64 HTTP jobs; copying into a local
//   store is disk-bound, so a few threads suffice).
// - Per save name, uploads run one at a time in the order enqueued: a second upload of a
//   name waits until the first finishes, including its retries. An upload enqueued while
//   another of the same name is still waiting (not started) replaces the waiting one's task
//   instead of queueing behind it: the upload reads the file when it runs, so the waiting
//   one would upload the same bytes. That bounds the queue by the number of distinct files.
// - A failed attempt whose status `retryable` accepts is tried again after a backoff
//   (initial, x multiplier per attempt, plus 0..max_jitter of random jitter, capped), up to
//   `max_attempts` attempts in all. A waiting retry holds no worker.
// - Enqueue never blocks: when `max_queued` distinct names are already waiting it returns
//   ResourceExhausted at once and counts the task as rejected. SavePolicies uploads at
//   finish every file whose upload was never confirmed, so a rejected upload is made then.
// - Stop() lets running uploads finish (an upload cannot be interrupted) and abandons the
//   queued and retry-waiting ones, reporting each to `on_done` as Cancelled. To finish the
//   work instead, call WaitIdle() first.
#ifndef WANDB_SERVICE_FILES_UPLOAD_POOL_H_
#define WANDB_SERVICE_FILES_UPLOAD_POOL_H_

#include <cstdint>
#include <functional>
#include <list>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/container/flat_hash_map.h"
#include "absl/container/flat_hash_set.h"
#include "absl/functional/any_invocable.h"
#include "absl/random/random.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "service/files/upload_task.h"

namespace wandb::files {

// The default retry predicate: errors that can go away by themselves (Unavailable,
// ResourceExhausted such as a full disk being cleaned, Aborted, DeadlineExceeded, Internal,
// Unknown). A missing file, bad arguments or a refused permission fail at once.
bool IsRetryableUploadError(const absl::Status& status);

struct UploadPoolOptions {
  int workers = 4;
  size_t max_queued = 4096;  // distinct save names waiting (not running)
  // wandb's upload_file_retry: from 1 s, x2, 0-25 % jitter, capped at 300 s. wandb retries
  // for up to 7 days against a flaky network; a local store that fails 7 times in a row over
  // about two minutes will not heal, so we give up sooner.
  absl::Duration initial_backoff = absl::Seconds(1);
  double backoff_multiplier = 2.0;
  double max_jitter = 0.25;
  absl::Duration max_backoff = absl::Seconds(300);
  int max_attempts = 7;
  std::function<bool(const absl::Status&)> retryable = IsRetryableUploadError;
};

struct UploadStats {
  int64_t files_uploaded = 0;  // uploads that stored new content
  int64_t bytes_uploaded = 0;
  int64_t files_deduped = 0;  // uploads the store already held (UploadOutcome::unchanged)
  int64_t bytes_deduped = 0;
  int64_t failed = 0;     // gave up: not retryable, or out of attempts
  int64_t retries = 0;    // attempts after a first one
  int64_t in_flight = 0;  // running now
  int64_t queued = 0;     // waiting to start, or waiting for a retry
  int64_t coalesced = 0;  // merged into a waiting upload of the same name
  int64_t rejected = 0;   // refused: the queue was full
  int64_t abandoned = 0;  // dropped by Stop()
};

class UploadPool {
 public:
  using Options = UploadPoolOptions;
  // Runs on several workers at once; must be thread-safe and must not throw.
  using UploadFn = absl::AnyInvocable<absl::StatusOr<UploadOutcome>(const UploadTask&) const>;
  // The final result of each task (success, last failure, or Cancelled by Stop), called on
  // a worker (or on Stop()'s caller) before the name's next upload starts and before
  // WaitIdle() sees the pool idle. It must not call Stop().
  using DoneFn =
      absl::AnyInvocable<void(const UploadTask&, const absl::StatusOr<UploadOutcome>&) const>;

  explicit UploadPool(UploadFn upload) : UploadPool(std::move(upload), Options{}) {}
  // Starts the workers.
  UploadPool(UploadFn upload, Options options, DoneFn on_done = nullptr);
  ~UploadPool();  // Stop()
  UploadPool(const UploadPool&) = delete;
  UploadPool& operator=(const UploadPool&) = delete;

  // Queues `task`. ResourceExhausted when the queue is full, FailedPrecondition after Stop().
  absl::Status Enqueue(UploadTask task);
  // Waits until nothing is queued, waiting for a retry or running; false if `deadline`
  // came first.
  bool WaitIdle(absl::Time deadline);
  // See the top of this file. Idempotent; joins the workers.
  void Stop();

  UploadStats stats() const;

 private:
  struct Job {
    UploadTask task;
    int attempt = 0;  // attempts made so far
    absl::Time not_before = absl::InfinitePast();
  };
  struct Result {
    Job job;
    absl::StatusOr<UploadOutcome> outcome;
    bool retrying = false;
  };

  void WorkerLoop();
  // Blocks until a job can run (and marks it running), or returns nothing when stopping.
  std::optional<Job> TakeJob();
  std::optional<Job> PopRunnableLocked(absl::Time now) ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  bool HasStartableLocked() const ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  bool WorkOrStopLocked() const ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  bool IdleLocked() const ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  absl::Time EarliestRetryLocked() const ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  // Records an attempt's result: counts it, or schedules a retry.
  void SettleLocked(Result& result) ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  // After on_done: frees the name for its next upload and the worker's slot.
  void Release(const Result& result);
  absl::Duration BackoffLocked(int attempts_made) ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  void NotifyDone(const UploadTask& task, const absl::StatusOr<UploadOutcome>& outcome) const;

  const UploadFn upload_;
  const Options options_;
  const DoneFn on_done_;

  mutable absl::Mutex mu_;
  bool stopping_ ABSL_GUARDED_BY(mu_) = false;
  // Waiting jobs in arrival order, and each waiting name's entry there.
  std::list<Job> queue_ ABSL_GUARDED_BY(mu_);
  absl::flat_hash_map<std::string, std::list<Job>::iterator> waiting_ ABSL_GUARDED_BY(mu_);
  std::vector<Job> retries_ ABSL_GUARDED_BY(mu_);
  // Names with a job running or waiting for a retry: their next job must wait.
  absl::flat_hash_set<std::string> busy_ ABSL_GUARDED_BY(mu_);
  UploadStats stats_ ABSL_GUARDED_BY(mu_);
  absl::BitGen random_ ABSL_GUARDED_BY(mu_);

  std::mutex stop_mu_;  // one Stop() joins the workers
  std::vector<std::thread> workers_;
};

}  // namespace wandb::files

#endif  // WANDB_SERVICE_FILES_UPLOAD_POOL_H_
