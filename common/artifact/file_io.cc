#include "common/artifact/file_io.h"

#include <fcntl.h>
#include <stdlib.h>

#include <cerrno>
#include <cstring>
#include <vector>

#include "absl/strings/str_cat.h"

namespace wandb::artifact {
namespace {

constexpr size_t kBlockBytes = 1 << 20;

absl::Status WriteAll(int fd, const char* data, size_t size, const std::string& path) {
  while (size > 0) {
    const ssize_t n = write(fd, data, size);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) return ErrnoError(errno, absl::StrCat("cannot write ", path));
    data += n;
    size -= static_cast<size_t>(n);
  }
  return absl::OkStatus();
}

// Reads `fd` to its end in large blocks, handing each to `use`.
template <typename Use>
absl::StatusOr<HashedCopy> ReadHashing(int fd, const std::string& source, Use use) {
  Md5 md5;
  HashedCopy result;
  std::vector<char> buffer(kBlockBytes);
  while (true) {
    const ssize_t n = read(fd, buffer.data(), buffer.size());
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) return ErrnoError(errno, absl::StrCat("cannot read ", source));
    if (n == 0) break;
    if (absl::Status s = use(buffer.data(), static_cast<size_t>(n)); !s.ok()) return s;
    md5.Update(absl::string_view(buffer.data(), static_cast<size_t>(n)));
    result.size += n;
  }
  result.md5 = md5.Finish();
  return result;
}

}  // namespace

absl::Status ErrnoError(int err, absl::string_view what) {
  const std::string message = absl::StrCat(what, ": ", std::strerror(err));
  if (err == ENOENT) return absl::NotFoundError(message);
  if (err == ENOSPC || err == EDQUOT) return absl::ResourceExhaustedError(message);
  if (err == EACCES || err == EPERM) return absl::PermissionDeniedError(message);
  return absl::InternalError(message);
}

absl::StatusOr<int> MakeTempFile(const std::string& pattern, TempPath* temp) {
  temp->path = pattern;
  const int fd = mkostemp(temp->path.data(), O_CLOEXEC);
  if (fd < 0) {
    const int err = errno;
    temp->path.clear();
    return ErrnoError(err, absl::StrCat("cannot create a file like ", pattern));
  }
  return fd;
}

absl::StatusOr<HashedCopy> CopyHashing(int in, int out, const std::string& source,
                                       const std::string& target) {
  return ReadHashing(
      in, source, [&](const char* data, size_t size) { return WriteAll(out, data, size, target); });
}

absl::StatusOr<HashedCopy> HashFd(int fd, const std::string& source) {
  return ReadHashing(fd, source, [](const char*, size_t) { return absl::OkStatus(); });
}

}  // namespace wandb::artifact
