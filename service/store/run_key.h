// The name of one run in the local store: entity/project/id, unique per store.
#ifndef WANDB_SERVICE_STORE_RUN_KEY_H_
#define WANDB_SERVICE_STORE_RUN_KEY_H_

#include <string>

#include "absl/status/status.h"

namespace wandb::store {

// None of the parts may be empty, over 256 bytes, or contain '/' or a control character.
struct RunKey {
  std::string entity;
  std::string project;
  std::string id;

  std::string ToString() const;  // "entity/project/id", as wandb writes a run path
  // InvalidArgument naming the part that breaks the rules above.
  absl::Status Validate() const;
  friend bool operator==(const RunKey&, const RunKey&) = default;
};

}  // namespace wandb::store

#endif  // WANDB_SERVICE_STORE_RUN_KEY_H_
