// The POSIX file operations the store needs, as absl::Status-returning calls whose errors
// name the path: private directories, an owning file descriptor, whole writes, directory
// fsync.
#ifndef WANDB_SERVICE_STORE_FILE_UTIL_H_
#define WANDB_SERVICE_STORE_FILE_UTIL_H_

#include <cstddef>
#include <string>
#include <utility>
#include "absl/strings/string_view.h"

#include "absl/status/status.h"
#include "absl/status/statusor.h"

namespace wandb::store {

// A status for errno `err` while doing `what` (which names the path): NotFound for ENOENT,
// PermissionDenied for EACCES/EPERM, ResourceExhausted for a full disk or quota, else
// Internal.
absl::Status ErrnoStatus(int err, absl::string_view what);

// An open file descriptor, closed when the object goes.
class UniqueFd {
 public:
  UniqueFd() = default;
  explicit UniqueFd(int fd) : fd_(fd) {}
  UniqueFd(UniqueFd&& other) noexcept : fd_(std::exchange(other.fd_, -1)) {}
  UniqueFd& operator=(UniqueFd&& other) noexcept;
  UniqueFd(const UniqueFd&) = delete;
  UniqueFd& operator=(const UniqueFd&) = delete;
  ~UniqueFd();

  int get() const { return fd_; }
  bool valid() const { return fd_ >= 0; }

 private:
  int fd_ = -1;
};

// Creates `path` and any missing parents with mode 0700. Returns true when `path` itself was
// created, false when it already was a directory; an error when it exists as something else.
absl::StatusOr<bool> MakePrivateDirs(const std::string& path);

// Writes all of `size` bytes (retrying short writes and EINTR); `path` is for the message.
absl::Status WriteAll(int fd, const char* data, size_t size, const std::string& path);

// Reads up to `size` bytes (retrying EINTR); 0 at the end of the file.
absl::StatusOr<size_t> ReadSome(int fd, char* data, size_t size, const std::string& path);

// Makes the entries of directory `path` (a rename or a new file in it) durable.
absl::Status FsyncDir(const std::string& path);

}  // namespace wandb::store

#endif  // WANDB_SERVICE_STORE_FILE_UTIL_H_
