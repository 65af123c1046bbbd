// Watches a run's files/ directory, recursively, on its own thread, and reports each file
// created or changed there by its save name (path relative to files/, '/'-separated).
//
// Two modes:
// - inotify (the default): a watch per directory, added as directories appear. A file is
//   reported when a writer closes it (IN_CLOSE_WRITE) or it is renamed into place
//   (IN_MOVED_TO); plain writes and touches (IN_MODIFY, IN_ATTRIB) and creations are
//   coalesced and reported once per poll interval, so a log kept open and appended to is
//   reported about once a second, not once per write.
// - polling (when inotify cannot be set up, or runs out of watches, or `force_polling`):
//   every poll interval the tree is listed and each file's size, mtime and inode compared
//   with the previous scan, as wandb's watchdog PollingObserver does.
//
// Symlinks: save() puts symlinks to the user's files into files/, and a write to a symlink's
// target produces no event on the directory holding the link. The watcher therefore
// re-stats every symlinked entry each poll interval and reports the ones whose target
// changed. We poll rather than add an inotify watch on each target because a watch follows
// the target's inode: it goes silent when the user's program replaces the file by rename
// (the usual way to write a checkpoint safely) or re-points the link, and inotify sees
// nothing at all on network filesystems, where checkpoints often live. A stat per symlink
// per second is cheap; save() makes tens of them, not millions.
//
// Ignored (never reported): see IgnoreRules::IgnoredByWatcher. Symlinked directories are
// not followed. Files already present at Start() are not reported (wandb's observer takes
// its first snapshot the same way); the finish scan of SavePolicies covers them.
#ifndef WANDB_SERVICE_FILES_DIR_WATCHER_H_
#define WANDB_SERVICE_FILES_DIR_WATCHER_H_

#include <atomic>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/container/flat_hash_set.h"
#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "service/files/file_tree.h"
#include "service/files/ignore_rules.h"
#include "service/files/inotify_tree.h"
#include "service/store/file_util.h"

namespace wandb::files {

struct DirWatcherOptions {
  // How often polling mode scans the tree; in inotify mode, how often coalesced writes are
  // reported and symlink targets re-checked. wandb's PollingObserver uses 1 s.
  absl::Duration poll_interval = absl::Seconds(1);
  bool force_polling = false;
  // wandb's `ignore_globs` setting, on top of the built-in ignored names.
  std::vector<std::string> ignore_globs;
};

class DirWatcher {
 public:
  using Options = DirWatcherOptions;
  // Called on the watcher's thread, one file at a time. It must not call Stop().
  using ChangeFn = std::function<void(const std::string& save_name)>;

  DirWatcher(std::string dir, ChangeFn on_change)
      : DirWatcher(std::move(dir), std::move(on_change), Options{}) {}
  DirWatcher(std::string dir, ChangeFn on_change, Options options);
  ~DirWatcher();  // Stop()
  DirWatcher(const DirWatcher&) = delete;
  DirWatcher& operator=(const DirWatcher&) = delete;

  // Takes the first look at the tree and starts the thread. NotFound when `dir` is not a
  // directory; FailedPrecondition when called a second time.
  absl::Status Start();
  // Stops and joins the thread. Idempotent, and safe before Start().
  void Stop();

  // Whether the watcher polls (forced, or inotify unavailable or exhausted). Set by Start().
  bool polling() const { return polling_.load(); }

 private:
  bool StartInotify();
  void Loop();
  void Tick();
  void HandleInotify();
  void Handle(const InotifyEvent& event);
  void HandleAdded(const InotifyEvent& event);
  void HandleRemoved(const InotifyEvent& event);
  // Watches a directory that appeared (or all of them again after lost events) and
  // reports the files in it.
  void WatchTree(const std::string& rel);
  // A new entry: symlinks are remembered and reported; other files reported now when
  // complete (`report_now`), else with the next coalesced batch.
  void Seen(const std::string& save_name, bool report_now);
  void FlushModified();
  void PollSymlinks();
  void PollTree();
  void SwitchToPolling();
  bool Skip(absl::string_view save_name) const { return ignore_.IgnoredByWatcher(save_name); }
  std::vector<TreeEntry> ListWatched() const;
  std::string FullPath(absl::string_view save_name) const { return JoinPath(dir_, save_name); }

  const std::string dir_;
  const ChangeFn on_change_;
  const Options options_;
  const IgnoreRules ignore_;

  std::atomic<bool> polling_{false};
  std::atomic<bool> stop_requested_{false};
  bool started_ = false;
  std::mutex stop_mu_;       // one Stop() joins
  store::UniqueFd wake_fd_;  // an eventfd: Stop() wakes the thread through it
  std::thread thread_;

  // Owned by the thread once started.
  std::unique_ptr<InotifyTree> inotify_;                                 // null when polling
  absl::flat_hash_set<std::string> modified_;                            // coalesced writes
  absl::flat_hash_map<std::string, std::optional<FileStamp>> symlinks_;  // inotify mode
  absl::flat_hash_map<std::string, FileStamp> snapshot_;                 // polling mode
};

}  // namespace wandb::files

#endif  // WANDB_SERVICE_FILES_DIR_WATCHER_H_
