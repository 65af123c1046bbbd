#include "client/src/process_info.h"

#include <pwd.h>
#include <unistd.h>

#include <filesystem>
#include <string>

#include "common/protocol.h"
#include "common/util/process_start.h"
#include "common/util/read_file.h"
#include "wandb/wandb.h"

// After wandb.h, which undefines the macro at its end: libwandb's own compiler.
#include "wandb/internal/compiler.h"

namespace wandb::internal {
namespace {

// When this process started (0 when unknown): what the daemon compares with the process it
// finds under the pid, to tell this process from a later one with the same pid.
int64_t OwnStartUnixMs() {
  absl::StatusOr<std::optional<int64_t>> started = wandb::ProcessStartUnixMs("self");
  return started.ok() && started->has_value() ? **started : 0;
}

}  // namespace

service::ProcessInfo CurrentProcessInfo() {
  service::ProcessInfo info;
  info.set_pid(getpid());
  std::string cmdline = ReadFileToString("/proc/self/cmdline").value_or("");
  size_t start = 0;
  bool first = true;
  while (start < cmdline.size()) {
    size_t end = cmdline.find('\0', start);
    if (end == std::string::npos) end = cmdline.size();
    std::string arg = cmdline.substr(start, end - start);
    if (first) {
      info.set_program(arg);
      first = false;
    } else {
      info.add_args(arg);
    }
    start = end + 1;
  }
  std::error_code ec;
  info.set_executable(std::filesystem::read_symlink("/proc/self/exe", ec).string());
  info.set_cwd(std::filesystem::current_path(ec).string());
  if (passwd* pw = getpwuid(getuid()); pw != nullptr) info.set_username(pw->pw_name);
  info.set_started_at_unix_ms(OwnStartUnixMs());
  service::BuildInfo* build = info.mutable_build();
  build->set_libwandb_version(kVersion);
  build->set_libwandb_compiler(WANDB_INTERNAL_COMPILER);
  build->set_libwandb_cplusplus(__cplusplus);
  build->set_libwandb_build_type(WANDB_CPP_BUILD_TYPE);
  return info;
}

}  // namespace wandb::internal
