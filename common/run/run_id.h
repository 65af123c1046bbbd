#ifndef WANDB_COMMON_RUN_RUN_ID_H_
#define WANDB_COMMON_RUN_RUN_ID_H_

#include <string>
#include "absl/strings/string_view.h"

#include "absl/status/status.h"

namespace wandb {

// 8 characters of [0-9a-z], as wandb generates them.
std::string GenerateRunId();

// A user-given id names a directory and a log file, so it must be a safe path component:
// 1-64 characters of [A-Za-z0-9_-.], not "." or "..".
absl::Status ValidateRunId(absl::string_view id);

}  // namespace wandb

#endif  // WANDB_COMMON_RUN_RUN_ID_H_
