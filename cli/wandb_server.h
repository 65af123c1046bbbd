// The W&B server a command talks to, and the key it uses, found as the library finds them
// for an online run: the URL from --host, else WANDB_BASE_URL, else W&B's cloud; the key from
// WANDB_API_KEY, else the ~/.netrc entry for the URL's host (what `wandb-cpp login` wrote).
#ifndef WANDB_CLI_WANDB_SERVER_H_
#define WANDB_CLI_WANDB_SERVER_H_

#include <string>

#include "absl/status/statusor.h"

namespace wandb::cli {

inline constexpr char kDefaultWandbUrl[] = "https://api.wandb.ai";

// `host`, else WANDB_BASE_URL, else kDefaultWandbUrl; without trailing '/'.
std::string WandbServerUrl(const std::string& host);

// NotFound, saying how to log in, when there is no key for `base_url`.
absl::StatusOr<std::string> WandbApiKey(const std::string& base_url);

}  // namespace wandb::cli

#endif  // WANDB_CLI_WANDB_SERVER_H_
