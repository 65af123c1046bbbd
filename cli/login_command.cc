#include "cli/login_command.h"

#include <cstdlib>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "cli/output.h"
#include "cli/wandb_server.h"
#include "common/util/netrc.h"
#include "common/util/settings_file.h"
#include "service/backend/wandb_api.h"

namespace wandb::cli {

CLI::App* AddLoginCommand(CLI::App& app, LoginOptions* options) {
  CLI::App* command = app.add_subcommand("login", "check a W&B API key and save it in ~/.netrc");
  command->add_option("key", options->key, "the API key (read from stdin when left out)");
  command->add_option(
      "--host", options->host,
      "the W&B server's API URL (default WANDB_BASE_URL, else base_url in wandb's settings "
      "file, else https://api.wandb.ai); saved as base_url in wandb's settings file");
  command->add_flag("--relogin", options->relogin,
                    "ask for a key even when one for this server works already");
  return command;
}

namespace {

// Whether the key this machine has for `base_url` (WANDB_API_KEY, else ~/.netrc, else the
// settings file) works: then a login without a key has nothing to do, as `wandb login` says.
bool AlreadyLoggedIn(const std::string& base_url, const std::string& ca_file, std::ostream& out) {
  absl::StatusOr<std::string> key = WandbApiKey(base_url);
  if (!key.ok()) return false;
  absl::StatusOr<service::Viewer> viewer = service::WandbApi(base_url, *key, ca_file).QueryViewer();
  if (!viewer.ok()) return false;  // a refused or unreachable key: ask for another
  out << "Already logged in to " << base_url << " as " << viewer->entity
      << "; `wandb-cpp login --relogin` uses another key\n";
  return true;
}

// As wandb's login: --host goes into the global settings file's [default] base_url, where
// later runs and commands find it; --host of W&B's cloud clears it there (and in the
// workspace's file, if there is one). Without --host nothing changes.
absl::Status SaveHost(const LoginOptions& options, const std::string& base_url, std::ostream& out) {
  if (options.host.empty()) return absl::OkStatus();
  const std::string global = GlobalSettingsPath();
  if (base_url == kDefaultWandbUrl) {
    if (absl::Status s = settings_file::Remove(global, settings_file::kDefaultSection, "base_url");
        !s.ok()) {
      return s;
    }
    return settings_file::Remove(WorkspaceSettingsPath(), settings_file::kDefaultSection,
                                 "base_url");
  }
  if (absl::Status s =
          settings_file::Set(global, settings_file::kDefaultSection, "base_url", base_url);
      !s.ok()) {
    return s;
  }
  out << "Saved base_url = " << base_url << " in " << global
      << ": online runs and wandb-cpp sync go there by default\n";
  return absl::OkStatus();
}

}  // namespace

int RunLogin(const LoginOptions& options, std::istream& in, std::ostream& out, std::ostream& err) {
  absl::StatusOr<std::string> server = WandbServerUrl(options.host);
  if (!server.ok()) {
    err << "wandb-cpp login: " << server.status().message() << "\n";
    return kExitFailure;
  }
  const std::string& base_url = *server;
  if (!absl::StartsWith(base_url, "https://") && !absl::StartsWith(base_url, "http://")) {
    err << "wandb-cpp login: --host " << base_url << " must start with https:// or http://\n";
    return kExitUsage;
  }
  absl::StatusOr<std::string> ca_file = WandbCaFile();
  if (!ca_file.ok()) {
    err << "wandb-cpp login: " << ca_file.status().message() << "\n";
    return kExitFailure;
  }
  std::string key = options.key;
  if (key.empty() && !options.relogin && AlreadyLoggedIn(base_url, *ca_file, out)) {
    if (absl::Status s = SaveHost(options, base_url, out); !s.ok()) {
      err << "wandb-cpp login: " << s.message() << "\n";
      return kExitFailure;
    }
    return kExitOk;
  }
  if (key.empty()) {
    err << "Paste an API key from "
        << (base_url == kDefaultWandbUrl ? "https://wandb.ai" : base_url)
        << "/authorize and press Enter:\n";
    std::getline(in, key);
  }
  key = std::string(absl::StripAsciiWhitespace(key));
  if (key.empty()) {
    err << "wandb-cpp login: no API key given\n";
    return kExitUsage;
  }
  service::WandbApi api(base_url, key, *ca_file);
  absl::StatusOr<service::Viewer> viewer = api.QueryViewer();
  if (!viewer.ok()) {
    err << "wandb-cpp login: " << viewer.status().message() << "; nothing saved\n";
    return kExitFailure;
  }
  std::string path = netrc::DefaultPath(std::getenv("NETRC"), std::getenv("HOME"));
  std::string host = netrc::HostOf(base_url);
  if (absl::Status s = netrc::WriteEntry(path, host, "user", key); !s.ok()) {
    err << "wandb-cpp login: " << s.message() << "\n";
    return kExitFailure;
  }
  out << "Logged in to " << base_url << " as " << viewer->entity << "; the key is in " << path
      << " (machine " << host << ")\n";
  if (absl::Status s = SaveHost(options, base_url, out); !s.ok()) {
    err << "wandb-cpp login: " << s.message() << "\n";
    return kExitFailure;
  }
  return kExitOk;
}

}  // namespace wandb::cli
