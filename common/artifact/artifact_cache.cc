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
#include "common/artifact/file_io.h"

namespace wandb::artifact {

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
  absl::StatusOr<HashedCopy> hashed = HashFd(in.fd, source);
  if (!hashed.ok()) return hashed.status();
  const std::string cached_path = ObjectPath(hashed->md5);
  struct stat cached;
  if (stat(cached_path.c_str(), &cached) == 0 && cached.st_size == hashed->size) {
    return CachedFile{hashed->md5, hashed->size, cached_path};
  }
  if (lseek(in.fd, 0, SEEK_SET) != 0)
    return ErrnoError(errno, absl::StrCat("cannot seek ", source));
  // The copy is hashed again as it is written: its digest is that of the bytes kept, even when
  // the file changed since the first pass.
  return CopyIn(in.fd, source, /*replace=*/false);
}

absl::StatusOr<CachedFile> ArtifactCache::Refill(const std::string& source,
                                                 const Md5Bytes& md5) const {
  Fd in{open(source.c_str(), O_RDONLY | O_CLOEXEC | O_NONBLOCK)};
  if (in.fd < 0) return ErrnoError(errno, absl::StrCat("cannot open ", source));
  return CopyIn(in.fd, source, /*replace=*/true, &md5);
}

absl::StatusOr<CachedFile> ArtifactCache::CopyIn(int in, const std::string& source, bool replace,
                                                 const Md5Bytes* expected) const {
  // The object's name is known only once the copy is hashed: obj/tmp first.
  const std::string tmp_dir = root_ + "/obj/tmp";
  std::error_code ec;
  std::filesystem::create_directories(tmp_dir, ec);
  if (ec) return absl::InternalError(absl::StrCat("cannot create ", tmp_dir, ": ", ec.message()));
  TempPath temp;
  absl::StatusOr<int> fd = MakeTempFile(tmp_dir + "/tmp_XXXXXX", &temp);
  if (!fd.ok()) return fd.status();
  Fd out{*fd};
  absl::StatusOr<HashedCopy> copy = CopyHashing(in, out.fd, source, temp.path);
  if (!copy.ok()) return copy.status();
  if (close(std::exchange(out.fd, -1)) != 0) {
    return ErrnoError(errno, absl::StrCat("cannot write ", temp.path));
  }
  if (expected != nullptr && copy->md5 != *expected) {
    return absl::DataLossError(
        absl::StrCat(source, " has MD5 ", ToHex(copy->md5), ", not ", ToHex(*expected)));
  }
  CachedFile result{copy->md5, copy->size, ObjectPath(copy->md5)};
  struct stat existing;
  if (!replace && stat(result.path.c_str(), &existing) == 0 && existing.st_size == result.size) {
    return result;  // already cached; the temporary goes
  }
  std::filesystem::create_directories(std::filesystem::path(result.path).parent_path(), ec);
  if (ec) {
    return absl::InternalError(absl::StrCat("cannot create ", result.path, ": ", ec.message()));
  }
  // rename(2) replaces a damaged object whole: a reader sees the old bytes or the new.
  if (rename(temp.path.c_str(), result.path.c_str()) != 0) {
    return ErrnoError(errno, absl::StrCat("cannot move a file into ", result.path));
  }
  temp.path.clear();
  return result;
}

}  // namespace wandb::artifact
