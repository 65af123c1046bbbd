// A batch's records, read and checked on the thread that received them (the run's gRPC
// stream), so the handler, the one stage of a run that must go in order, only applies
// wandb's rules. The decoded log() calls are views into the batch's bytes, which the
// DecodedBatch owns; it is never moved once decoded (it travels as a unique_ptr).
#ifndef WANDB_SERVICE_STREAM_BATCH_DECODER_H_
#define WANDB_SERVICE_STREAM_BATCH_DECODER_H_

#include <cstdint>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "common/ipc/history_wire.h"
#include "wandb/service.pb.h"

namespace wandb::service {

// The checks a client's log() call must pass, the same the client makes: a valid step, and
// every key and value valid.
absl::Status CheckCall(const history_wire::PartialHistoryView& call);

class DecodedBatch {
 public:
  struct Entry {
    bool is_call = false;
    history_wire::PartialHistoryView call;  // a log() call, when is_call
    absl::string_view record;               // otherwise the record, to parse as a message
    absl::Status status;                    // not ok: the call is dropped, or the bytes are bad
  };

  explicit DecodedBatch(RecordBatch batch);
  DecodedBatch(const DecodedBatch&) = delete;
  DecodedBatch& operator=(const DecodedBatch&) = delete;

  uint64_t seq() const { return batch_.seq(); }
  // In the batch's order. Decoding stops at malformed bytes: that entry is the last.
  const std::vector<Entry>& entries() const { return entries_; }

 private:
  void Decode();

  const RecordBatch batch_;
  std::vector<Entry> entries_;
};

}  // namespace wandb::service

#endif  // WANDB_SERVICE_STREAM_BATCH_DECODER_H_
