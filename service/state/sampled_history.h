// A bounded, evenly spread sample of each numeric metric, for the sparklines that finish
// prints. Memory stays fixed however many rows a run logs: when a key's buffer fills, every
// other sample is dropped and only every 2^k-th value is kept from then on.
#ifndef WANDB_SERVICE_STATE_SAMPLED_HISTORY_H_
#define WANDB_SERVICE_STATE_SAMPLED_HISTORY_H_

#include <cstdint>
#include <string>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/strings/string_view.h"
#include "common/ipc/history_wire.h"
#include "wandb/service.pb.h"

namespace wandb::service {

class SampledHistory {
 public:
  static constexpr size_t kCapacity = 128;

  void Add(absl::string_view key, double value);
  // Adds the values of a history row, given as JSON text: only the values kept are parsed,
  // values that are not numbers are left out, and so are keys starting with '_'. A row
  // whose keys sit where the previous row's did finds its series without hashing.
  void AddRow(const std::vector<history_wire::ItemView>& items);
  void ToItems(google::protobuf::RepeatedPtrField<SampledHistoryItem>* items) const;

 private:
  struct Series {
    std::string key;
    std::vector<double> values;
    uint64_t seen = 0;
    uint64_t stride = 1;
  };
  static constexpr size_t kNone = ~size_t{0};

  size_t IndexOf(absl::string_view key);
  // The series at `index` when this value is one to keep, else nullptr.
  Series* Sample(size_t index);
  static void Keep(Series& series, double value);

  std::vector<Series> series_;  // in the order keys were first seen
  absl::flat_hash_map<std::string, size_t> index_;
  std::vector<size_t> last_row_;  // the series of each item of the last row, or kNone
};

}  // namespace wandb::service

#endif  // WANDB_SERVICE_STATE_SAMPLED_HISTORY_H_
