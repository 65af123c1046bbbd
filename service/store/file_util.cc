#include "service/store/file_util.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "absl/strings/str_cat.h"

namespace wandb::store {

absl::Status ErrnoStatus(int err, absl::string_view what) {
  std::string message = absl::StrCat(what, ": ", std::strerror(err));
  switch (err) {
    case ENOENT:
      return absl::NotFoundError(message);
    case EACCES:
    case EPERM:
    case EROFS:
      return absl::PermissionDeniedError(message);
    case ENOSPC:
    case EDQUOT:
    case EMFILE:
    case ENFILE:
      return absl::ResourceExhaustedError(message);
    default:
      return absl::InternalError(message);
  }
}

UniqueFd& UniqueFd::operator=(UniqueFd&& other) noexcept {
  if (this != &other) {
    if (fd_ >= 0) close(fd_);
    fd_ = std::exchange(other.fd_, -1);
  }
  return *this;
}

UniqueFd::~UniqueFd() {
  if (fd_ >= 0) close(fd_);
}

absl::StatusOr<bool> MakePrivateDirs(const std::string& path) {
  if (path.empty()) return absl::InvalidArgumentError("empty directory path");
  struct stat st;
  if (stat(path.c_str(), &st) == 0) {
    if (!S_ISDIR(st.st_mode)) {
      return absl::FailedPreconditionError(absl::StrCat(path, " exists and is not a directory"));
    }
    return false;
  }
  if (errno != ENOENT) return ErrnoStatus(errno, absl::StrCat("cannot inspect ", path));
  size_t slash = path.find_last_of('/');
  if (slash != std::string::npos && slash > 0) {
    absl::StatusOr<bool> parent = MakePrivateDirs(path.substr(0, slash));
    if (!parent.ok()) return parent.status();
  }
  if (mkdir(path.c_str(), 0700) != 0) {
    if (errno == EEXIST) {  // made meanwhile by someone else
      if (stat(path.c_str(), &st) == 0 && S_ISDIR(st.st_mode)) return false;
      return absl::FailedPreconditionError(absl::StrCat(path, " exists and is not a directory"));
    }
    return ErrnoStatus(errno, absl::StrCat("cannot create directory ", path));
  }
  return true;
}

absl::Status WriteAll(int fd, const char* data, size_t size, const std::string& path) {
  while (size > 0) {
    ssize_t n = write(fd, data, size);
    if (n < 0) {
      if (errno == EINTR) continue;
      return ErrnoStatus(errno, absl::StrCat("cannot write ", path));
    }
    data += n;
    size -= static_cast<size_t>(n);
  }
  return absl::OkStatus();
}

absl::StatusOr<size_t> ReadSome(int fd, char* data, size_t size, const std::string& path) {
  while (true) {
    ssize_t n = read(fd, data, size);
    if (n >= 0) return static_cast<size_t>(n);
    if (errno != EINTR) return ErrnoStatus(errno, absl::StrCat("cannot read ", path));
  }
}

absl::Status FsyncDir(const std::string& path) {
  UniqueFd fd(open(path.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
  if (!fd.valid()) return ErrnoStatus(errno, absl::StrCat("cannot open directory ", path));
  if (fsync(fd.get()) != 0) return ErrnoStatus(errno, absl::StrCat("cannot fsync ", path));
  return absl::OkStatus();
}

}  // namespace wandb::store
