#include "cli/wandb_server.h"

#include <cstdlib>
#include <optional>

#include "absl/strings/str_cat.h"
#include "common/util/netrc.h"

namespace wandb::cli {

std::string WandbServerUrl(const std::string& host) {
  std::string url = host;
  if (url.empty()) {
    const char* env = std::getenv("WANDB_BASE_URL");
    url = env != nullptr && *env != '\0' ? env : kDefaultWandbUrl;
  }
  while (!url.empty() && url.back() == '/') url.pop_back();
  return url;
}

absl::StatusOr<std::string> WandbApiKey(const std::string& base_url) {
  if (const char* key = std::getenv("WANDB_API_KEY"); key != nullptr && *key != '\0') return key;
  const std::string path = netrc::DefaultPath(std::getenv("NETRC"), std::getenv("HOME"));
  absl::StatusOr<std::optional<std::string>> found =
      netrc::ReadPassword(path, netrc::HostOf(base_url));
  if (found.ok() && found->has_value()) return **found;
  return absl::NotFoundError(
      absl::StrCat("no API key for ", base_url, ": run `wandb-cpp login` (or set WANDB_API_KEY)"));
}

}  // namespace wandb::cli
