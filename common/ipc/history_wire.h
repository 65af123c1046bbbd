// The wire form of the hot path: history rows, written and read straight as protobuf bytes.
//
// A log() call travels as a Record{request{partial_history{item*, step, action}}} and is
// written to the transaction log as a Record{history{item*, step}}. Building protobuf
// messages for them costs an allocation per string and a second walk to serialize; these
// functions write the same bytes directly, and read a partial history request as views into
// the batch's bytes. The bytes are exactly what the generated code would produce (fields in
// number order), which history_wire_test checks against it.
#ifndef WANDB_COMMON_IPC_HISTORY_WIRE_H_
#define WANDB_COMMON_IPC_HISTORY_WIRE_H_

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace wandb::history_wire {

// Appends one HistoryItem (field 1 of both HistoryRecord and PartialHistoryRequest).
void AppendItem(absl::string_view key, absl::string_view value_json, std::string* out);

// Appends a length-prefixed Record{request{partial_history{...}}}, as a RecordBatch holds
// it. `items` is the concatenation of AppendItem outputs.
void AppendPartialHistoryRecord(absl::string_view items, std::optional<int64_t> step, bool flush,
                                std::string* out);

// Appends a length-prefixed Record{history{item*, step}}. `items` as above.
void AppendHistoryRecord(absl::string_view items, int64_t step, std::string* out);

struct ItemView {
  absl::string_view key;
  absl::string_view value_json;
};

// One log() call, viewing the bytes it was read from.
struct PartialHistoryView {
  std::vector<ItemView> items;
  std::optional<int64_t> step;
  bool flush = false;
  void Clear() {
    items.clear();
    step.reset();
    flush = false;
  }
};

// Reads `record` (one serialized Record) into `view` when it is a partial history request
// in the plain form clients write: true then. False when it is any other record (parse it
// as a message instead). An error when the bytes are malformed. Strings are not checked for
// UTF-8 here: the handler validates every key and value.
absl::StatusOr<bool> ReadPartialHistory(absl::string_view record, PartialHistoryView* view);

// The same for a Record{history{item*, step}} as the daemon writes it to the log (`flush` is
// left false).
absl::StatusOr<bool> ReadHistory(absl::string_view record, PartialHistoryView* view);

}  // namespace wandb::history_wire

#endif  // WANDB_COMMON_IPC_HISTORY_WIRE_H_
