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
  void ToItems(google::protobuf::RepeatedPtrField<SampledHistoryItem>* items) const;

 private:
  struct Series {
    std::vector<double> values;
    uint64_t seen = 0;
    uint64_t stride = 1;
  };
  std::vector<std::string> order_;
  absl::flat_hash_map<std::string, Series> series_;
};

}  // namespace wandb::service

#endif  // WANDB_SERVICE_STREAM_SAMPLED_HISTORY_H_
