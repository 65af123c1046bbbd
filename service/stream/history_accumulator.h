// wandb's rules for turning log() calls into history rows (reference section 5).
//
// A call with a step lower than the current one is dropped; a higher step first emits the
// pending row under the old step; data merges into the pending row; the row is emitted when
// the call flushes (commit, or neither step nor commit given), and the step then advances.
#ifndef WANDB_SERVICE_STREAM_HISTORY_ACCUMULATOR_H_
#define WANDB_SERVICE_STREAM_HISTORY_ACCUMULATOR_H_

#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "wandb/records.pb.h"

namespace wandb::service {

struct HistoryRow {
  int64_t step = 0;
  // Top-level key -> JSON, in first-logged order.
  std::vector<std::pair<std::string, std::string>> items;
};

class HistoryAccumulator {
 public:
  explicit HistoryAccumulator(int64_t starting_step) : step_(starting_step) {}

  // Applies one log() call, appending completed rows to `emitted`. Returns a warning when
  // the call was dropped for a lower step. The request's strings are moved into the row.
  std::optional<std::string> Add(records::PartialHistoryRequest* request,
                                 std::vector<HistoryRow>* emitted);
  std::optional<std::string> Add(records::PartialHistoryRequest request,
                                 std::vector<HistoryRow>* emitted) {
    return Add(&request, emitted);
  }

  // Emits the pending row, if any (at finish).
  void Flush(std::vector<HistoryRow>* emitted);

  int64_t step() const { return step_; }

 private:
  void Merge(records::HistoryItem& item);

  int64_t step_;
  HistoryRow pending_;
};

}  // namespace wandb::service

#endif  // WANDB_SERVICE_STREAM_HISTORY_ACCUMULATOR_H_
