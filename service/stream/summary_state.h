// The run's consolidated summary: every history row overwrites its top-level keys, and
// explicit summary updates patch it, possibly at a nested path (reference section 5).
//
// Values are kept as JSON text, so the common case (a row of numbers) costs a string copy
// per key; only nested updates parse and re-encode a value.
#ifndef WANDB_SERVICE_STREAM_SUMMARY_STATE_H_
#define WANDB_SERVICE_STREAM_SUMMARY_STATE_H_

#include <string>
#include <utility>
#include <vector>
#include "absl/strings/string_view.h"

#include "absl/container/flat_hash_map.h"
#include "absl/status/status.h"
#include "wandb/records.pb.h"

namespace wandb::service {

class SummaryState {
 public:
  void Set(absl::string_view key, absl::string_view value_json);

  // Applies a SummaryRecord's updates and removals. A malformed item is skipped and
  // reported; the others still apply.
  absl::Status Apply(const records::SummaryRecord& record);

  // {"key": value, ...} with Python's default separators, as wandb-summary.json is written.
  std::string ToJson() const;
  void ToItems(google::protobuf::RepeatedPtrField<records::SummaryItem>* items) const;

  const std::string* Find(absl::string_view key) const;
  bool empty() const { return entries_.empty(); }

 private:
  absl::Status SetNested(const records::SummaryItem& item);
  absl::Status RemoveNested(const records::SummaryItem& item);
  void Remove(absl::string_view key);

  std::vector<std::pair<std::string, std::string>> entries_;
  absl::flat_hash_map<std::string, size_t> index_;
};

}  // namespace wandb::service

#endif  // WANDB_SERVICE_STREAM_SUMMARY_STATE_H_
