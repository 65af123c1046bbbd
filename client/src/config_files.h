// Config files merged into a run's initial config, as wandb does: `config-defaults.yaml` in the
// working directory, then the comma-separated files of WANDB_CONFIG_PATHS. Both may be in
// config.yaml's own format ({key: {desc, value}}) or plain {key: value} YAML.
#ifndef WANDB_CLIENT_SRC_CONFIG_FILES_H_
#define WANDB_CLIENT_SRC_CONFIG_FILES_H_

#include <string>

#include "absl/status/statusor.h"
#include "wandb/value.h"

namespace wandb::internal {

// The top-level keys of the YAML file at `path`; wandb_version and _wandb are skipped.
absl::StatusOr<Value::Map> LoadConfigFile(const std::string& path);

// `config-defaults.yaml` in `cwd` when it exists, then each file of `config_paths` (comma-
// separated), later files overriding earlier ones.
absl::StatusOr<Value::Map> LoadConfigDefaults(const std::string& cwd,
                                              const std::string& config_paths);

}  // namespace wandb::internal

#endif  // WANDB_CLIENT_SRC_CONFIG_FILES_H_
