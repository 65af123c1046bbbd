#include "service/stream/sampled_history.h"

namespace wandb::service {

void SampledHistory::Add(absl::string_view key, double value) {
  auto [it, inserted] = series_.try_emplace(key);
  if (inserted) order_.emplace_back(key);
  Series& s = it->second;
  if (s.seen++ % s.stride != 0) return;
  s.values.push_back(value);
  if (s.values.size() < kCapacity) return;
  size_t kept = 0;
  for (size_t i = 0; i < s.values.size(); i += 2) s.values[kept++] = s.values[i];
  s.values.resize(kept);
  s.stride *= 2;
}

void SampledHistory::ToItems(google::protobuf::RepeatedPtrField<SampledHistoryItem>* items) const {
  for (const std::string& key : order_) {
    SampledHistoryItem* item = items->Add();
    item->set_key(key);
    const Series& s = series_.at(key);
    item->mutable_values()->Add(s.values.begin(), s.values.end());
  }
}

}  // namespace wandb::service
