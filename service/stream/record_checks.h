// The checks on what a client sends besides log() calls (config and summary updates, the run
// it starts), the same the client makes: the daemon trusts no client, so a record a client
// should have refused is refused here, before anything is built from it. Every check reads
// the input with loops or with recursion bounded by validation::kMaxDepth, never deeper.
#ifndef WANDB_SERVICE_STREAM_RECORD_CHECKS_H_
#define WANDB_SERVICE_STREAM_RECORD_CHECKS_H_

#include "absl/status/status.h"
#include "wandb/records.pb.h"
#include "wandb/service.pb.h"

namespace wandb::service {

// Every item: a valid key or nested path (at most validation::kMaxDepth keys), a value that
// parses and passes validation::ValidateValueAt; at most validation::kMaxEntries items.
absl::Status CheckConfigRecord(const records::ConfigRecord& record);
absl::Status CheckSummaryRecord(const records::SummaryRecord& record);

// A StartRun request: its run's id, names and text (CheckRunFields), config and summary as
// above, and a process id that can be one (> 0).
absl::Status CheckStartRequest(const StartRunRequest& request);

// Batches are numbered 1, 2, 3... by the client, at most kMaxBatchSeq (2^53: no client gets
// there, and seq + 1 never overflows). `received` is the run's highest batch so far: a batch
// at or below it is a resend (fine), and the next must be received + 1, unless `gap_allowed`
// (the first batch after a re-attach, from a client that lost batches meanwhile).
inline constexpr uint64_t kMaxBatchSeq = uint64_t{1} << 53;
absl::Status CheckBatchSeq(uint64_t received, uint64_t seq, bool gap_allowed);

}  // namespace wandb::service

#endif  // WANDB_SERVICE_STREAM_RECORD_CHECKS_H_
