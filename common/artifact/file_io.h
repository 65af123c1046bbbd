// The file plumbing the artifact cache and downloads share: owned descriptors, temporary files
// that go unless renamed into place, and a copy that hashes the bytes as it writes them.
#ifndef WANDB_COMMON_ARTIFACT_FILE_IO_H_
#define WANDB_COMMON_ARTIFACT_FILE_IO_H_

#include <unistd.h>

#include <cstdint>
#include <string>
#include <utility>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "common/artifact/md5.h"

namespace wandb::artifact {

// An errno as a Status with the canonical code (NotFound, ResourceExhausted, ...).
absl::Status ErrnoError(int err, absl::string_view what);

// An owned descriptor.
struct Fd {
  int fd = -1;
  Fd() = default;
  explicit Fd(int fd) : fd(fd) {}
  Fd(const Fd&) = delete;
  Fd& operator=(const Fd&) = delete;
  ~Fd() {
    if (fd >= 0) close(fd);
  }
};

// A temporary file, removed unless `path` was cleared (renamed into place).
struct TempPath {
  std::string path;
  TempPath() = default;
  explicit TempPath(std::string path) : path(std::move(path)) {}
  TempPath(const TempPath&) = delete;
  TempPath& operator=(const TempPath&) = delete;
  ~TempPath() {
    if (!path.empty()) unlink(path.c_str());
  }
};

// Creates a new file from `pattern` (ending in XXXXXX) with mkostemp: its descriptor, with
// `temp->path` set to its name.
absl::StatusOr<int> MakeTempFile(const std::string& pattern, TempPath* temp);

struct HashedCopy {
  Md5Bytes md5{};
  int64_t size = 0;
};
// Copies `in` to `out` (from where each descriptor is), hashing the bytes copied. `source`
// and `target` name them in errors.
absl::StatusOr<HashedCopy> CopyHashing(int in, int out, const std::string& source,
                                       const std::string& target);
// Hashes what is left to read of `fd`.
absl::StatusOr<HashedCopy> HashFd(int fd, const std::string& source);

}  // namespace wandb::artifact

#endif  // WANDB_COMMON_ARTIFACT_FILE_IO_H_
