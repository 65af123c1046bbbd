#include "service/store/blob_store.h"

#include <dirent.h>
#include <fcntl.h>
#include <openssl/evp.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <memory>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "service/store/file_util.h"

namespace wandb::store {
namespace {

constexpr size_t kCopyBufferSize = 256 * 1024;
// A temporary file can only be swept between its creation and its writer's flock(); the
// writer then finds it unlinked and starts over. More than a few rounds means something else
// is wrong.
constexpr int kTempAttempts = 8;

// An incremental MD5 over OpenSSL's EVP interface.
class Md5 {
 public:
  static absl::StatusOr<Md5> Start() {
    Md5 md5;
    if (md5.ctx_ == nullptr || EVP_DigestInit_ex(md5.ctx_.get(), EVP_md5(), nullptr) != 1) {
      return absl::InternalError("cannot start an MD5 digest (OpenSSL)");
    }
    return md5;
  }

  absl::Status Update(const char* data, size_t size) {
    if (size > 0 && EVP_DigestUpdate(ctx_.get(), data, size) != 1) {
      return absl::InternalError("MD5 digest update failed (OpenSSL)");
    }
    return absl::OkStatus();
  }

  absl::StatusOr<std::string> FinishHex() {
    unsigned char digest[EVP_MAX_MD_SIZE];
    unsigned int length = 0;
    if (EVP_DigestFinal_ex(ctx_.get(), digest, &length) != 1 || length != 16) {
      return absl::InternalError("MD5 digest failed (OpenSSL)");
    }
    static constexpr char kHex[] = "0123456789abcdef";
    std::string hex(2 * length, '0');
    for (unsigned int i = 0; i < length; ++i) {
      hex[2 * i] = kHex[digest[i] >> 4];
      hex[2 * i + 1] = kHex[digest[i] & 0xf];
    }
    return hex;
  }

 private:
  struct Free {
    void operator()(EVP_MD_CTX* ctx) const { EVP_MD_CTX_free(ctx); }
  };
  Md5() : ctx_(EVP_MD_CTX_new()) {}
  std::unique_ptr<EVP_MD_CTX, Free> ctx_;
};

// Opens a regular file for reading; FIFOs and devices are refused rather than blocked on.
absl::StatusOr<UniqueFd> OpenRegularFile(const std::string& path, off_t* size) {
  UniqueFd fd(open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NONBLOCK));
  if (!fd.valid()) return ErrnoStatus(errno, absl::StrCat("cannot open ", path));
  struct stat st;
  if (fstat(fd.get(), &st) != 0) return ErrnoStatus(errno, absl::StrCat("cannot stat ", path));
  if (!S_ISREG(st.st_mode)) {
    return absl::InvalidArgumentError(absl::StrCat(path, " is not a regular file"));
  }
  if (size != nullptr) *size = st.st_size;
  return fd;
}

// Removes a temporary file unless released (it was renamed into place).
class TempFileGuard {
 public:
  explicit TempFileGuard(std::string path) : path_(std::move(path)) {}
  TempFileGuard(const TempFileGuard&) = delete;
  TempFileGuard& operator=(const TempFileGuard&) = delete;
  ~TempFileGuard() {
    if (!path_.empty()) unlink(path_.c_str());
  }
  void Release() { path_.clear(); }

 private:
  std::string path_;
};

// Creates and locks a fresh temporary file in `dir`. The lock tells SweepTemps() that the file
// is in use; it lasts as long as the descriptor.
absl::StatusOr<UniqueFd> CreateLockedTemp(const std::string& dir, std::string* path) {
  for (int attempt = 0; attempt < kTempAttempts; ++attempt) {
    std::string name = dir + "/put-XXXXXX";
    UniqueFd fd(mkostemp(name.data(), O_CLOEXEC));  // mode 0600
    if (!fd.valid()) {
      return ErrnoStatus(errno, absl::StrCat("cannot create a temporary file in ", dir));
    }
    int rc;
    do {
      rc = flock(fd.get(), LOCK_EX);  // waits only while a sweeper looks at the file
    } while (rc != 0 && errno == EINTR);
    if (rc != 0) {
      int err = errno;
      unlink(name.c_str());
      return ErrnoStatus(err, absl::StrCat("cannot lock ", name));
    }
    struct stat st;
    if (fstat(fd.get(), &st) != 0) {
      int err = errno;
      unlink(name.c_str());
      return ErrnoStatus(err, absl::StrCat("cannot stat ", name));
    }
    if (st.st_nlink == 0) continue;  // a sweeper took it for stale before we locked it
    *path = std::move(name);
    return fd;
  }
  return absl::UnavailableError(
      absl::StrCat("cannot keep a temporary file in ", dir, ": something keeps removing them"));
}

}  // namespace

