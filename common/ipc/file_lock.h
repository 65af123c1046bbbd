// An exclusive flock(2) on a file, released when the object goes (or the process dies, which
// is what makes it a safe single-instance guard: a killed daemon never leaves it held).
#ifndef WANDB_COMMON_IPC_FILE_LOCK_H_
#define WANDB_COMMON_IPC_FILE_LOCK_H_

#include <string>

#include "absl/status/statusor.h"
#include "absl/time/time.h"

namespace wandb {

class FileLock {
 public:
  // Takes the lock, or fails with Unavailable when another process holds it.
  static absl::StatusOr<FileLock> TryAcquire(const std::string& path);
  // Waits up to `timeout` for the lock.
  static absl::StatusOr<FileLock> Acquire(const std::string& path, absl::Duration timeout);

  FileLock(FileLock&& other) noexcept : fd_(other.fd_) { other.fd_ = -1; }
  FileLock& operator=(FileLock&& other) noexcept;
  FileLock(const FileLock&) = delete;
  FileLock& operator=(const FileLock&) = delete;
  ~FileLock();

 private:
  explicit FileLock(int fd) : fd_(fd) {}
  int fd_;
};

}  // namespace wandb

#endif  // WANDB_COMMON_IPC_FILE_LOCK_H_
