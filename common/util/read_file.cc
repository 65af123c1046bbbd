#include "common/util/read_file.h"

#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>

#include "absl/strings/str_cat.h"

namespace wandb {
namespace {

// NotFound only when the file (or the process behind a /proc file) is gone; anything else,
// such as running out of descriptors, says nothing about whether it exists.
absl::Status Failure(const char* what, const std::string& path, int err) {
  std::string message = absl::StrCat("cannot ", what, " ", path, ": ", std::strerror(err));
  if (err == ENOENT || err == ESRCH) return absl::NotFoundError(message);
  return absl::InternalError(message);
}

}  // namespace

absl::StatusOr<std::string> ReadFileToString(const std::string& path) {
  return ReadFilePrefix(path, std::string::npos);
}

absl::StatusOr<std::string> ReadFilePrefix(const std::string& path, size_t max_bytes) {
  int fd = open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return Failure("open", path, errno);
  std::string contents;
  char buf[4096];
  while (contents.size() < max_bytes) {
    ssize_t n = read(fd, buf, std::min(sizeof(buf), max_bytes - contents.size()));
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) {
      int err = errno;
      close(fd);
      return Failure("read", path, err);
    }
    if (n == 0) break;
    contents.append(buf, static_cast<size_t>(n));
  }
  close(fd);
  return contents;
}

}  // namespace wandb
