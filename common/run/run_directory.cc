#include "common/run/run_directory.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <cstdint>
#include <cstring>
#include <filesystem>

#include "absl/strings/str_cat.h"

namespace wandb {
namespace {

absl::Status ErrnoError(absl::string_view what, const std::string& path) {
  return absl::InternalError(absl::StrCat(what, " ", path, ": ", std::strerror(errno)));
}

// A temporary name next to `path`, unique per call: the daemon writes and links from several
// threads of one process, so the pid alone would let one thread clobber another's file.
std::string TemporaryName(const std::string& path, absl::string_view infix) {
  static std::atomic<uint64_t> counter{0};
  return absl::StrCat(path, infix, getpid(), ".", counter.fetch_add(1));
}

absl::Status ReplaceSymlink(const std::string& target, const std::string& link) {
  std::string tmp = TemporaryName(link, ".");
  unlink(tmp.c_str());
  if (symlink(target.c_str(), tmp.c_str()) != 0) return ErrnoError("symlink", tmp);
  if (rename(tmp.c_str(), link.c_str()) != 0) {
    unlink(tmp.c_str());
    return ErrnoError("rename", link);
  }
  return absl::OkStatus();
}

}  // namespace

RunDirectory RunDirectory::For(const std::string& root_dir, bool offline, absl::Time start_time,
                               const std::string& run_id) {
  namespace fs = std::filesystem;
  std::error_code ec;
  fs::path hidden = fs::path(root_dir) / ".wandb";
  fs::path wandb_dir = fs::is_directory(hidden, ec) ? hidden : fs::path(root_dir) / "wandb";
  std::string stamp = absl::FormatTime("%Y%m%d_%H%M%S", start_time, absl::LocalTimeZone());
  std::string name = absl::StrCat(offline ? "offline-run-" : "run-", stamp, "-", run_id);
  return At((wandb_dir / name).string(), run_id);
}

RunDirectory RunDirectory::At(const std::string& run_dir, const std::string& run_id) {
  RunDirectory d;
  d.wandb_dir = std::filesystem::path(run_dir).parent_path().string();
  d.run_dir = run_dir;
  d.files_dir = d.run_dir + "/files";
  d.logs_dir = d.run_dir + "/logs";
  d.log_path = absl::StrCat(d.run_dir, "/run-", run_id, ".wandb");
  d.lock_path = absl::StrCat(d.logs_dir, "/run.lock");
  return d;
}

absl::Status RunDirectory::Create() const {
  for (const std::string* dir : {&files_dir, &logs_dir}) {
    if (absl::Status s = MakeDirectories(*dir); !s.ok()) return s;
  }
  return absl::OkStatus();
}

absl::Status RunDirectory::LinkAsLatest() const {
  std::string name = std::filesystem::path(run_dir).filename().string();
  if (absl::Status s = ReplaceSymlink(name, wandb_dir + "/latest-run"); !s.ok()) return s;
  for (const char* log : {"debug.log", "debug-internal.log"}) {
    absl::Status s =
        ReplaceSymlink(absl::StrCat(name, "/logs/", log), absl::StrCat(wandb_dir, "/", log));
    if (!s.ok()) return s;
  }
  return absl::OkStatus();
}

absl::Status MakeDirectories(const std::string& path, int mode) {
  std::string partial;
  size_t pos = 0;
  while (pos != std::string::npos) {
    pos = path.find('/', pos + 1);
    partial = path.substr(0, pos);
    if (partial.empty()) continue;
    if (mkdir(partial.c_str(), mode) != 0 && errno != EEXIST) {
      return ErrnoError("cannot create directory", partial);
    }
  }
  struct stat st;
  if (stat(path.c_str(), &st) != 0 || !S_ISDIR(st.st_mode)) {
    return absl::FailedPreconditionError(absl::StrCat(path, " is not a directory"));
  }
  return absl::OkStatus();
}

absl::Status WriteFileAtomically(const std::string& path, absl::string_view contents) {
  std::string tmp = TemporaryName(path, ".tmp.");
  int fd = open(tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  if (fd < 0) return ErrnoError("cannot create", tmp);
  const char* p = contents.data();
  size_t left = contents.size();
  while (left > 0) {
    ssize_t n = write(fd, p, left);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) {
      absl::Status s = ErrnoError("cannot write", tmp);
      close(fd);
      unlink(tmp.c_str());
      return s;
    }
    p += n;
    left -= static_cast<size_t>(n);
  }
  if (close(fd) != 0) return ErrnoError("cannot close", tmp);
  if (rename(tmp.c_str(), path.c_str()) != 0) {
    unlink(tmp.c_str());
    return ErrnoError("cannot rename to", path);
  }
  return absl::OkStatus();
}

}  // namespace wandb
