#include "client/src/process_info.h"

#include <pwd.h>
#include <unistd.h>

#include <filesystem>
#include <string>

#include "common/util/read_file.h"

namespace wandb::internal {

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
  return info;
}

}  // namespace wandb::internal
