// The W&B server a command talks to, and the key and CA file it uses, found as the library
// finds them for an online run: the URL from --host, else WANDB_BASE_URL, else base_url in
// wandb's settings files, else W&B's cloud; the key from WANDB_API_KEY, else the ~/.netrc
// entry for the URL's host (what `wandb-cpp login` wrote), else api_key in the settings
// files; the CA file from REQUESTS_CA_BUNDLE, CURL_CA_BUNDLE or SSL_CERT_FILE. The settings
// files are $WANDB_CONFIG_DIR/settings (default ~/.config/wandb/settings) and, over it,
// <WANDB_DIR or the working directory>/wandb/settings (common/util/settings_file.h).
#ifndef WANDB_CLI_WANDB_SERVER_H_
#define WANDB_CLI_WANDB_SERVER_H_

#include <string>

#include "absl/status/statusor.h"

namespace wandb::cli {

inline constexpr char kDefaultWandbUrl[] = "https://api.wandb.ai";

// wandb's global settings file, where `wandb-cpp login --host` keeps base_url; "" when
// neither WANDB_CONFIG_DIR nor HOME is set.
std::string GlobalSettingsPath();
// The workspace's settings file: <WANDB_DIR, else the working directory>/wandb/settings.
std::string WorkspaceSettingsPath();

// `host`, else WANDB_BASE_URL, else the settings files' base_url, else kDefaultWandbUrl;
// without trailing '/'. An error when a settings file cannot be read.
absl::StatusOr<std::string> WandbServerUrl(const std::string& host);

// NotFound, saying how to log in, when there is no key for `base_url`.
absl::StatusOr<std::string> WandbApiKey(const std::string& base_url);

// The CA file HTTPS is verified against (absolute), "" for the system's; an error naming the
// variable when the file it names cannot serve.
absl::StatusOr<std::string> WandbCaFile();

}  // namespace wandb::cli

#endif  // WANDB_CLI_WANDB_SERVER_H_
