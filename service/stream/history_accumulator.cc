#include "service/stream/history_accumulator.h"

#include "absl/strings/str_cat.h"

namespace wandb::service {

std::optional<std::string> HistoryAccumulator::Add(records::PartialHistoryRequest* request,
                                                   std::vector<HistoryRow>* emitted) {
  if (request->has_step()) {
    int64_t step = request->step().num();
    if (step < step_) {
      return absl::StrCat("Step ", step, " < ", step_,
                          ". Dropping entry: log() steps must only "
                          "increase");
    }
    if (step > step_) {
      Flush(emitted);
      step_ = step;
    }
  }
  for (records::HistoryItem& item : *request->mutable_item()) Merge(item);
  if (request->action().flush()) {
    // An explicit commit of an empty row still advances the step, as wandb's does.
    pending_.step = step_;
    emitted->push_back(std::move(pending_));
    pending_ = HistoryRow();
    ++step_;
  }
  return std::nullopt;
}

void HistoryAccumulator::Flush(std::vector<HistoryRow>* emitted) {
  if (pending_.items.empty()) return;
  pending_.step = step_;
  emitted->push_back(std::move(pending_));
  pending_ = HistoryRow();
  ++step_;
}

void HistoryAccumulator::Merge(records::HistoryItem& item) {
  for (auto& [key, value] : pending_.items) {
    if (key == item.key()) {
      value = std::move(*item.mutable_value_json());
      return;
    }
  }
  pending_.items.emplace_back(std::move(*item.mutable_key()),
                              std::move(*item.mutable_value_json()));
}

}  // namespace wandb::service
