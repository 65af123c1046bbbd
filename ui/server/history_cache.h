// Parsed run histories (RunHistory), shared by every request and kept up to date with the
// store: each use reads only the rows logged since the last one. Bounded by a memory budget;
// the runs used least recently are dropped first (and parsed again when asked for).
#ifndef WANDB_UI_SERVER_HISTORY_CACHE_H_
#define WANDB_UI_SERVER_HISTORY_CACHE_H_

#include <cstddef>
#include <cstdint>
#include <list>
#include <memory>

#include "absl/base/thread_annotations.h"
#include "absl/container/flat_hash_map.h"
#include "absl/functional/function_ref.h"
#include "absl/status/status.h"
#include "absl/synchronization/mutex.h"
#include "ui/server/run_history.h"
#include "ui/server/store_reader.h"

namespace wandb::ui {

class HistoryCache {
 public:
  static constexpr size_t kDefaultBudgetBytes = size_t{1} << 30;  // 1 GiB

  HistoryCache(StoreReader* reader, size_t budget_bytes = kDefaultBudgetBytes)
      : reader_(reader), budget_bytes_(budget_bytes) {}

  // Brings run `run_row`'s history up to date and runs `body` on it. Requests for one run
  // take turns; different runs proceed in parallel.
  absl::Status With(int64_t run_row, absl::FunctionRef<void(const RunHistory&)> body);

  size_t bytes() const;

 private:
  struct Entry {
    absl::Mutex mu;
    RunHistory history ABSL_GUARDED_BY(mu);
    size_t bytes ABSL_GUARDED_BY(mu) = 0;
  };

  // Drops the least recently used entries while the total is over budget.
  void Evict() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);

  StoreReader* const reader_;
  const size_t budget_bytes_;
  mutable absl::Mutex mu_;
  // Most recently used first.
  std::list<int64_t> lru_ ABSL_GUARDED_BY(mu_);
  struct Slot {
    std::shared_ptr<Entry> entry;
    std::list<int64_t>::iterator position;
    size_t bytes = 0;
  };
  absl::flat_hash_map<int64_t, Slot> entries_ ABSL_GUARDED_BY(mu_);
  size_t total_bytes_ ABSL_GUARDED_BY(mu_) = 0;
};

}  // namespace wandb::ui

#endif  // WANDB_UI_SERVER_HISTORY_CACHE_H_
