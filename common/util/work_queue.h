// A closable multi-producer queue whose consumer takes everything pending at once, so a busy
// pipeline pays for one lock per batch rather than one per item.
#ifndef WANDB_COMMON_UTIL_WORK_QUEUE_H_
#define WANDB_COMMON_UTIL_WORK_QUEUE_H_

#include <utility>
#include <vector>

#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"

namespace wandb {

template <typename T>
class WorkQueue {
 public:
  // False once the queue is closed: the item is not taken.
  bool Push(T item) {
    absl::MutexLock lock(&mu_);
    if (closed_) return false;
    items_.push_back(std::move(item));
    return true;
  }

  // Appends all of `items` under one lock. False once the queue is closed.
  bool PushAll(std::vector<T>* items) {
    absl::MutexLock lock(&mu_);
    if (closed_) return false;
    for (T& item : *items) items_.push_back(std::move(item));
    items->clear();
    return true;
  }

  // Blocks until something is pending or the queue is closed; moves all pending items into
  // `out` (which it clears first). False when the queue is closed and drained.
  bool PopAll(std::vector<T>* out) {
    out->clear();
    absl::MutexLock lock(&mu_);
    mu_.Await(absl::Condition(this, &WorkQueue::ReadyLocked));
    if (items_.empty()) return false;
    std::swap(*out, items_);
    return true;
  }

  // As PopAll, but also returns (true, with `out` possibly empty) once `timeout` passes, so
  // the consumer can do periodic work.
  bool PopAllFor(std::vector<T>* out, absl::Duration timeout) {
    out->clear();
    absl::MutexLock lock(&mu_);
    mu_.AwaitWithTimeout(absl::Condition(this, &WorkQueue::ReadyLocked), timeout);
    if (closed_ && items_.empty()) return false;
    std::swap(*out, items_);
    return true;
  }

  // Producers are refused from now on; the consumer still drains what is queued.
  void Close() {
    absl::MutexLock lock(&mu_);
    closed_ = true;
  }

 private:
  bool ReadyLocked() const ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) { return closed_ || !items_.empty(); }

  absl::Mutex mu_;
  std::vector<T> items_ ABSL_GUARDED_BY(mu_);
  bool closed_ ABSL_GUARDED_BY(mu_) = false;
};

}  // namespace wandb

#endif  // WANDB_COMMON_UTIL_WORK_QUEUE_H_
