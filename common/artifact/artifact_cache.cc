#include "common/artifact/artifact_cache.h"

#include <fcntl.h>
#include <pwd.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <system_error>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"

namespace wandb::artifact {
namespace {

absl::Status ErrnoError(int err, absl::string_view what) {
  const std::string message = absl::StrCat(what, ": ", std::strerror(err));
  if (err == ENOENT) return absl::NotFoundError(message);
  if (err == ENOSPC || err == EDQUOT) return absl::ResourceExhaustedError(message);
  if (err == EACCES || err == EPERM) return absl::PermissionDeniedError(message);
  return absl::InternalError(message);
}

// An owned descriptor, and a temporary file removed unless it was renamed into place.
struct Fd {
  int fd = -1;
  ~Fd() {
    if (fd >= 0) close(fd);
  }
};
struct TempPath {
  std::string path;
  ~TempPath() {
    if (!path.empty()) unlink(path.c_str());
  }
};

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

// Copies `in` into `out`, hashing the bytes copied.
absl::Status CopyHashing(int in, int out, const std::string& source, const std::string& target,
                         CachedFile* result) {
  Md5 md5;
  std::vector<char> buffer(1 << 20);
  while (true) {
    const ssize_t n = read(in, buffer.data(), buffer.size());
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) return ErrnoError(errno, absl::StrCat("cannot read ", source));
    if (n == 0) break;
    if (absl::Status s = WriteAll(out, buffer.data(), static_cast<size_t>(n), target); !s.ok()) {
      return s;
    }
    md5.Update(absl::string_view(buffer.data(), static_cast<size_t>(n)));
    result->size += n;
  }
  result->md5 = md5.Finish();
  return absl::OkStatus();
}

absl::StatusOr<CachedFile> HashFd(int fd, const std::string& source) {
  Md5 md5;
  CachedFile result;
  std::vector<char> buffer(1 << 20);
  while (true) {
    const ssize_t n = read(fd, buffer.data(), buffer.size());
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) return ErrnoError(errno, absl::StrCat("cannot read ", source));
    if (n == 0) break;
    md5.Update(absl::string_view(buffer.data(), static_cast<size_t>(n)));
    result.size += n;
  }
  result.md5 = md5.Finish();
  return result;
}

}  // namespace

std::string ArtifactCache::DefaultRoot() {
  if (const char* dir = std::getenv("WANDB_CACHE_DIR"); dir != nullptr && dir[0] != '\0') {
    return absl::StrCat(dir, "/artifacts");
  }
  const char* home = std::getenv("HOME");
  if (home == nullptr || home[0] == '\0') {
    const struct passwd* pw = getpwuid(getuid());
    home = pw != nullptr ? pw->pw_dir : "/tmp";
  }
  return absl::StrCat(home, "/.cache/wandb/artifacts");
}

std::string ArtifactCache::ObjectPath(const Md5Bytes& md5) const {
  const std::string hex = ToHex(md5);
  return absl::StrCat(root_, "/obj/md5/", hex.substr(0, 2), "/", hex.substr(2));
}

absl::StatusOr<CachedFile> ArtifactCache::PutFile(const std::string& source) const {
  Fd in{open(source.c_str(), O_RDONLY | O_CLOEXEC | O_NONBLOCK)};
  if (in.fd < 0) return ErrnoError(errno, absl::StrCat("cannot open ", source));
  struct stat st;
  if (fstat(in.fd, &st) != 0) return ErrnoError(errno, absl::StrCat("cannot stat ", source));
  if (!S_ISREG(st.st_mode)) {
    return absl::InvalidArgumentError(absl::StrCat(source, " is not a regular file"));
  }
  // Hashed first: content the cache has already (an unchanged file of a new version) is not
  // written again.
  absl::StatusOr<CachedFile> hashed = HashFd(in.fd, source);
  if (!hashed.ok()) return hashed.status();
  hashed->path = ObjectPath(hashed->md5);
  struct stat cached;
  if (stat(hashed->path.c_str(), &cached) == 0 && cached.st_size == hashed->size) return hashed;
  if (lseek(in.fd, 0, SEEK_SET) != 0)
    return ErrnoError(errno, absl::StrCat("cannot seek ", source));
  // The copy is hashed again as it is written: its digest is that of the bytes kept, even when
  // the file changed since the first pass. Its name is known only then: obj/tmp first.
  const std::string tmp_dir = root_ + "/obj/tmp";
  std::error_code ec;
  std::filesystem::create_directories(tmp_dir, ec);
  if (ec) return absl::InternalError(absl::StrCat("cannot create ", tmp_dir, ": ", ec.message()));
  TempPath temp{tmp_dir + "/tmp_XXXXXX"};
  Fd out{mkostemp(temp.path.data(), O_CLOEXEC)};
  if (out.fd < 0) {
    const int err = errno;
    temp.path.clear();
    return ErrnoError(err, absl::StrCat("cannot create a file in ", tmp_dir));
  }
  CachedFile result;
  if (absl::Status s = CopyHashing(in.fd, out.fd, source, temp.path, &result); !s.ok()) return s;
  if (close(std::exchange(out.fd, -1)) != 0) {
    return ErrnoError(errno, absl::StrCat("cannot write ", temp.path));
  }
  result.path = ObjectPath(result.md5);
  struct stat existing;
  if (stat(result.path.c_str(), &existing) == 0 && existing.st_size == result.size) {
    return result;  // already cached; the temporary goes
  }
  std::filesystem::create_directories(std::filesystem::path(result.path).parent_path(), ec);
  if (ec)
    return absl::InternalError(absl::StrCat("cannot create ", result.path, ": ", ec.message()));
  if (rename(temp.path.c_str(), result.path.c_str()) != 0) {
    return ErrnoError(errno, absl::StrCat("cannot move a file into ", result.path));
  }
  temp.path.clear();
  return result;
}

}  // namespace wandb::artifact
