#include "service/state/sampled_history.h"

#include <charconv>

namespace wandb::service {

void SampledHistory::Add(absl::string_view key, double value) {
  if (Series* s = Sample(IndexOf(key))) Keep(*s, value);
}

void SampledHistory::AddRow(const std::vector<history_wire::ItemView>& items) {
  if (last_row_.size() < items.size()) last_row_.resize(items.size(), kNone);
  for (size_t i = 0; i < items.size(); ++i) {
    const history_wire::ItemView& item = items[i];
    if (item.key.empty() || item.key[0] == '_') continue;
    size_t& index = last_row_[i];
    if (index == kNone || series_[index].key != item.key) index = IndexOf(item.key);
    Series* s = Sample(index);
    if (s == nullptr) continue;
    double value = 0;
    const char* end = item.value_json.data() + item.value_json.size();
    auto [parsed_to, ec] = std::from_chars(item.value_json.data(), end, value);
    if (ec == std::errc() && parsed_to == end) Keep(*s, value);
  }
}

size_t SampledHistory::IndexOf(absl::string_view key) {
  auto [it, inserted] = index_.try_emplace(key, series_.size());
  if (inserted) series_.push_back(Series{std::string(key), {}, 0, 1});
  return it->second;
}

SampledHistory::Series* SampledHistory::Sample(size_t index) {
  Series& s = series_[index];
  return s.seen++ % s.stride == 0 ? &s : nullptr;
}

void SampledHistory::Keep(Series& s, double value) {
  s.values.push_back(value);
  if (s.values.size() < kCapacity) return;
  size_t kept = 0;
  for (size_t i = 0; i < s.values.size(); i += 2) s.values[kept++] = s.values[i];
  s.values.resize(kept);
  s.stride *= 2;
}

void SampledHistory::ToItems(google::protobuf::RepeatedPtrField<SampledHistoryItem>* items) const {
  for (const Series& s : series_) {
    if (s.values.empty()) continue;  // a key that never had a number
    SampledHistoryItem* item = items->Add();
    item->set_key(s.key);
    item->mutable_values()->Add(s.values.begin(), s.values.end());
  }
}

}  // namespace wandb::service
