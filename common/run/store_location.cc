#include "common/run/store_location.h"

#include <pwd.h>
#include <unistd.h>

#include <cstdlib>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"

namespace wandb {

absl::StatusOr<std::string> DefaultStoreDir(const std::function<const char*(const char*)>& env) {
  if (const char* dir = env("WANDB_CPP_STORE_DIR"); dir != nullptr && *dir != '\0') {
    return std::string(dir);
  }
  // The XDG spec says a relative XDG_DATA_HOME is to be ignored.
  if (const char* data = env("XDG_DATA_HOME"); data != nullptr && data[0] == '/') {
    return absl::StrCat(data, "/wandb-cpp/store");
  }
  std::string home;
  if (const char* home_env = env("HOME"); home_env != nullptr && *home_env != '\0') {
    home = home_env;
  } else {
    passwd entry;
    passwd* result = nullptr;
    std::vector<char> buffer(16384);
    if (getpwuid_r(geteuid(), &entry, buffer.data(), buffer.size(), &result) == 0 &&
        result != nullptr && result->pw_dir != nullptr) {
      home = result->pw_dir;
    }
  }
  if (home.empty()) {
    return absl::FailedPreconditionError(
        "cannot find a home directory for the local store: set WANDB_CPP_STORE_DIR");
  }
  return absl::StrCat(home, "/.local/share/wandb-cpp/store");
}

}  // namespace wandb
