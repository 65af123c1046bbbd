#include "service/system/stats_averager.h"

#include <cmath>

#include "common/value/json.h"

namespace wandb::service {

void StatsAverager::Add(const StatsSample& sample) {
  for (const StatsEntry& entry : sample) {
    if (!entry.json.empty()) continue;  // not a number: never averaged
    Sum& sum = sums_[entry.key];
    sum.total += entry.number;
    ++sum.count;
  }
  ++samples_;
}

records::StatsRecord StatsAverager::Flush(const StatsSample& flush_sample, absl::Time timestamp) {
  records::StatsRecord record;
  record.set_stats_type(records::StatsRecord::SYSTEM);
  absl::Duration since_epoch = timestamp - absl::UnixEpoch();
  int64_t seconds = absl::ToInt64Seconds(since_epoch);
  record.mutable_timestamp()->set_seconds(seconds);
  record.mutable_timestamp()->set_nanos(
      static_cast<int32_t>(absl::ToInt64Nanoseconds(since_epoch - absl::Seconds(seconds))));
  for (const StatsEntry& entry : flush_sample) {
    records::StatsItem* item = record.add_item();
    item->set_key(entry.key);
    if (!entry.json.empty()) {
      item->set_value_json(entry.json);
      continue;
    }
    double value = entry.number;
    if (auto it = sums_.find(entry.key); it != sums_.end() && it->second.count > 0) {
      value = it->second.total / it->second.count;
    }
    // Python's round(mean, 2): always a float, so 4 threads read "4.0".
    json::AppendDouble(std::round(value * 100) / 100, item->mutable_value_json());
  }
  sums_.clear();
  samples_ = 0;
  return record;
}

}  // namespace wandb::service
