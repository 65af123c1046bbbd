#include "ui/server/history_cache.h"

namespace wandb::ui {

absl::Status HistoryCache::With(int64_t run_row, absl::FunctionRef<void(const RunHistory&)> body) {
  std::shared_ptr<Entry> entry;
  {
    absl::MutexLock lock(&mu_);
    auto it = entries_.find(run_row);
    if (it == entries_.end()) {
      lru_.push_front(run_row);
      it = entries_.emplace(run_row, Slot{std::make_shared<Entry>(), lru_.begin(), 0}).first;
    } else {
      lru_.splice(lru_.begin(), lru_, it->second.position);
    }
    entry = it->second.entry;
  }
  size_t bytes;
  {
    absl::MutexLock lock(&entry->mu);
    RunHistory& history = entry->history;
    absl::Status status = reader_->ScanHistory(
        run_row, history.last_step(),
        [&history](int64_t step, absl::string_view row) { history.Append(step, row); });
    if (!status.ok()) return status;
    body(history);
    bytes = history.bytes();
  }
  absl::MutexLock lock(&mu_);
  auto it = entries_.find(run_row);
  if (it != entries_.end() && it->second.entry == entry) {
    total_bytes_ += bytes - it->second.bytes;
    it->second.bytes = bytes;
  }
  Evict();
  return absl::OkStatus();
}

void HistoryCache::Evict() {
  // The most recent entry stays even when it alone is over budget: it is in use.
  while (total_bytes_ > budget_bytes_ && lru_.size() > 1) {
    const int64_t oldest = lru_.back();
    lru_.pop_back();
    auto it = entries_.find(oldest);
    total_bytes_ -= it->second.bytes;
    entries_.erase(it);
  }
}

size_t HistoryCache::bytes() const {
  absl::MutexLock lock(&mu_);
  return total_bytes_;
}

}  // namespace wandb::ui
