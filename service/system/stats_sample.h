// One reading of the system metrics, as wandb's stats thread takes it: keys in wandb's
// order, each a number (averaged when a StatsRecord is made) or JSON that is not (wandb's
// `network` dict, reported as it is at that moment).
#ifndef WANDB_SERVICE_SYSTEM_STATS_SAMPLE_H_
#define WANDB_SERVICE_SYSTEM_STATS_SAMPLE_H_

#include <string>
#include <vector>

namespace wandb::service {

struct StatsEntry {
  std::string key;    // wandb's raw name: "cpu", "gpu.0.temp", ... (no "system." prefix)
  double number = 0;  // the value, when `json` is empty
  std::string json;   // a value that is not a number, already encoded
};

using StatsSample = std::vector<StatsEntry>;

}  // namespace wandb::service

#endif  // WANDB_SERVICE_SYSTEM_STATS_SAMPLE_H_
