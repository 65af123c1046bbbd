// A LogReader::Reporter that counts what a reader skipped and keeps the first few reasons, for
// tools that read a whole log and then say what they could not read.
#ifndef WANDB_COMMON_TXLOG_CORRUPTION_TALLY_H_
#define WANDB_COMMON_TXLOG_CORRUPTION_TALLY_H_

#include <cstdint>
#include <string>
#include <vector>

#include "common/txlog/log_reader.h"

namespace wandb::txlog {

class CorruptionTally final : public LogReader::Reporter {
 public:
  static constexpr size_t kKeptReasons = 5;

  void Corruption(uint64_t bytes, const absl::Status& reason) override;

  uint64_t bytes() const { return bytes_; }
  int64_t count() const { return count_; }
  bool empty() const { return count_ == 0; }
  // The first kKeptReasons reasons' messages.
  const std::vector<std::string>& reasons() const { return reasons_; }
  // One line: "skipped N corrupt bytes in M places: <first reason>".
  std::string Summary() const;

 private:
  uint64_t bytes_ = 0;
  int64_t count_ = 0;
  std::vector<std::string> reasons_;
};

}  // namespace wandb::txlog

#endif  // WANDB_COMMON_TXLOG_CORRUPTION_TALLY_H_
