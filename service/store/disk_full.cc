#include "service/store/disk_full.h"

#include <cerrno>
#include <cstring>

#include "absl/strings/match.h"

namespace wandb::store {

bool IsDiskFull(const absl::Status& status) {
  if (!absl::IsResourceExhausted(status)) return false;
  const absl::string_view message = status.message();
  return absl::StrContains(message, "database or disk is full") ||
         absl::StrContains(message, std::strerror(ENOSPC)) ||
         absl::StrContains(message, std::strerror(EDQUOT));
}

}  // namespace wandb::store
