#include "client/src/service_launcher.h"

#include <dlfcn.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"

extern char** environ;

namespace wandb::internal {
namespace {

bool IsExecutable(const std::string& path) { return access(path.c_str(), X_OK) == 0; }

// The directory of the binary that holds this code: libwandb.so, or the program it is
// statically linked into.
std::string OwnDirectory() {
  Dl_info info{};
  if (dladdr(reinterpret_cast<void*>(&OwnDirectory), &info) == 0 || info.dli_fname == nullptr) {
    return "";
  }
  std::error_code ec;
  std::filesystem::path self = std::filesystem::canonical(info.dli_fname, ec);
  return ec ? "" : self.parent_path().string();
}

// The environment the daemon starts with: ours without the API key. The daemon outlives this
// process and serves other runs; it learns each online run's key from that run's StartRun.
std::vector<char*> DaemonEnvironment() {
  std::vector<char*> env;
  for (char** e = environ; *e != nullptr; ++e) {
    if (absl::StartsWith(*e, "WANDB_API_KEY=")) continue;
    env.push_back(*e);
  }
  env.push_back(nullptr);
  return env;
}

}  // namespace

absl::StatusOr<std::string> FindServiceBinary() {
  if (const char* env = std::getenv("WANDB_CPP_SERVICE_PATH"); env != nullptr && *env != '\0') {
    if (IsExecutable(env)) return std::string(env);
    return absl::NotFoundError(
        absl::StrCat("WANDB_CPP_SERVICE_PATH=", env, " is not an executable file"));
  }
  std::vector<std::string> tried;
  if (std::string own = OwnDirectory(); !own.empty()) {
    for (const char* rel : {"", "/../bin", "/../libexec/wandb-cpp"}) {
      std::string candidate = absl::StrCat(own, rel, "/wandb-service");
      if (IsExecutable(candidate)) return candidate;
      tried.push_back(candidate);
    }
  }
  const char* path = std::getenv("PATH");
  for (absl::string_view dir : absl::StrSplit(path ? path : "", ':', absl::SkipEmpty())) {
    std::string candidate = absl::StrCat(dir, "/wandb-service");
    if (IsExecutable(candidate)) return candidate;
  }
  return absl::NotFoundError(absl::StrCat(
      "cannot find the wandb-service binary (looked beside libwandb: ", absl::StrJoin(tried, ", "),
      ", and on PATH); set WANDB_CPP_SERVICE_PATH"));
}

absl::Status LaunchService(const ServiceEndpoint& endpoint) {
  absl::StatusOr<std::string> binary = FindServiceBinary();
  if (!binary.ok()) return binary.status();
  std::vector<std::string> args = {*binary, "--detach", "--service-dir", endpoint.dir};
  std::vector<char*> argv;
  for (std::string& a : args) argv.push_back(a.data());
  argv.push_back(nullptr);
  // posix_spawn, never fork: forking a process whose gRPC threads are running is unsafe.
  pid_t pid = -1;
  std::vector<char*> env = DaemonEnvironment();
  int rc = posix_spawn(&pid, binary->c_str(), nullptr, nullptr, argv.data(), env.data());
  if (rc != 0) {
    return absl::UnavailableError(absl::StrCat("cannot start ", *binary, ": ", strerror(rc)));
  }
  int status = 0;
  while (waitpid(pid, &status, 0) < 0 && errno == EINTR) {
  }
  if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
    return absl::UnavailableError(
        absl::StrCat(*binary, " failed to start; see ", endpoint.log_path));
  }
  return absl::OkStatus();
}

}  // namespace wandb::internal
