#include "service/stream/history_row.h"

#include "absl/container/flat_hash_map.h"

namespace wandb::service {
namespace {

// Rows up to this many items look keys up by scanning: cheaper than hashing for the rows
// people log, and larger rows get an index.
constexpr size_t kScanLimit = 32;

}  // namespace

void HistoryRow::Merge(const std::vector<history_wire::ItemView>& items) {
  size_t bytes = 0;
  for (const history_wire::ItemView& item : items)
    bytes += item.key.size() + item.value_json.size();
  // No reallocation below, so views into text_ (the index's keys) stay valid.
  text_.reserve(text_.size() + bytes);

  absl::flat_hash_map<absl::string_view, size_t> index;
  bool indexed = refs_.size() + items.size() > kScanLimit;
  if (indexed) {
    for (size_t i = 0; i < refs_.size(); ++i) index.emplace(key(i), i);
  }
  for (const history_wire::ItemView& item : items) {
    int found = -1;
    if (indexed) {
      auto it = index.find(item.key);
      if (it != index.end()) found = static_cast<int>(it->second);
    } else {
      found = Find(item.key);
    }
    uint32_t value_at = AppendText(item.value_json);
    auto value_size = static_cast<uint32_t>(item.value_json.size());
    if (found >= 0) {
      // The old value's bytes stay in the buffer unused until the row is cleared.
      refs_[found].value_at = value_at;
      refs_[found].value_size = value_size;
      continue;
    }
    uint32_t key_at = AppendText(item.key);
    refs_.push_back({key_at, static_cast<uint32_t>(item.key.size()), value_at, value_size});
    if (indexed) index.emplace(key(refs_.size() - 1), refs_.size() - 1);
  }
}

void HistoryRow::Clear() {
  text_.clear();
  refs_.clear();
}

uint32_t HistoryRow::AppendText(absl::string_view s) {
  auto at = static_cast<uint32_t>(text_.size());
  text_.append(s.data(), s.size());
  return at;
}

int HistoryRow::Find(absl::string_view k) const {
  for (size_t i = 0; i < refs_.size(); ++i) {
    if (key(i) == k) return static_cast<int>(i);
  }
  return -1;
}

}  // namespace wandb::service
