#ifndef WANDB_ERROR_H_
#define WANDB_ERROR_H_

#include <stdexcept>
#include <string>

#include "wandb/internal/api_begin.h"

namespace wandb {

// Misuse of the API: logging before init or after finish, changing a config key without
// allow_val_change, a daemon that cannot be started at init. Invalid data (a bad key or
// value) throws std::invalid_argument instead, naming the key.
class WANDB_API Error : public std::runtime_error {
 public:
  explicit Error(const std::string& what) : std::runtime_error(what) {}
};

}  // namespace wandb

#include "wandb/internal/api_end.h"

#endif  // WANDB_ERROR_H_
