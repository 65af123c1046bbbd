// What a run used (wandb's telemetry): the union of every TelemetryRecord the run wrote, and
// its encoding for config.yaml's `_wandb.t`, keyed by proto field number as wandb encodes it:
//
//   t:
//     3: [2, 3, 23, 57]      # a message of flags: the numbers of the flags that are set
//     5: wandb-cpp 0.1.0     # a string: its value
//     9: {1: my-code}        # a message of strings: number -> value
#ifndef WANDB_SERVICE_STREAM_TELEMETRY_STATE_H_
#define WANDB_SERVICE_STREAM_TELEMETRY_STATE_H_

#include "wandb/records.pb.h"
#include "wandb/value.h"

namespace wandb::service {

class TelemetryState {
 public:
  // Adds what `record` names; returns true when that changed anything.
  bool Merge(const records::TelemetryRecord& record);

  const records::TelemetryRecord& record() const { return record_; }
  // The `_wandb.t` value.
  Value Encoded() const;

 private:
  records::TelemetryRecord record_;
};

}  // namespace wandb::service

#endif  // WANDB_SERVICE_STREAM_TELEMETRY_STATE_H_
