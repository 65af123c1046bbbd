#include "client/src/resend_buffer.h"

namespace wandb::internal {

void ResendBuffer::Keep(uint64_t seq, std::string records, uint32_t record_count) {
  bytes_ += records.size();
  batches_.push_back(Batch{seq, std::move(records), record_count});
  while (bytes_ > capacity_ && !batches_.empty()) {
    Batch& oldest = batches_.front();
    dropped_.push_back({oldest.seq, oldest.record_count});
    bytes_ -= oldest.records.size();
    batches_.pop_front();
  }
}

void ResendBuffer::Acknowledge(uint64_t seq) {
  while (!batches_.empty() && batches_.front().seq <= seq) {
    bytes_ -= batches_.front().records.size();
    batches_.pop_front();
  }
  while (!dropped_.empty() && dropped_.front().seq <= seq) dropped_.pop_front();
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
