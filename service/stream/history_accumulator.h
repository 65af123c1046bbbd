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
#include <vector>

#include "absl/functional/function_ref.h"
#include "common/ipc/history_wire.h"
#include "service/stream/history_row.h"

namespace wandb::service {

class HistoryAccumulator {
 public:
  // Receives each completed row: its step and items, which are valid during the call only.
  using EmitFn =
      absl::FunctionRef<void(int64_t step, const std::vector<history_wire::ItemView>& items)>;

  explicit HistoryAccumulator(int64_t starting_step) : step_(starting_step) {}

  // Applies one log() call, emitting the rows it completes. Returns a warning when the call
  // was dropped for a lower step. Items kept pending are copied: the views may go after this.
  std::optional<std::string> Add(const history_wire::PartialHistoryView& call, EmitFn emit);

  // Emits the pending row, if any (at finish).
  void Flush(EmitFn emit);

  int64_t step() const { return step_; }
  // Whether a row is waiting for more data or a commit.
  bool has_pending() const { return !pending_.empty(); }

 private:
  void EmitPending(EmitFn emit);

  int64_t step_;
  HistoryRow pending_;
  std::vector<history_wire::ItemView> pending_items_;  // views of pending_, when emitted
};

}  // namespace wandb::service

#endif  // WANDB_SERVICE_STREAM_HISTORY_ACCUMULATOR_H_
