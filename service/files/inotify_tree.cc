#include "service/files/inotify_tree.h"

#include <sys/inotify.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <optional>
#include <utility>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "service/files/file_tree.h"

namespace wandb::files {
namespace {

// IN_MODIFY and IN_ATTRIB catch files written while kept open (logs, tfevents) and mtime
// changes; IN_CLOSE_WRITE the end of a write; the rest keeps the tree's shape current.
constexpr uint32_t kWatchMask = IN_CLOSE_WRITE | IN_MODIFY | IN_ATTRIB | IN_CREATE | IN_MOVED_TO |
                                IN_MOVED_FROM | IN_DELETE | IN_EXCL_UNLINK | IN_ONLYDIR;

std::optional<InotifyEvent::Kind> KindOf(uint32_t mask) {
  if (mask & IN_CLOSE_WRITE) return InotifyEvent::Kind::kWritten;
  if (mask & IN_CREATE) return InotifyEvent::Kind::kCreated;
  if (mask & IN_MOVED_TO) return InotifyEvent::Kind::kMovedIn;
  if (mask & (IN_DELETE | IN_MOVED_FROM)) return InotifyEvent::Kind::kRemoved;
  if (mask & (IN_MODIFY | IN_ATTRIB)) return InotifyEvent::Kind::kModified;
  return std::nullopt;
}

}  // namespace

absl::StatusOr<std::unique_ptr<InotifyTree>> InotifyTree::Create(std::string root) {
  store::UniqueFd fd(inotify_init1(IN_NONBLOCK | IN_CLOEXEC));
  if (!fd.valid()) {
    return absl::UnavailableError(absl::StrCat("inotify_init1: ", std::strerror(errno)));
  }
  return std::unique_ptr<InotifyTree>(new InotifyTree(std::move(root), std::move(fd)));
}

absl::Status InotifyTree::AddTree(const std::string& rel,
                                  absl::FunctionRef<bool(absl::string_view)> skip,
                                  std::vector<std::string>* files) {
  std::vector<std::string> pending = {rel};
  while (!pending.empty()) {
    std::string dir = std::move(pending.back());
    pending.pop_back();
    if (absl::Status status = AddDir(dir); !status.ok()) return status;
    for (const std::string& name : ListDir(JoinPath(root_, dir))) {
      std::string path = JoinPath(dir, name);
      if (skip(path)) continue;
      struct stat st;
      if (lstat(JoinPath(root_, path).c_str(), &st) != 0) continue;
      if (S_ISDIR(st.st_mode)) {
        pending.push_back(std::move(path));
      } else {
        files->push_back(std::move(path));
      }
    }
  }
  return absl::OkStatus();
}

absl::Status InotifyTree::AddDir(const std::string& rel) {
  std::string path = rel.empty() ? root_ : JoinPath(root_, rel);
  // The root may be reached through a symlink; a directory inside is never followed.
  uint32_t mask = rel.empty() ? kWatchMask : kWatchMask | IN_DONT_FOLLOW;
  int wd = inotify_add_watch(fd_.get(), path.c_str(), mask);
  if (wd >= 0) {
    dirs_[wd] = rel;
    return absl::OkStatus();
  }
  std::string message = absl::StrCat("inotify_add_watch ", path, ": ", std::strerror(errno));
  if (errno == ENOENT || errno == ENOTDIR) return absl::OkStatus();  // gone again meanwhile
  if (errno == ENOSPC || errno == ENOMEM) return absl::ResourceExhaustedError(message);
  return absl::InternalError(message);
}

void InotifyTree::RemoveTree(absl::string_view rel) {
  std::string prefix = absl::StrCat(rel, "/");
  for (auto it = dirs_.begin(); it != dirs_.end();) {
    if (it->second == rel || absl::StartsWith(it->second, prefix)) {
      inotify_rm_watch(fd_.get(), it->first);
      dirs_.erase(it++);
    } else {
      ++it;
    }
  }
}

absl::Status InotifyTree::ReadEvents(std::vector<RawEvent>* events) {
  alignas(struct inotify_event) char buffer[64 * 1024];
  while (true) {
    ssize_t n = read(fd_.get(), buffer, sizeof(buffer));
    if (n < 0 && errno == EINTR) continue;
    if (n < 0 && errno == EAGAIN) return absl::OkStatus();
    if (n <= 0) return absl::InternalError(absl::StrCat("read inotify: ", std::strerror(errno)));
    for (ssize_t offset = 0; offset < n;) {
      const auto* raw = reinterpret_cast<const struct inotify_event*>(buffer + offset);
      // The kernel pads the name with NULs; the string stops at the first.
      events->push_back(RawEvent{.wd = raw->wd,
                                 .mask = raw->mask,
                                 .name = raw->len > 0 ? std::string(raw->name) : std::string()});
      offset += static_cast<ssize_t>(sizeof(struct inotify_event) + raw->len);
    }
  }
}

std::optional<InotifyEvent> InotifyTree::Resolve(const RawEvent& raw) {
  if (raw.mask & IN_Q_OVERFLOW) {
    InotifyEvent overflow;
    overflow.kind = InotifyEvent::Kind::kOverflow;
    return overflow;
  }
  auto dir = dirs_.find(raw.wd);
  if (dir == dirs_.end()) return std::nullopt;  // a watch removed meanwhile
  if (raw.mask & IN_IGNORED) {
    dirs_.erase(dir);  // the directory went away
    return std::nullopt;
  }
  std::optional<InotifyEvent::Kind> kind = KindOf(raw.mask);
  if (raw.name.empty() || !kind.has_value()) return std::nullopt;  // about the directory itself
  return InotifyEvent{
      .kind = *kind, .path = JoinPath(dir->second, raw.name), .is_dir = (raw.mask & IN_ISDIR) != 0};
}

}  // namespace wandb::files
