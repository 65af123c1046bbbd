// wandb 0.12's averaging of system metrics (reference section 12, trap 20): samples
// accumulate; a StatsRecord then holds, for each numeric key of one more sample taken at
// that moment, the mean of the accumulated samples rounded to 2 decimals. That last sample's
// own numbers are not in the mean; its values that are not numbers (the `network` dict) are
// reported as they are.
#ifndef WANDB_SERVICE_SYSTEM_STATS_AVERAGER_H_
#define WANDB_SERVICE_SYSTEM_STATS_AVERAGER_H_

#include <string>

#include "absl/container/flat_hash_map.h"
#include "absl/time/time.h"
#include "service/system/stats_sample.h"
#include "wandb/records.pb.h"

namespace wandb::service {

class StatsAverager {
 public:
  void Add(const StatsSample& sample);
  int samples() const { return samples_; }

  // The record for `flush_sample` taken at `timestamp`, in its key order; then starts over.
  // A numeric key no accumulated sample had keeps flush_sample's value, as in wandb.
  records::StatsRecord Flush(const StatsSample& flush_sample, absl::Time timestamp);

 private:
  struct Sum {
    double total = 0;
    int count = 0;
  };
  absl::flat_hash_map<std::string, Sum> sums_;
  int samples_ = 0;
};

}  // namespace wandb::service

#endif  // WANDB_SERVICE_SYSTEM_STATS_AVERAGER_H_