absl::StatusOr<BlobStore> BlobStore::Open(const std::string& root) {
  for (const std::string& dir : {root, root + "/md5", root + "/tmp"}) {
    absl::StatusOr<bool> made = MakePrivateDirs(dir);
    if (!made.ok()) return made.status();
  }
  BlobStore store(root);
  absl::StatusOr<int> swept = store.SweepTemps();
  if (!swept.ok()) return swept.status();
  return store;
}

bool BlobStore::IsValidMd5(absl::string_view md5) {
  if (md5.size() != 32) return false;
  for (char c : md5) {
    if (!absl::ascii_isdigit(static_cast<unsigned char>(c)) && !(c >= 'a' && c <= 'f')) {
      return false;
    }
  }
  return true;
}

absl::StatusOr<std::string> BlobStore::Path(absl::string_view md5) const {
  if (!IsValidMd5(md5)) {
    return absl::InvalidArgumentError(
        absl::StrCat("'", md5, "' is not an MD5 (32 lowercase hex digits)"));
  }
  return absl::StrCat(root_, "/md5/", md5.substr(0, 2), "/", md5.substr(2));
}

absl::StatusOr<bool> BlobStore::Exists(absl::string_view md5) const {
  absl::StatusOr<std::string> path = Path(md5);
  if (!path.ok()) return path.status();
  struct stat st;
  if (stat(path->c_str(), &st) == 0) return S_ISREG(st.st_mode);
  if (errno == ENOENT) return false;
  return ErrnoStatus(errno, absl::StrCat("cannot stat blob ", *path));
}

absl::StatusOr<std::string> BlobStore::Md5OfFile(const std::string& path) {
  absl::StatusOr<UniqueFd> fd = OpenRegularFile(path, nullptr);
  if (!fd.ok()) return fd.status();
  absl::StatusOr<Md5> md5 = Md5::Start();
  if (!md5.ok()) return md5.status();
  std::vector<char> buffer(kCopyBufferSize);
  while (true) {
    absl::StatusOr<size_t> n = ReadSome(fd->get(), buffer.data(), buffer.size(), path);
    if (!n.ok()) return n.status();
    if (*n == 0) break;
    absl::Status status = md5->Update(buffer.data(), *n);
    if (!status.ok()) return status;
  }
  return md5->FinishHex();
}

absl::StatusOr<std::string> BlobStore::Md5OfBytes(absl::string_view bytes) {
  absl::StatusOr<Md5> md5 = Md5::Start();
  if (!md5.ok()) return md5.status();
  absl::Status status = md5->Update(bytes.data(), bytes.size());
  if (!status.ok()) return status;
  return md5->FinishHex();
}

absl::Status BlobStore::Verify(absl::string_view md5) const {
  absl::StatusOr<std::string> path = Path(md5);
  if (!path.ok()) return path.status();
  absl::StatusOr<std::string> actual = Md5OfFile(*path);
  if (absl::IsNotFound(actual.status())) {
    return absl::NotFoundError(absl::StrCat("blob ", md5, " is missing from ", root_));
  }
  if (!actual.ok()) return actual.status();
  if (*actual != md5) {
    return absl::DataLossError(
        absl::StrCat("blob ", *path, " is corrupt: its content has MD5 ", *actual));
  }
  return absl::OkStatus();
}

