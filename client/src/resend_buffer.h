// The batches a run has sent that the daemon has not yet acknowledged as in its log: what
// the client sends again when the daemon dies and a new one re-attaches the run. Bounded in
// bytes; beyond the bound the oldest batches are dropped, and counted, so that a re-attach
// can tell exactly how many records were lost (those of dropped batches the new daemon does
// not have), never silently.
#ifndef WANDB_CLIENT_SRC_RESEND_BUFFER_H_
#define WANDB_CLIENT_SRC_RESEND_BUFFER_H_

#include <cstdint>
#include <deque>
#include <string>
#include <vector>

namespace wandb::internal {

class ResendBuffer {
 public:
  struct Batch {
    uint64_t seq = 0;
    std::string records;  // RecordBatch.records: the length-prefixed records
    uint32_t record_count = 0;
  };

  explicit ResendBuffer(size_t capacity_bytes) : capacity_(capacity_bytes) {}

  // Keeps batch `seq` (seqs increase from call to call), dropping the oldest batches while
  // the buffer holds more than its capacity (the new one included).
  void Keep(uint64_t seq, std::string records, uint32_t record_count);
  // The daemon has every batch up to `seq` in its log: they are not needed any more.
  void Acknowledge(uint64_t seq);
  // After a re-attach to a daemon whose log has every batch up to `seq`: acknowledges them,
  // and returns how many records of the dropped batches after `seq` are lost.
  int64_t LostAfter(uint64_t seq);
  // Forgets everything; returns the records of the kept and dropped batches after the last
  // acknowledgement (what can no longer be delivered when the run cannot be re-attached).
  int64_t Abandon();

  // An empty string with the capacity of a batch let go of, when there is one: the next batch
  // is built in it, so that batch after batch reuses memory already faulted in rather than
  // allocating (and the allocator mapping and unmapping) a megabyte or two each time.
  std::string TakeSpare();

  const std::deque<Batch>& batches() const { return batches_; }
  size_t bytes() const { return bytes_; }

 private:
  struct Dropped {
    uint64_t seq;
    uint32_t record_count;
  };

  const size_t capacity_;
  std::deque<Batch> batches_;
  size_t bytes_ = 0;
  std::deque<Dropped> dropped_;  // batches dropped for room, not yet acknowledged
  std::vector<std::string> spares_;

  // Keeps the bytes of a batch let go of for TakeSpare(), a few at most.
  void Recycle(std::string records);
};

}  // namespace wandb::internal

#endif  // WANDB_CLIENT_SRC_RESEND_BUFFER_H_
