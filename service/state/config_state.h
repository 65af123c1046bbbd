// The run's consolidated config, and its rendering as wandb's files/config.yaml:
//
//   wandb_version: 1
//
//   <key>:
//     desc: null
//     value: <value>
//
// with keys sorted at every level, as PyYAML's safe_dump writes them.
#ifndef WANDB_SERVICE_STATE_CONFIG_STATE_H_
#define WANDB_SERVICE_STATE_CONFIG_STATE_H_

#include <string>

#include "absl/status/status.h"
#include "wandb/records.pb.h"
#include "wandb/value.h"

namespace wandb::service {

class ConfigState {
 public:
  // Applies updates and removals; a malformed item is skipped and reported.
  absl::Status Apply(const records::ConfigRecord& record);

  // `wandb_meta` is written under the reserved `_wandb` key (versions, start time).
  std::string ToYaml(const Value& wandb_meta) const;

  const Value& values() const { return values_; }

 private:
  Value values_ = Value(Value::Map());
};

// A Value as YAML in safe_dump's style (exposed for tests).
std::string RenderYaml(const Value& document);

}  // namespace wandb::service

#endif  // WANDB_SERVICE_STATE_CONFIG_STATE_H_
