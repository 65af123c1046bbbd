// The run's consolidated summary: every history row overwrites its top-level keys, and
// explicit summary updates patch it, possibly at a nested path (reference section 5).
//
// Values are kept as JSON text, so the common case (a row of numbers) costs a string copy
// per key; only nested updates parse and re-encode a value.
#ifndef WANDB_SERVICE_STATE_SUMMARY_STATE_H_
#define WANDB_SERVICE_STATE_SUMMARY_STATE_H_

#include <string>
#include <utility>
#include <vector>
#include "absl/strings/string_view.h"

#include "absl/container/flat_hash_map.h"
#include "absl/status/status.h"
#include "common/ipc/history_wire.h"
#include "wandb/records.pb.h"

namespace wandb::service {

class SummaryState {
 public:
  void Set(absl::string_view key, absl::string_view value_json);

  // Sets every item of a history row. A training loop logs the same keys row after row, so a
  // row with the same keys in the same order as the one before only overwrites that row's
  // values; the row reaches the summary's index when a row with other keys comes or the
  // summary is read. Rows then cost no hashing.
  void SetRow(const std::vector<history_wire::ItemView>& items);

  // Applies a SummaryRecord's updates and removals. A malformed item is skipped and
  // reported; the others still apply.
  absl::Status Apply(const records::SummaryRecord& record);

  // {"key": value, ...} with Python's default separators, as wandb-summary.json is written.
  std::string ToJson() const;
  void ToItems(google::protobuf::RepeatedPtrField<records::SummaryItem>* items) const;

  const std::string* Find(absl::string_view key) const;
  bool empty() const { return entries_.empty() && pending_size_ == 0; }

 private:
  // Moves the pending row into entries_. Readers call it too: the pending row is part of
  // the summary already, so applying it changes nothing they can see.
  void ApplyPendingRow() const;
  bool SameKeysAsPendingRow(const std::vector<history_wire::ItemView>& items) const;
  void SetEntry(absl::string_view key, absl::string_view value_json) const;
  absl::Status SetNested(const records::SummaryItem& item);
  absl::Status RemoveNested(const records::SummaryItem& item);
  void Remove(absl::string_view key);

  mutable std::vector<std::pair<std::string, std::string>> entries_;
  mutable absl::flat_hash_map<std::string, size_t> index_;
  mutable std::vector<std::pair<std::string, std::string>> pending_row_;
  mutable size_t pending_size_ = 0;  // pending_row_'s first entries in use; 0: none pending
};

}  // namespace wandb::service

#endif  // WANDB_SERVICE_STATE_SUMMARY_STATE_H_
