#include "common/txlog/corruption_tally.h"

#include "absl/strings/str_cat.h"

namespace wandb::txlog {

void CorruptionTally::Corruption(uint64_t bytes, const absl::Status& reason) {
  bytes_ += bytes;
  ++count_;
  if (reasons_.size() < kKeptReasons) reasons_.emplace_back(reason.message());
}

std::string CorruptionTally::Summary() const {
  if (empty()) return "";
  return absl::StrCat("skipped ", bytes_, " corrupt bytes in ", count_,
                      count_ == 1 ? " place: " : " places, the first: ", reasons_.front());
}

}  // namespace wandb::txlog