template <typename ReadFn>
absl::StatusOr<BlobInfo> BlobStore::Put(ReadFn read_some, absl::string_view source) const {
  std::string temp_path;
  absl::StatusOr<UniqueFd> temp = CreateLockedTemp(temp_dir(), &temp_path);
  if (!temp.ok()) return temp.status();
  TempFileGuard guard(temp_path);

  absl::StatusOr<Md5> md5 = Md5::Start();
  if (!md5.ok()) return md5.status();
  std::vector<char> buffer(kCopyBufferSize);
  int64_t size = 0;
  while (true) {
    absl::StatusOr<size_t> n = read_some(buffer.data(), buffer.size());
    if (!n.ok()) return n.status();
    if (*n == 0) break;
    absl::Status status = md5->Update(buffer.data(), *n);
    if (status.ok()) status = WriteAll(temp->get(), buffer.data(), *n, temp_path);
    if (!status.ok()) {
      return absl::Status(status.code(), absl::StrCat("storing ", source, ": ", status.message()));
    }
    size += static_cast<int64_t>(*n);
  }
  if (fsync(temp->get()) != 0) {
    return ErrnoStatus(errno, absl::StrCat("storing ", source, ": cannot fsync ", temp_path));
  }
  absl::StatusOr<std::string> hex = md5->FinishHex();
  if (!hex.ok()) return hex.status();

  BlobInfo info{.md5 = *hex, .size = size, .created = false};
  std::string prefix_dir = absl::StrCat(root_, "/md5/", hex->substr(0, 2));
  absl::StatusOr<bool> made = MakePrivateDirs(prefix_dir);
  if (!made.ok()) return made.status();
  if (*made) {
    absl::Status status = FsyncDir(root_ + "/md5");
    if (!status.ok()) return status;
  }
  std::string final_path = absl::StrCat(prefix_dir, "/", hex->substr(2));
  struct stat st;
  if (stat(final_path.c_str(), &st) == 0 && S_ISREG(st.st_mode) && st.st_size == size) {
    return info;  // stored before: the guard removes the temporary copy
  }
  // Missing, or (after outside damage) of the wrong size: the new copy replaces it.
  if (rename(temp_path.c_str(), final_path.c_str()) != 0) {
    return ErrnoStatus(
        errno, absl::StrCat("storing ", source, ": cannot rename ", temp_path, " to ", final_path));
  }
  guard.Release();
  absl::Status status = FsyncDir(prefix_dir);
  if (!status.ok()) return status;
  info.created = true;
  return info;
}

absl::StatusOr<BlobInfo> BlobStore::PutFile(const std::string& source_path) const {
  absl::StatusOr<UniqueFd> source = OpenRegularFile(source_path, nullptr);
  if (!source.ok()) return source.status();
  int fd = source->get();
  return Put(
      [fd, &source_path](char* data, size_t size) { return ReadSome(fd, data, size, source_path); },
      source_path);
}

absl::StatusOr<BlobInfo> BlobStore::PutBytes(absl::string_view bytes) const {
  size_t offset = 0;
  return Put(
      [bytes, &offset](char* data, size_t size) -> absl::StatusOr<size_t> {
        size_t n = std::min(size, bytes.size() - offset);
        std::memcpy(data, bytes.data() + offset, n);
        offset += n;
        return n;
      },
      absl::StrCat(bytes.size(), " bytes"));
}

absl::StatusOr<int> BlobStore::SweepTemps() const {
  std::string dir = temp_dir();
  std::unique_ptr<DIR, int (*)(DIR*)> listing(opendir(dir.c_str()), closedir);
  if (listing == nullptr) return ErrnoStatus(errno, absl::StrCat("cannot list ", dir));
  int removed = 0;
  while (dirent* entry = readdir(listing.get())) {
    std::string name = entry->d_name;
    if (name == "." || name == "..") continue;
    std::string path = absl::StrCat(dir, "/", name);
    UniqueFd fd(open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NOFOLLOW | O_NONBLOCK));
    if (!fd.valid()) {
      // A symlink is nothing a put makes; anything else unreadable is left alone.
      if (errno == ELOOP && unlink(path.c_str()) == 0) ++removed;
      continue;
    }
    struct stat st;
    if (fstat(fd.get(), &st) != 0 || !S_ISREG(st.st_mode)) continue;
    if (flock(fd.get(), LOCK_EX | LOCK_NB) != 0) continue;  // a live put holds it
    if (unlink(path.c_str()) == 0) ++removed;
  }
  return removed;
}

}  // namespace wandb::store
