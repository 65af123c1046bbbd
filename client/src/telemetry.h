// The run's telemetry, as wandb's: which features a run used, sent to the daemon as
// TelemetryRecords (the daemon keeps their union, in the log and in config.yaml's _wandb.t).
// Each feature is sent once, the first time it is used; checking costs a relaxed load.
#ifndef WANDB_CLIENT_SRC_TELEMETRY_H_
#define WANDB_CLIENT_SRC_TELEMETRY_H_

#include <array>
#include <atomic>

#include "client/src/settings_resolver.h"
#include "wandb/records.pb.h"

namespace wandb::internal {

// Features noted while the run is live (those of init() go in the RunRecord).
enum class Feature { kFinish, kSave, kSetConfigItem, kSetStepLog, kSetSummary, kResumed };

class FeatureUsage {
 public:
  // True only for the first call with `feature`: the caller then sends TelemetryFor(feature).
  bool NoteFirst(Feature feature) {
    std::atomic<bool>& flag = used_[static_cast<size_t>(feature)];
    return !flag.load(std::memory_order_relaxed) && !flag.exchange(true);
  }

 private:
  std::array<std::atomic<bool>, static_cast<size_t>(Feature::kResumed) + 1> used_{};
};

// A TelemetryRecord naming `feature` alone.
records::TelemetryRecord TelemetryFor(Feature feature);

// What init() was given, for the RunRecord's telemetry.
records::TelemetryRecord InitTelemetry(const ResolvedSettings& settings);

}  // namespace wandb::internal

#endif  // WANDB_CLIENT_SRC_TELEMETRY_H_
