// A bounded, evenly spread sample of each numeric metric, for the sparklines that finish
// prints. Memory stays fixed however many rows a run logs: when a key's buffer fills, every
// other sample is dropped and only every 2^k-th value is kept from then on.
#ifndef WANDB_SERVICE_STREAM_SAMPLED_HISTORY_H_
#define WANDB_SERVICE_STREAM_SAMPLED_HISTORY_H_

#include <cstdint>
#include <string>
#include <vector>
#include "absl/strings/string_view.h"

#include "absl/container/flat_hash_map.h"
#include "wandb/service.pb.h"

namespace wandb::service {

class SampledHistory {
 public:
  static constexpr size_t kCapacity = 128;

  void Add(absl::string_view key, double value);
  // The same for a value as JSON text. Only the values kept are parsed, and values that are
  // not numbers are left out.
  void AddJson(absl::string_view key, absl::string_view value_json);
  void ToItems(google::protobuf::RepeatedPtrField<SampledHistoryItem>* items) const;

 private:
  struct Series {
    std::vector<double> values;
    uint64_t seen = 0;
    uint64_t stride = 1;
  };
  // The series under `key` when this value is one to keep, else nullptr.
  Series* Sample(absl::string_view key);
  static void Keep(Series& series, double value);

  std::vector<std::string> order_;
  absl::flat_hash_map<std::string, Series> series_;
};

}  // namespace wandb::service

#endif  // WANDB_SERVICE_STREAM_SAMPLED_HISTORY_H_
