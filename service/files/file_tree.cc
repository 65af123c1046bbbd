#include "service/files/file_tree.h"

#include <dirent.h>
#include <sys/stat.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <memory>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"

namespace wandb::files {
namespace {

FileVersion VersionOf(const struct stat& st) {
  return FileVersion{.size = static_cast<int64_t>(st.st_size),
                     .mtime = absl::TimeFromTimespec(st.st_mtim)};
}

FileStamp StampOf(const struct stat& st) {
  return FileStamp{.version = VersionOf(st), .inode = static_cast<uint64_t>(st.st_ino)};
}

struct DirCloser {
  void operator()(DIR* dir) const { closedir(dir); }
};

// Visits directory `rel` (relative to `root`), adding its files to `out` and its
// subdirectories to `pending`.
void VisitDir(const std::string& root, const std::string& rel,
              absl::FunctionRef<bool(absl::string_view)> skip, std::vector<std::string>& pending,
              std::vector<TreeEntry>& out) {
  for (const std::string& name : ListDir(JoinPath(root, rel))) {
    std::string save_name = JoinPath(rel, name);
    if (skip(save_name)) continue;
    std::string path = JoinPath(root, save_name);
    struct stat link_st;
    if (lstat(path.c_str(), &link_st) != 0) continue;  // removed meanwhile
    if (S_ISDIR(link_st.st_mode)) {
      pending.push_back(std::move(save_name));
      continue;
    }
    bool is_symlink = S_ISLNK(link_st.st_mode);
    struct stat st = link_st;
    if (is_symlink && stat(path.c_str(), &st) != 0) continue;  // dangling
    if (!S_ISREG(st.st_mode)) continue;  // a symlinked directory, a fifo, a socket...
    out.push_back(TreeEntry{
        .save_name = std::move(save_name), .is_symlink = is_symlink, .stamp = StampOf(st)});
  }
}

}  // namespace

std::vector<std::string> ListDir(const std::string& path) {
  std::vector<std::string> names;
  std::unique_ptr<DIR, DirCloser> dir(opendir(path.c_str()));
  if (dir == nullptr) return names;
  while (const dirent* entry = readdir(dir.get())) {
    if (std::strcmp(entry->d_name, ".") == 0 || std::strcmp(entry->d_name, "..") == 0) continue;
    names.emplace_back(entry->d_name);
  }
  return names;
}

std::string JoinPath(absl::string_view dir, absl::string_view name) {
  if (dir.empty()) return std::string(name);
  return absl::StrCat(dir, "/", name);
}

absl::StatusOr<FileVersion> StatFile(const std::string& path) {
  struct stat st;
  if (stat(path.c_str(), &st) != 0) {
    std::string message = absl::StrCat("cannot stat ", path, ": ", std::strerror(errno));
    if (errno == ENOENT || errno == ENOTDIR) return absl::NotFoundError(message);
    return absl::InternalError(message);
  }
  if (!S_ISREG(st.st_mode)) {
    return absl::FailedPreconditionError(absl::StrCat(path, " is not a regular file"));
  }
  return VersionOf(st);
}

std::optional<FileStamp> StampOf(const std::string& path) {
  struct stat st;
  if (stat(path.c_str(), &st) != 0 || !S_ISREG(st.st_mode)) return std::nullopt;
  return StampOf(st);
}

std::vector<TreeEntry> ListTree(const std::string& root,
                                absl::FunctionRef<bool(absl::string_view)> skip) {
  std::vector<TreeEntry> out;
  std::vector<std::string> pending = {""};
  while (!pending.empty()) {
    std::string rel = std::move(pending.back());
    pending.pop_back();
    VisitDir(root, rel, skip, pending, out);
  }
  std::sort(out.begin(), out.end(),
            [](const TreeEntry& a, const TreeEntry& b) { return a.save_name < b.save_name; });
  return out;
}

std::vector<TreeEntry> ListTree(const std::string& root) {
  return ListTree(root, [](absl::string_view) { return false; });
}

}  // namespace wandb::files
