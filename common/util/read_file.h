#ifndef WANDB_COMMON_UTIL_READ_FILE_H_
#define WANDB_COMMON_UTIL_READ_FILE_H_

#include <cstddef>
#include <string>

#include "absl/status/statusor.h"

namespace wandb {

// The whole file, read with read(2). Unlike std::ifstream it never throws: /proc files of a
// process that exits while being read fail with ESRCH, and that must be an error, not a crash.
// NotFound means the file (or the process) is gone; other failures are Internal.
absl::StatusOr<std::string> ReadFileToString(const std::string& path);
// At most the first `max_bytes` of the file (fewer when it is shorter); errors as above.
absl::StatusOr<std::string> ReadFilePrefix(const std::string& path, size_t max_bytes);

}  // namespace wandb

#endif  // WANDB_COMMON_UTIL_READ_FILE_H_
