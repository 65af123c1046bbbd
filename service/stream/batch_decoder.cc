#include "service/stream/batch_decoder.h"

#include "absl/strings/str_cat.h"
#include "common/ipc/record_batch_codec.h"
#include "common/value/json.h"
#include "common/value/validation.h"

namespace wandb::service {
namespace {

absl::Status CheckItem(const history_wire::ItemView& item) {
  if (absl::Status s = validation::ValidateKey(item.key); !s.ok()) return s;
  if (json::IsNumber(item.value_json)) return absl::OkStatus();  // the common case, cheaply
  absl::StatusOr<Value> v = json::Parse(item.value_json);
  if (!v.ok()) return v.status();
  return validation::ValidateValue(item.key, *v);
}

}  // namespace

absl::Status CheckCall(const history_wire::PartialHistoryView& call) {
  if (call.step.has_value()) {
    if (absl::Status s = validation::ValidateStep(*call.step); !s.ok()) return s;
  }
  if (call.items.size() > validation::kMaxEntries + 1) {  // + the client's _timestamp
    return absl::InvalidArgumentError(
        absl::StrCat(call.items.size(), " keys in one call; at most ", validation::kMaxEntries));
  }
  for (const history_wire::ItemView& item : call.items) {
    if (absl::Status s = CheckItem(item); !s.ok()) return s;
    if (item.key[0] == '_' && !json::IsNumber(item.value_json)) {
      return absl::InvalidArgumentError(
          absl::StrCat("key '", item.key, "': must be a number (seconds)"));
    }
  }
  return absl::OkStatus();
}

DecodedBatch::DecodedBatch(RecordBatch batch) : batch_(std::move(batch)) { Decode(); }

void DecodedBatch::Decode() {
  entries_.reserve(batch_.record_count());
  RecordBatchReader reader(batch_.records());
  absl::string_view bytes;
  while (reader.NextBytes(&bytes)) {
    Entry& entry = entries_.emplace_back();
    // log() calls, nearly every record, are read in place; the handler parses the others.
    absl::StatusOr<bool> is_call = history_wire::ReadPartialHistory(bytes, &entry.call);
    if (!is_call.ok()) {
      entry.status = absl::DataLossError(
          absl::StrCat("record ", reader.index(), ": ", is_call.status().message()));
      return;
    }
    entry.is_call = *is_call;
    if (entry.is_call) {
      entry.status = CheckCall(entry.call);
    } else {
      entry.record = bytes;
    }
  }
  if (!reader.status().ok()) {
    Entry& entry = entries_.emplace_back();
    entry.status = reader.status();
  }
}

}  // namespace wandb::service
