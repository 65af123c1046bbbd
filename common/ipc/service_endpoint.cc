#include "common/ipc/service_endpoint.h"

#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include <cstdlib>

#include "absl/strings/str_cat.h"
#include "common/run/run_directory.h"

namespace wandb {

absl::StatusOr<ServiceEndpoint> ServiceEndpoint::Resolve() {
  if (const char* dir = std::getenv("WANDB_CPP_SERVICE_DIR"); dir && *dir) {
    return InDirectory(dir);
  }
  if (const char* runtime = std::getenv("XDG_RUNTIME_DIR"); runtime && *runtime) {
    return InDirectory(absl::StrCat(runtime, "/wandb-cpp"));
  }
  return InDirectory(absl::StrCat("/tmp/wandb-cpp-", getuid()));
}

absl::StatusOr<ServiceEndpoint> ServiceEndpoint::InDirectory(const std::string& dir) {
  if (absl::Status s = MakeDirectories(dir, 0700); !s.ok()) return s;
  struct stat st;
  if (lstat(dir.c_str(), &st) != 0 || !S_ISDIR(st.st_mode)) {
    return absl::FailedPreconditionError(absl::StrCat(dir, " is not a directory"));
  }
  if (st.st_uid != getuid()) {
    return absl::PermissionDeniedError(
        absl::StrCat("service directory ", dir, " belongs to another user (uid ", st.st_uid,
                     "); set WANDB_CPP_SERVICE_DIR to a directory of your own"));
  }
  if ((st.st_mode & 0077) != 0 && chmod(dir.c_str(), 0700) != 0) {
    return absl::PermissionDeniedError(absl::StrCat("cannot make ", dir, " private (0700)"));
  }
  ServiceEndpoint e;
  e.dir = dir;
  e.socket_path = dir + "/service.sock";
  e.lock_path = dir + "/service.lock";
  e.spawn_lock_path = dir + "/spawn.lock";
  e.log_path = dir + "/service.log";
  if (e.socket_path.size() >= sizeof(sockaddr_un::sun_path)) {
    return absl::InvalidArgumentError(absl::StrCat(
        "socket path ", e.socket_path, " is longer than ", sizeof(sockaddr_un::sun_path) - 1,
        " bytes; set WANDB_CPP_SERVICE_DIR to a "
        "shorter directory"));
  }
  return e;
}

}  // namespace wandb
