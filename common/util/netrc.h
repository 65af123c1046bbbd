// The user's ~/.netrc, where `wandb login` keeps W&B API keys: `machine <host>`, `login user`,
// `password <key>`. Both processes' callers need it: the client and `wandb-cpp sync` read the
// key, `wandb-cpp login` writes it.
#ifndef WANDB_COMMON_UTIL_NETRC_H_
#define WANDB_COMMON_UTIL_NETRC_H_

#include <optional>
#include <string>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace wandb::netrc {

// $NETRC when set, else $HOME/.netrc; empty when neither is known.
std::string DefaultPath(const char* netrc_env, const char* home_env);

// The host a URL names, without scheme, port or path, as wandb 0.12 names the netrc machine:
// "https://api.wandb.ai" -> "api.wandb.ai", "http://127.0.0.1:8080/x" -> "127.0.0.1".
std::string HostOf(absl::string_view url);

// The password of `machine host` in the netrc text; nullopt when there is none.
std::optional<std::string> FindPassword(absl::string_view text, absl::string_view host);

// Reads `path` (a missing file is no entry) and returns the password for `host`.
absl::StatusOr<std::optional<std::string>> ReadPassword(const std::string& path,
                                                        absl::string_view host);

// The W&B API key for the server at `base_url`, where wandb looks for one: `api_key_env`
// (WANDB_API_KEY's value) when set, else the netrc entry (`netrc_env`, `home_env`: NETRC's and
// HOME's values, see DefaultPath) for the URL's host, else `settings_file_key` (the api_key of
// wandb's settings files, common/util/settings_file.h). nullopt when none has one; an error
// naming the file when the netrc file cannot be read.
absl::StatusOr<std::optional<std::string>> FindApiKey(
    absl::string_view base_url, const char* api_key_env, const char* netrc_env,
    const char* home_env, const std::optional<std::string>& settings_file_key = std::nullopt);

// Sets `machine host` to login `login`, password `password` in the file at `path`, keeping
// every other entry, and leaves the file with mode 0600 (written whole under a temporary
// name first, so a crash leaves the old file or the new one).
absl::Status WriteEntry(const std::string& path, absl::string_view host, absl::string_view login,
                        absl::string_view password);

}  // namespace wandb::netrc

#endif  // WANDB_COMMON_UTIL_NETRC_H_
