// Reading the state of a run's files/ directory: one file's version, and every file in the
// tree, the way wandb's finish scan (os.walk) sees it.
#ifndef WANDB_SERVICE_FILES_FILE_TREE_H_
#define WANDB_SERVICE_FILES_FILE_TREE_H_

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "absl/functional/function_ref.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "service/files/upload_task.h"

namespace wandb::files {

// `dir` + "/" + `name`, or `name` alone when `dir` is empty (relative names in the tree).
std::string JoinPath(absl::string_view dir, absl::string_view name);

// The entry names in directory `path`, without "." and ".."; none when it cannot be read.
std::vector<std::string> ListDir(const std::string& path);

// The size and mtime of the regular file at `path`, through symlinks. NotFound when it (or
// a symlink's target) is missing, FailedPrecondition when it is not a regular file.
absl::StatusOr<FileVersion> StatFile(const std::string& path);

// A file's version plus its inode, which tells a replacement with equal size and mtime.
struct FileStamp {
  FileVersion version;
  uint64_t inode = 0;

  friend bool operator==(const FileStamp&, const FileStamp&) = default;
};

// The stamp of the regular file at `path`, through symlinks; none when it (or a symlink's
// target) is missing or is not a regular file.
std::optional<FileStamp> StampOf(const std::string& path);

struct TreeEntry {
  std::string save_name;    // relative to the root, '/'-separated
  bool is_symlink = false;  // the entry is a symlink (save() makes these) to a regular file
  FileStamp stamp;          // of the file, or of the symlink's target
};

// Every regular file under `root`, and every symlink there to a regular file, recursively,
// sorted by save name. Symlinked directories are not entered (as Python's os.walk), so a
// link can neither loop nor lead out of the tree; dangling symlinks and unreadable
// directories are left out. `skip(save_name)` prunes a directory or file.
std::vector<TreeEntry> ListTree(const std::string& root,
                                absl::FunctionRef<bool(absl::string_view)> skip);
std::vector<TreeEntry> ListTree(const std::string& root);

}  // namespace wandb::files

#endif  // WANDB_SERVICE_FILES_FILE_TREE_H_
