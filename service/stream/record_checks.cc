#include "service/stream/record_checks.h"

#include "absl/strings/str_cat.h"
#include "common/run/run_fields.h"
#include "common/value/json.h"
#include "common/value/validation.h"

namespace wandb::service {
namespace {

using validation::ReservedKeys;

// An item's path: its nested_key when it has one, else its key alone.
template <typename Item>
absl::Status CheckItemPath(const Item& item) {
  if (item.nested_key_size() == 0) {
    return validation::ValidatePath(std::vector<absl::string_view>{item.key()},
                                    ReservedKeys::kAllow);
  }
  if (!item.key().empty()) return absl::InvalidArgumentError("an item with a key and a path");
  return validation::ValidatePath(item.nested_key(), ReservedKeys::kAllow);
}

template <typename Item>
absl::Status CheckUpdate(const Item& item) {
  if (absl::Status s = CheckItemPath(item); !s.ok()) return s;
  // json::Parse refuses documents deeper than json::kMaxParseDepth without recursing further.
  absl::StatusOr<Value> value = json::Parse(item.value_json());
  if (!value.ok()) {
    return absl::InvalidArgumentError(
        absl::StrCat("key '", item.nested_key_size() > 0 ? item.nested_key(0) : item.key(),
                     "': ", value.status().message()));
  }
  if (item.nested_key_size() == 0) {
    return validation::ValidateValueAt(std::vector<absl::string_view>{item.key()}, *value);
  }
  return validation::ValidateValueAt(item.nested_key(), *value);
}

template <typename Record>
absl::Status CheckUpdates(const Record& record, absl::string_view what) {
  size_t items = static_cast<size_t>(record.update_size() + record.remove_size());
  if (items > validation::kMaxEntries) {
    return absl::InvalidArgumentError(
        absl::StrCat(what, " update of ", items, " items; at most ", validation::kMaxEntries));
  }
  for (const auto& item : record.update()) {
    if (absl::Status s = CheckUpdate(item); !s.ok()) {
      return absl::InvalidArgumentError(absl::StrCat(what, ": ", s.message()));
    }
  }
  for (const auto& item : record.remove()) {
    if (absl::Status s = CheckItemPath(item); !s.ok()) {
      return absl::InvalidArgumentError(absl::StrCat(what, ": ", s.message()));
    }
  }
  return absl::OkStatus();
}

}  // namespace

absl::Status CheckConfigRecord(const records::ConfigRecord& record) {
  return CheckUpdates(record, "config");
}

absl::Status CheckSummaryRecord(const records::SummaryRecord& record) {
  return CheckUpdates(record, "summary");
}

absl::Status CheckStartRequest(const StartRunRequest& request) {
  const records::RunRecord& run = request.run();
  if (absl::Status s = CheckRunFields(run); !s.ok()) return s;
  if (request.process().pid() <= 0) {
    return absl::InvalidArgumentError(
        absl::StrCat("process id ", request.process().pid(), " is not a process"));
  }
  if (absl::Status s = CheckConfigRecord(run.config()); !s.ok()) return s;
  return CheckSummaryRecord(run.summary());
}

absl::Status CheckBatchSeq(uint64_t received, uint64_t seq, bool gap_allowed) {
  if (seq == 0 || seq > kMaxBatchSeq) {
    return absl::InvalidArgumentError(
        absl::StrCat("batch number ", seq, " is outside 1..", kMaxBatchSeq));
  }
  if (seq > received + 1 && !gap_allowed) {
    return absl::InvalidArgumentError(absl::StrCat("batch ", seq, " after batch ", received,
                                                   ": batches go 1, 2, 3... (a gap only after a "
                                                   "re-attach)"));
  }
  return absl::OkStatus();
}

}  // namespace wandb::service
