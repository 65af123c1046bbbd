#include "client/src/process_info.h"

#include <pwd.h>
#include <unistd.h>

#include <filesystem>
#include <string>

#include "absl/strings/numbers.h"
#include "absl/strings/str_split.h"
#include "common/protocol.h"
#include "common/util/read_file.h"
#include "wandb/wandb.h"

// After wandb.h, which undefines the macro at its end: libwandb's own compiler.
#include "wandb/internal/compiler.h"

namespace wandb::internal {
namespace {

// When this process started, from /proc: its start in clock ticks after boot (field 22 of
// /proc/self/stat) plus the boot time (btime in /proc/stat). 0 when unknown.
int64_t ProcessStartUnixMs() {
  std::string stat = ReadFileToString("/proc/self/stat").value_or("");
  size_t comm_end = stat.rfind(')');  // the command name may hold spaces and parentheses
  if (comm_end == std::string::npos) return 0;
  std::vector<absl::string_view> fields =
      absl::StrSplit(absl::string_view(stat).substr(comm_end + 2), ' ');
  uint64_t start_ticks = 0;
  if (fields.size() < 20 || !absl::SimpleAtoi(fields[19], &start_ticks)) return 0;
  std::string system = ReadFileToString("/proc/stat").value_or("");
  size_t at = system.find("\nbtime ");
  if (at == std::string::npos) return 0;
  at += 7;
  uint64_t boot = 0;
  if (!absl::SimpleAtoi(absl::string_view(system).substr(at, system.find('\n', at) - at), &boot)) {
    return 0;
  }
  long ticks = sysconf(_SC_CLK_TCK);
  if (ticks <= 0) return 0;
  return static_cast<int64_t>(boot) * 1000 + static_cast<int64_t>(start_ticks) * 1000 / ticks;
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
  info.set_started_at_unix_ms(ProcessStartUnixMs());
  service::BuildInfo* build = info.mutable_build();
  build->set_libwandb_version(kVersion);
  build->set_libwandb_compiler(WANDB_INTERNAL_COMPILER);
  build->set_libwandb_cplusplus(__cplusplus);
  build->set_libwandb_build_type(WANDB_CPP_BUILD_TYPE);
  return info;
}

}  // namespace wandb::internal
