#include "cli/wandb_server.h"

#include <cstdlib>
#include <filesystem>
#include <optional>

#include "absl/strings/str_cat.h"
#include "common/util/ca_file.h"
#include "common/util/netrc.h"
#include "common/util/settings_file.h"

namespace wandb::cli {
namespace {

const char* Env(const char* name) {
  const char* value = std::getenv(name);
  return value != nullptr && *value != '\0' ? value : nullptr;
}

// The [default] section of the settings files (the workspace's over the global one).
absl::StatusOr<settings_file::Section> SettingsFiles() {
  absl::StatusOr<settings_file::Section> values =
      settings_file::ReadDefaults(GlobalSettingsPath(), WorkspaceSettingsPath());
  if (!values.ok()) {
    return absl::Status(values.status().code(),
                        absl::StrCat("wandb's settings file: ", values.status().message()));
  }
  return values;
}

}  // namespace

std::string GlobalSettingsPath() {
  return settings_file::GlobalPath(std::getenv("WANDB_CONFIG_DIR"), std::getenv("HOME"));
}

std::string WorkspaceSettingsPath() {
  if (const char* dir = Env("WANDB_DIR"); dir != nullptr) {
    return settings_file::WorkspacePath(dir);
  }
  std::error_code ec;
  return settings_file::WorkspacePath(std::filesystem::current_path(ec).string());
}

absl::StatusOr<std::string> WandbServerUrl(const std::string& host) {
  std::string url = host;
  if (url.empty() && Env("WANDB_BASE_URL") != nullptr) url = Env("WANDB_BASE_URL");
  if (url.empty()) {
    absl::StatusOr<settings_file::Section> settings = SettingsFiles();
    if (!settings.ok()) return settings.status();
    auto it = settings->find("base_url");
    url = it != settings->end() && !it->second.empty() ? it->second : kDefaultWandbUrl;
  }
  while (!url.empty() && url.back() == '/') url.pop_back();
  return url;
}

absl::StatusOr<std::string> WandbApiKey(const std::string& base_url) {
  absl::StatusOr<settings_file::Section> settings = SettingsFiles();
  if (!settings.ok()) return settings.status();
  std::optional<std::string> settings_key;
  if (auto it = settings->find("api_key"); it != settings->end()) settings_key = it->second;
  absl::StatusOr<std::optional<std::string>> found =
      netrc::FindApiKey(base_url, std::getenv("WANDB_API_KEY"), std::getenv("NETRC"),
                        std::getenv("HOME"), settings_key);
  if (!found.ok()) return found.status();
  if (found->has_value()) return **found;
  return absl::NotFoundError(
      absl::StrCat("no API key for ", base_url, ": run `wandb-cpp login` (or set WANDB_API_KEY)"));
}

absl::StatusOr<std::string> WandbCaFile() {
  return tls::ResolveCaFile(std::nullopt, [](const char* name) { return std::getenv(name); });
}

}  // namespace wandb::cli
