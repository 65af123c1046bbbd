// How an internal absl::Status becomes the API's wandb::Error: the same code under the
// public enum's name, so a program can branch on it (ErrorCode's meanings are absl's).
#ifndef WANDB_CLIENT_SRC_STATUS_ERROR_H_
#define WANDB_CLIENT_SRC_STATUS_ERROR_H_

#include <string>

#include "absl/status/status.h"
#include "wandb/error.h"

namespace wandb::internal {

// Codes the API does not name (kPermissionDenied, kDataLoss, ...) are kInternal.
ErrorCode ErrorCodeOf(const absl::Status& status);

// Throws wandb::Error with `prefix` + the status's message and its code. `status` is not OK.
[[noreturn]] void ThrowError(const absl::Status& status, const std::string& prefix = "");

}  // namespace wandb::internal

#endif  // WANDB_CLIENT_SRC_STATUS_ERROR_H_
