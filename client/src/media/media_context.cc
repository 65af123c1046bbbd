#include "client/src/media/media_context.h"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "absl/strings/str_cat.h"
#include "client/src/media/sha256.h"
#include "common/run/run_directory.h"
#include "common/util/read_file.h"

namespace wandb::internal {
namespace {

constexpr size_t kFileIdChars = 20;  // wandb names a file by its hash's first 20 hex digits

// Writes through a dot-file beside `path` and rename(2): the daemon's watcher ignores
// dot-files, and never sees a half-written media file.
bool WriteAtomically(const std::string& path, absl::string_view bytes, std::string* error) {
  size_t slash = path.rfind('/');
  std::string tmp =
      absl::StrCat(path.substr(0, slash + 1), ".", path.substr(slash + 1), ".", getpid(), ".tmp");
  int fd = open(tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  if (fd < 0) {
    *error = absl::StrCat("cannot create ", tmp, ": ", std::strerror(errno));
    return false;
  }
  const char* p = bytes.data();
  size_t left = bytes.size();
  while (left > 0) {
    ssize_t n = write(fd, p, left);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) {
      *error = absl::StrCat("cannot write ", tmp, ": ", std::strerror(errno));
      close(fd);
      unlink(tmp.c_str());
      return false;
    }
    p += n;
    left -= static_cast<size_t>(n);
  }
  if (close(fd) != 0 || rename(tmp.c_str(), path.c_str()) != 0) {
    *error = absl::StrCat("cannot write ", path, ": ", std::strerror(errno));
    unlink(tmp.c_str());
    return false;
  }
  return true;
}

}  // namespace

std::string MediaFileName(absl::string_view key, absl::string_view step, absl::string_view id,
                          absl::string_view ext) {
  return absl::StrCat(key, "_", step, "_", id, ext);
}

std::string FileExtension(absl::string_view path) {
  size_t dot = path.rfind('.');
  size_t slash = path.rfind('/');
  if (dot == absl::string_view::npos || (slash != absl::string_view::npos && dot < slash)) {
    return "";
  }
  return std::string(path.substr(dot + 1));
}

MediaContext::MediaContext(std::string files_dir, std::string key, std::string step,
                           Reporter* reporter, const RunIdentity* run)
    : files_dir_(std::move(files_dir)),
      key_(std::move(key)),
      step_(std::move(step)),
      reporter_(reporter),
      run_(run) {}

std::string MediaContext::FullPath(const MediaFile& file) const {
  return absl::StrCat(files_dir_, "/", file.path);
}

std::optional<MediaFile> MediaContext::Write(absl::string_view subdir, absl::string_view ext,
                                             absl::string_view bytes) {
  MediaFile file;
  file.sha256 = Sha256Hex(bytes);
  file.size = static_cast<int64_t>(bytes.size());
  file.path = absl::StrCat("media/", subdir, "/",
                           MediaFileName(key_, step_, file.sha256.substr(0, kFileIdChars), ext));
  std::string full = absl::StrCat(files_dir_, "/", file.path);
  if (absl::Status s = MakeDirectories(full.substr(0, full.rfind('/'))); !s.ok()) {
    Error(s.message());
    return std::nullopt;
  }
  std::string error;
  if (!WriteAtomically(full, bytes, &error)) {
    Error(error);
    return std::nullopt;
  }
  written_.push_back(file.path);
  return file;
}

std::optional<MediaFile> MediaContext::Copy(absl::string_view subdir, absl::string_view ext,
                                            const std::string& source) {
  absl::StatusOr<std::string> bytes = ReadFileToString(source);
  if (!bytes.ok()) {
    Error(absl::StrCat("cannot read ", source, ": ", bytes.status().message()));
    return std::nullopt;
  }
  return Write(subdir, ext, *bytes);
}

void MediaContext::AddConfig(std::vector<std::string> nested_key, Value value) {
  config_.push_back({std::move(nested_key), std::move(value)});
}

void MediaContext::Error(absl::string_view message) {
  if (reporter_ != nullptr && reporter_->error) reporter_->error(key_, message);
}

void MediaContext::WarnOnce(absl::string_view what, absl::string_view message) {
  if (reporter_ != nullptr && reporter_->warn_once) reporter_->warn_once(key_, what, message);
}

}  // namespace wandb::internal
