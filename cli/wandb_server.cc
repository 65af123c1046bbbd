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
  absl::StatusOr<std::optional<std::string>> found = netrc::FindApiKey(
      base_url, std::getenv("WANDB_API_KEY"), std::getenv("NETRC"), std::getenv("HOME"));
  if (!found.ok()) return found.status();
  if (found->has_value()) return **found;
  return absl::NotFoundError(
      absl::StrCat("no API key for ", base_url, ": run `wandb-cpp login` (or set WANDB_API_KEY)"));
}

}  // namespace wandb::cli
