#include "service/state/summary_state.h"

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "common/value/json.h"
#include "common/value/value_path.h"

namespace wandb::service {

void SummaryState::Set(absl::string_view key, absl::string_view value_json) {
  ApplyPendingRow();
  SetEntry(key, value_json);
}

void SummaryState::SetRow(const std::vector<history_wire::ItemView>& items) {
  if (!SameKeysAsPendingRow(items)) {
    ApplyPendingRow();
    if (pending_row_.size() < items.size()) pending_row_.resize(items.size());
    for (size_t i = 0; i < items.size(); ++i) {
      pending_row_[i].first.assign(items[i].key.data(), items[i].key.size());
    }
    pending_size_ = items.size();
  }
  // Assigning keeps each string's capacity: no allocation once the first row is in.
  for (size_t i = 0; i < items.size(); ++i) {
    pending_row_[i].second.assign(items[i].value_json.data(), items[i].value_json.size());
  }
}

bool SummaryState::SameKeysAsPendingRow(const std::vector<history_wire::ItemView>& items) const {
  if (items.size() != pending_size_ || items.empty()) return false;
  for (size_t i = 0; i < items.size(); ++i) {
    if (pending_row_[i].first != items[i].key) return false;
  }
  return true;
}

void SummaryState::ApplyPendingRow() const {
  for (size_t i = 0; i < pending_size_; ++i)
    SetEntry(pending_row_[i].first, pending_row_[i].second);
  pending_size_ = 0;
}

void SummaryState::SetEntry(absl::string_view key, absl::string_view value_json) const {
  auto [it, inserted] = index_.try_emplace(key, entries_.size());
  if (inserted) {
    entries_.emplace_back(std::string(key), std::string(value_json));
  } else {
    entries_[it->second].second.assign(value_json.data(), value_json.size());
  }
}

const std::string* SummaryState::Find(absl::string_view key) const {
  ApplyPendingRow();
  auto it = index_.find(key);
  return it == index_.end() ? nullptr : &entries_[it->second].second;
}

void SummaryState::Remove(absl::string_view key) {
  ApplyPendingRow();
  auto it = index_.find(key);
  if (it == index_.end()) return;
  entries_.erase(entries_.begin() + static_cast<ptrdiff_t>(it->second));
  index_.clear();
  for (size_t i = 0; i < entries_.size(); ++i) index_[entries_[i].first] = i;
}

absl::Status SummaryState::SetNested(const records::SummaryItem& item) {
  const auto& path = item.nested_key();
  absl::StatusOr<Value> leaf = json::Parse(item.value_json());
  if (!leaf.ok()) {
    return absl::InvalidArgumentError(
        absl::StrCat("summary key '", absl::StrJoin(path, "."), "': ", leaf.status().message()));
  }
  const std::string* existing = Find(path[0]);
  Value root = Value(Value::Map());
  if (existing != nullptr) {
    absl::StatusOr<Value> parsed = json::Parse(*existing);
    if (parsed.ok() && parsed->is_map()) root = *std::move(parsed);
  }
  SetAtPath(&root, path.begin() + 1, path.end(), *std::move(leaf));
  Set(path[0], json::Encode(root));
  return absl::OkStatus();
}

absl::Status SummaryState::RemoveNested(const records::SummaryItem& item) {
  const auto& path = item.nested_key();
  const std::string* existing = Find(path[0]);
  if (existing == nullptr) return absl::OkStatus();
  absl::StatusOr<Value> root = json::Parse(*existing);
  if (!root.ok()) return root.status();
  EraseAtPath(&*root, path.begin() + 1, path.end());
  Set(path[0], json::Encode(*root));
  return absl::OkStatus();
}

absl::Status SummaryState::Apply(const records::SummaryRecord& record) {
  absl::Status first_error;
  auto note = [&first_error](absl::Status s) {
    if (first_error.ok()) first_error = std::move(s);
  };
  for (const records::SummaryItem& item : record.update()) {
    if (item.nested_key_size() > 1) {
      note(SetNested(item));
    } else {
      const std::string& key = item.nested_key_size() == 1 ? item.nested_key(0) : item.key();
      if (absl::StatusOr<Value> v = json::Parse(item.value_json()); !v.ok()) {
        note(absl::InvalidArgumentError(
            absl::StrCat("summary key '", key, "': ", v.status().message())));
        continue;
      }
      Set(key, item.value_json());
    }
  }
  for (const records::SummaryItem& item : record.remove()) {
    if (item.nested_key_size() > 1) {
      note(RemoveNested(item));
    } else {
      Remove(item.nested_key_size() == 1 ? item.nested_key(0) : item.key());
    }
  }
  return first_error;
}

std::string SummaryState::ToJson() const {
  ApplyPendingRow();
  std::string out = "{";
  for (size_t i = 0; i < entries_.size(); ++i) {
    if (i > 0) out.append(", ");
    json::AppendQuoted(entries_[i].first, &out);
    out.append(": ");
    out.append(entries_[i].second);
  }
  out.push_back('}');
  return out;
}

void SummaryState::ToItems(google::protobuf::RepeatedPtrField<records::SummaryItem>* items) const {
  ApplyPendingRow();
  for (const auto& [key, value] : entries_) {
    records::SummaryItem* item = items->Add();
    item->set_key(key);
    item->set_value_json(value);
  }
}

}  // namespace wandb::service
