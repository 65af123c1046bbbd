#include "service/stream/history_accumulator.h"

#include "absl/strings/str_cat.h"

namespace wandb::service {

std::optional<std::string> HistoryAccumulator::Add(const history_wire::PartialHistoryView& call,
                                                   EmitFn emit) {
  if (call.step.has_value()) {
    int64_t step = *call.step;
    if (step < step_) {
      return absl::StrCat("Step ", step, " < ", step_,
                          ". Dropping entry: log() steps must only "
                          "increase");
    }
    if (step > step_) {
      Flush(emit);
      step_ = step;
    }
  }
  if (call.flush && pending_.empty()) {
    // The common case, a whole row in one call: emitted from the call's own bytes. (An
    // explicit commit of an empty row still advances the step, as wandb's does.)
    emit(step_++, call.items);
    return std::nullopt;
  }
  pending_.Merge(call.items);
  if (call.flush) EmitPending(emit);
  return std::nullopt;
}

void HistoryAccumulator::Flush(EmitFn emit) {
  if (!pending_.empty()) EmitPending(emit);
}

void HistoryAccumulator::EmitPending(EmitFn emit) {
  pending_items_.clear();
  for (size_t i = 0; i < pending_.size(); ++i) {
    pending_items_.push_back({pending_.key(i), pending_.value(i)});
  }
  emit(step_++, pending_items_);
  pending_.Clear();
}

}  // namespace wandb::service
