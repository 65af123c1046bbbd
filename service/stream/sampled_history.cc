#include "service/stream/sampled_history.h"

#include <charconv>

namespace wandb::service {

void SampledHistory::Add(absl::string_view key, double value) {
  if (Series* s = Sample(key)) Keep(*s, value);
}

void SampledHistory::AddJson(absl::string_view key, absl::string_view value_json) {
  Series* s = Sample(key);
  if (s == nullptr) return;
  double value = 0;
  auto [end, ec] = std::from_chars(value_json.data(), value_json.data() + value_json.size(), value);
  if (ec == std::errc() && end == value_json.data() + value_json.size()) Keep(*s, value);
}

SampledHistory::Series* SampledHistory::Sample(absl::string_view key) {
  auto [it, inserted] = series_.try_emplace(key);
  if (inserted) order_.emplace_back(key);
  Series& s = it->second;
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
  for (const std::string& key : order_) {
    const Series& s = series_.at(key);
    if (s.values.empty()) continue;  // a key that never had a number
    SampledHistoryItem* item = items->Add();
    item->set_key(key);
    item->mutable_values()->Add(s.values.begin(), s.values.end());
  }
}

}  // namespace wandb::service
