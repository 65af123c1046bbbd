// Where the user's local store lives (service/store): a path both processes compute.
#ifndef WANDB_COMMON_RUN_STORE_LOCATION_H_
#define WANDB_COMMON_RUN_STORE_LOCATION_H_

#include <cstdlib>
#include <functional>
#include <string>

#include "absl/status/statusor.h"

namespace wandb {

// $WANDB_CPP_STORE_DIR, else $XDG_DATA_HOME/wandb-cpp/store (when absolute), else
// $HOME/.local/share/wandb-cpp/store (HOME from the password database when unset).
// `env` reads the environment (tests pass their own).
absl::StatusOr<std::string> DefaultStoreDir(
    const std::function<const char*(const char*)>& env = std::getenv);

}  // namespace wandb

#endif  // WANDB_COMMON_RUN_STORE_LOCATION_H_
