// inotify watches over a directory tree: one watch per directory, added as directories
// appear, and the kernel's events read back as changes to '/'-separated relative paths.
#ifndef WANDB_SERVICE_FILES_INOTIFY_TREE_H_
#define WANDB_SERVICE_FILES_INOTIFY_TREE_H_

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/functional/function_ref.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "service/store/file_util.h"

namespace wandb::files {

struct InotifyEvent {
  enum class Kind {
    kWritten,   // IN_CLOSE_WRITE: a writer closed the file
    kModified,  // IN_MODIFY / IN_ATTRIB: written or touched, maybe still open
    kCreated,   // IN_CREATE: a new entry (file, symlink or directory), maybe being written
    kMovedIn,   // IN_MOVED_TO: an entry renamed into place, complete (atomic writes)
    kRemoved,   // IN_DELETE / IN_MOVED_FROM: an entry went away
    kOverflow,  // IN_Q_OVERFLOW: events were lost; rescan everything
  };
  Kind kind = Kind::kModified;
  std::string path;  // relative to the root; empty for kOverflow
  bool is_dir = false;
};

class InotifyTree {
 public:
  // Unavailable when inotify cannot be set up (no kernel support, out of instances).
  static absl::StatusOr<std::unique_ptr<InotifyTree>> Create(std::string root);

  // Watches directory `rel` (relative to the root; "" for the root) and every directory
  // below it that `skip` does not prune, and lists the files found in them in `files`.
  // Each directory is watched before it is read, so a file created meanwhile is reported
  // by inotify or listed, never missed. ResourceExhausted when the watch limit
  // (fs.inotify.max_user_watches) is reached.
  absl::Status AddTree(const std::string& rel, absl::FunctionRef<bool(absl::string_view)> skip,
                       std::vector<std::string>* files);
  // Stops watching `rel` and the directories below it (moved out of the tree).
  void RemoveTree(absl::string_view rel);

  // An event as the kernel reports it: a watch descriptor, not yet a path.
  struct RawEvent {
    int wd = -1;
    uint32_t mask = 0;
    std::string name;
  };
  // Reads the events ready on fd() without blocking and appends them to `events`.
  absl::Status ReadEvents(std::vector<RawEvent>* events);
  // The change `raw` describes, if it is one worth handling. Resolve each event only after
  // handling the ones before it: a directory renamed earlier in the same batch must already
  // be re-watched under its new name.
  std::optional<InotifyEvent> Resolve(const RawEvent& raw);
  int fd() const { return fd_.get(); }

 private:
  InotifyTree(std::string root, store::UniqueFd fd) : root_(std::move(root)), fd_(std::move(fd)) {}
  absl::Status AddDir(const std::string& rel);

  std::string root_;
  store::UniqueFd fd_;
  absl::flat_hash_map<int, std::string> dirs_;  // watch descriptor -> directory (relative)
};

}  // namespace wandb::files

#endif  // WANDB_SERVICE_FILES_INOTIFY_TREE_H_
