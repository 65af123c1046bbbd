#include "ui/server/blob_reader.h"

#include <errno.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstring>
#include <utility>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"

namespace wandb::ui {
namespace {

bool IsMd5(absl::string_view md5) {
  if (md5.size() != 32) return false;
  for (char c : md5) {
    if (!absl::ascii_isdigit(c) && !(c >= 'a' && c <= 'f')) return false;
  }
  return true;
}

// A descriptor that closes itself unless released.
class ScopedFd {
 public:
  explicit ScopedFd(int fd) : fd_(fd) {}
  ~ScopedFd() {
    if (fd_ >= 0) close(fd_);
  }
  ScopedFd(const ScopedFd&) = delete;
  ScopedFd& operator=(const ScopedFd&) = delete;
  int get() const { return fd_; }
  int release() { return std::exchange(fd_, -1); }
  void reset(int fd) {
    if (fd_ >= 0) close(fd_);
    fd_ = fd;
  }

 private:
  int fd_;
};

absl::Status OpenError(absl::string_view what) {
  if (errno == ENOENT) return absl::NotFoundError(absl::StrCat("the store has no ", what));
  if (errno == ELOOP || errno == ENOTDIR) {
    return absl::PermissionDeniedError(
        absl::StrCat("refused: the way to ", what, " in the store is not plain directories"));
  }
  return absl::InternalError(absl::StrCat("cannot open ", what, ": ", std::strerror(errno)));
}

}  // namespace

OpenBlob::OpenBlob(int fd, int64_t size) : fd_(std::make_shared<Fd>(fd)), size_(size) {}

OpenBlob::Fd::~Fd() { close(fd); }

absl::StatusOr<size_t> OpenBlob::ReadAt(int64_t offset, char* buffer, size_t length) const {
  for (;;) {
    ssize_t n = pread(fd_->fd, buffer, length, offset);
    if (n >= 0) return static_cast<size_t>(n);
    if (errno != EINTR) return absl::InternalError(absl::StrCat("read: ", std::strerror(errno)));
  }
}

absl::StatusOr<OpenBlob> BlobReader::Open(absl::string_view md5) const {
  if (!IsMd5(md5)) {
    return absl::InvalidArgumentError(absl::StrCat("'", md5, "' is not an MD5 in hex"));
  }
  const std::string what = absl::StrCat("blob ", md5);
  ScopedFd dir(open(store_dir_.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
  if (dir.get() < 0) return OpenError("store directory");
  const std::string parts[] = {"blobs", "md5", std::string(md5.substr(0, 2))};
  for (const std::string& part : parts) {
    int next = openat(dir.get(), part.c_str(), O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
    if (next < 0) return OpenError(what);
    dir.reset(next);
  }
  const std::string name(md5.substr(2));
  ScopedFd file(openat(dir.get(), name.c_str(), O_RDONLY | O_NOFOLLOW | O_CLOEXEC | O_NONBLOCK));
  if (file.get() < 0) return OpenError(what);
  struct stat st;
  if (fstat(file.get(), &st) != 0) return OpenError(what);
  if (!S_ISREG(st.st_mode)) {
    return absl::PermissionDeniedError(absl::StrCat("refused: ", what, " is not a regular file"));
  }
  return OpenBlob(file.release(), st.st_size);
}

}  // namespace wandb::ui
