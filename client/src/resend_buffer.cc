#include "client/src/resend_buffer.h"

namespace wandb::internal {

void ResendBuffer::Keep(uint64_t seq, std::string records, uint32_t record_count) {
  bytes_ += records.size();
  batches_.push_back(Batch{seq, std::move(records), record_count});
  while (bytes_ > capacity_ && !batches_.empty()) {
    Batch& oldest = batches_.front();
    dropped_.push_back({oldest.seq, oldest.record_count});
    bytes_ -= oldest.records.size();
    Recycle(std::move(oldest.records));
    batches_.pop_front();
  }
}

void ResendBuffer::Acknowledge(uint64_t seq) {
  while (!batches_.empty() && batches_.front().seq <= seq) {
    bytes_ -= batches_.front().records.size();
    Recycle(std::move(batches_.front().records));
    batches_.pop_front();
  }
  while (!dropped_.empty() && dropped_.front().seq <= seq) dropped_.pop_front();
}

std::string ResendBuffer::TakeSpare() {
  if (spares_.empty()) return {};
  std::string spare = std::move(spares_.back());
  spares_.pop_back();
  return spare;
}

void ResendBuffer::Recycle(std::string records) {
  // Two cover the steady state: one batch being built while the daemon acknowledges another.
  constexpr size_t kMaxSpares = 2;
  if (spares_.size() >= kMaxSpares) return;
  records.clear();  // keeps the capacity
  spares_.push_back(std::move(records));
}

int64_t ResendBuffer::LostAfter(uint64_t seq) {
  Acknowledge(seq);
  int64_t lost = 0;
  for (const Dropped& d : dropped_) lost += d.record_count;
  dropped_.clear();
  return lost;
}

int64_t ResendBuffer::Abandon() {
  int64_t records = 0;
  for (const Dropped& d : dropped_) records += d.record_count;
  for (const Batch& b : batches_) records += b.record_count;
  dropped_.clear();
  batches_.clear();
  bytes_ = 0;
  return records;
}

}  // namespace wandb::internal
