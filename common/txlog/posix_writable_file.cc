// The WritableFile over a POSIX file descriptor.
#include <fcntl.h>
#include <unistd.h>

#include <cerrno>

#include "absl/strings/str_cat.h"
#include "common/txlog/writable_file.h"

namespace wandb::txlog {
namespace {

class PosixWritableFile final : public WritableFile {
 public:
  PosixWritableFile(std::string path, int fd) : path_(std::move(path)), fd_(fd) {}
  ~PosixWritableFile() override { Close().IgnoreError(); }

  absl::Status Append(std::string_view data) override {
    while (!data.empty()) {
      const ssize_t n = write(fd_, data.data(), data.size());
      if (n < 0) {
        if (errno == EINTR) continue;
        return Error("cannot write transaction log");
      }
      // A short write (a disk filling up) is followed by another attempt, which reports why.
      data.remove_prefix(static_cast<size_t>(n));
    }
    return absl::OkStatus();
  }

  absl::Status Flush() override { return absl::OkStatus(); }  // nothing is buffered here

  absl::Status Sync() override {
    if (fsync(fd_) != 0) return Error("cannot fsync transaction log");
    return absl::OkStatus();
  }

  absl::Status Truncate(uint64_t size) override {
    if (ftruncate(fd_, static_cast<off_t>(size)) != 0 ||
        lseek(fd_, static_cast<off_t>(size), SEEK_SET) < 0) {
      return Error("cannot cut back transaction log");
    }
    return absl::OkStatus();
  }

  absl::Status Close() override {
    if (fd_ < 0) return absl::OkStatus();
    // close(2) must not be retried on EINTR on Linux: the descriptor is released either way.
    const int rc = close(fd_);
    fd_ = -1;
    if (rc != 0) return Error("cannot close transaction log");
    return absl::OkStatus();
  }

 private:
  absl::Status Error(const char* what) const {
    return absl::ErrnoToStatus(errno, absl::StrCat(what, " ", path_));
  }

  const std::string path_;
  int fd_;
};

}  // namespace

absl::StatusOr<std::unique_ptr<WritableFile>> OpenPosixFile(const std::string& path, bool create) {
  const int flags = create ? O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC : O_WRONLY | O_CLOEXEC;
  const int fd = open(path.c_str(), flags, 0644);
  if (fd < 0) {
    return absl::ErrnoToStatus(errno, absl::StrCat(create ? "cannot create transaction log "
                                                          : "cannot open transaction log ",
                                                   path));
  }
  if (!create && lseek(fd, 0, SEEK_END) < 0) {
    const int error = errno;
    close(fd);
    return absl::ErrnoToStatus(error, absl::StrCat("cannot seek in transaction log ", path));
  }
  return std::make_unique<PosixWritableFile>(path, fd);
}

}  // namespace wandb::txlog
