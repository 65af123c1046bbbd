#include "client/src/status_error.h"

#include <cassert>

namespace wandb::internal {

ErrorCode ErrorCodeOf(const absl::Status& status) {
  switch (status.code()) {
    case absl::StatusCode::kInvalidArgument:
      return ErrorCode::kInvalidArgument;
    case absl::StatusCode::kFailedPrecondition:
      return ErrorCode::kFailedPrecondition;
    case absl::StatusCode::kNotFound:
      return ErrorCode::kNotFound;
    case absl::StatusCode::kAlreadyExists:
      return ErrorCode::kAlreadyExists;
    case absl::StatusCode::kUnavailable:
      return ErrorCode::kUnavailable;
    case absl::StatusCode::kDeadlineExceeded:
      return ErrorCode::kDeadlineExceeded;
    default:
      return ErrorCode::kInternal;
  }
}

void ThrowError(const absl::Status& status, const std::string& prefix) {
  assert(!status.ok());
  throw Error(prefix + std::string(status.message()), ErrorCodeOf(status));
}

}  // namespace wandb::internal
