#include "service/files/dir_watcher.h"

#include <poll.h>
#include <sys/eventfd.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cstring>
#include <utility>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"

namespace wandb::files {
namespace {

using SteadyClock = std::chrono::steady_clock;

// Milliseconds from now until `when`, for poll(2); at least 0.
int MillisUntil(SteadyClock::time_point when) {
  auto left = std::chrono::ceil<std::chrono::milliseconds>(when - SteadyClock::now());
  return static_cast<int>(std::max<int64_t>(0, left.count()));
}

bool IsUnder(absl::string_view path, absl::string_view dir) {
  return path.size() > dir.size() && absl::StartsWith(path, dir) && path[dir.size()] == '/';
}

}  // namespace

DirWatcher::DirWatcher(std::string dir, ChangeFn on_change, Options options)
    : dir_(std::move(dir)),
      on_change_(std::move(on_change)),
      options_(std::move(options)),
      ignore_(options_.ignore_globs) {}

DirWatcher::~DirWatcher() { Stop(); }

absl::Status DirWatcher::Start() {
  if (started_) return absl::FailedPreconditionError("DirWatcher started twice");
  struct stat st;
  if (stat(dir_.c_str(), &st) != 0 || !S_ISDIR(st.st_mode)) {
    return absl::NotFoundError(absl::StrCat("cannot watch ", dir_, ": not a directory"));
  }
  wake_fd_ = store::UniqueFd(eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK));
  if (!wake_fd_.valid()) {
    return absl::InternalError(absl::StrCat("eventfd: ", std::strerror(errno)));
  }
  started_ = true;
  if (options_.force_polling || !StartInotify()) {
    polling_ = true;
    for (TreeEntry& entry : ListWatched()) snapshot_[entry.save_name] = entry.stamp;
  }
  thread_ = std::thread([this] { Loop(); });
  return absl::OkStatus();
}

void DirWatcher::Stop() {
  std::lock_guard<std::mutex> lock(stop_mu_);
  stop_requested_ = true;
  if (wake_fd_.valid()) {
    uint64_t one = 1;
    [[maybe_unused]] ssize_t n = write(wake_fd_.get(), &one, sizeof(one));
  }
  if (thread_.joinable()) thread_.join();
}

// The files present now are the baseline: only symlinks need remembering, for their targets.
bool DirWatcher::StartInotify() {
  absl::StatusOr<std::unique_ptr<InotifyTree>> tree = InotifyTree::Create(dir_);
  if (!tree.ok()) return false;
  std::vector<std::string> files;
  auto skip = [this](absl::string_view name) { return Skip(name); };
  if (!(*tree)->AddTree("", skip, &files).ok()) return false;
  for (const std::string& name : files) {
    struct stat st;
    if (lstat(FullPath(name).c_str(), &st) == 0 && S_ISLNK(st.st_mode)) {
      symlinks_[name] = StampOf(FullPath(name));
    }
  }
  inotify_ = std::move(*tree);
  return true;
}

void DirWatcher::Loop() {
  // At least a millisecond: a zero interval would spin.
  auto interval =
      std::max(absl::ToChronoMilliseconds(options_.poll_interval), std::chrono::milliseconds(1));
  SteadyClock::time_point next_tick = SteadyClock::now() + interval;
  while (!stop_requested_) {
    pollfd fds[2] = {{.fd = wake_fd_.get(), .events = POLLIN, .revents = 0},
                     {.fd = inotify_ ? inotify_->fd() : -1, .events = POLLIN, .revents = 0}};
    int ready = poll(fds, 2, MillisUntil(next_tick));
    if (stop_requested_) return;
    if (ready > 0 && (fds[1].revents & POLLIN) && inotify_) HandleInotify();
    if (SteadyClock::now() >= next_tick) {
      Tick();
      next_tick = SteadyClock::now() + interval;
    }
  }
}

void DirWatcher::Tick() {
  if (polling_) {
    PollTree();
    return;
  }
  FlushModified();
  PollSymlinks();
}

void DirWatcher::HandleInotify() {
  std::vector<InotifyTree::RawEvent> events;
  absl::Status status = inotify_->ReadEvents(&events);
  for (const InotifyTree::RawEvent& raw : events) {
    if (!inotify_) return;  // switched to polling while handling an event
    if (std::optional<InotifyEvent> event = inotify_->Resolve(raw)) Handle(*event);
  }
  if (!status.ok() && inotify_) SwitchToPolling();
}

void DirWatcher::Handle(const InotifyEvent& event) {
  if (event.kind == InotifyEvent::Kind::kOverflow) {
    WatchTree("");  // events were lost: re-watch and report everything
    return;
  }
  if (Skip(event.path)) return;
  switch (event.kind) {
    case InotifyEvent::Kind::kWritten:
      modified_.erase(event.path);
      on_change_(event.path);
      return;
    case InotifyEvent::Kind::kModified:
      if (!event.is_dir) modified_.insert(event.path);
      return;
    case InotifyEvent::Kind::kCreated:
    case InotifyEvent::Kind::kMovedIn:
      HandleAdded(event);
      return;
    case InotifyEvent::Kind::kRemoved:
      HandleRemoved(event);
      return;
    case InotifyEvent::Kind::kOverflow:
      return;
  }
}

void DirWatcher::HandleAdded(const InotifyEvent& event) {
  if (event.is_dir) {
    WatchTree(event.path);
  } else {
    Seen(event.path, event.kind == InotifyEvent::Kind::kMovedIn);
  }
}

void DirWatcher::HandleRemoved(const InotifyEvent& event) {
  if (!event.is_dir) {
    symlinks_.erase(event.path);
    modified_.erase(event.path);
    return;
  }
  inotify_->RemoveTree(event.path);
  absl::erase_if(symlinks_, [&](const auto& entry) { return IsUnder(entry.first, event.path); });
  absl::erase_if(modified_, [&](const std::string& name) { return IsUnder(name, event.path); });
}

void DirWatcher::WatchTree(const std::string& rel) {
  std::vector<std::string> files;
  auto skip = [this](absl::string_view name) { return Skip(name); };
  absl::Status status = inotify_->AddTree(rel, skip, &files);
  // They may have been written before the watch existed, so no event will come for them.
  for (const std::string& name : files) Seen(name, /*report_now=*/true);
  if (!status.ok()) SwitchToPolling();
}

void DirWatcher::Seen(const std::string& save_name, bool report_now) {
  struct stat st;
  if (lstat(FullPath(save_name).c_str(), &st) != 0) return;
  if (S_ISLNK(st.st_mode)) {
    std::optional<FileStamp> stamp = StampOf(FullPath(save_name));
    symlinks_[save_name] = stamp;
    if (stamp.has_value()) on_change_(save_name);
  } else if (report_now) {
    modified_.erase(save_name);
    on_change_(save_name);
  } else {
    modified_.insert(save_name);
  }
}

void DirWatcher::FlushModified() {
  std::vector<std::string> names(modified_.begin(), modified_.end());
  modified_.clear();
  std::sort(names.begin(), names.end());
  for (const std::string& name : names) on_change_(name);
}

void DirWatcher::PollSymlinks() {
  for (auto& [name, last] : symlinks_) {
    std::optional<FileStamp> stamp = StampOf(FullPath(name));
    if (stamp == last) continue;
    last = stamp;
    if (stamp.has_value()) on_change_(name);
  }
}

void DirWatcher::PollTree() {
  absl::flat_hash_map<std::string, FileStamp> next;
  std::vector<std::string> changed;
  for (TreeEntry& entry : ListWatched()) {
    auto old = snapshot_.find(entry.save_name);
    if (old == snapshot_.end() || old->second != entry.stamp) changed.push_back(entry.save_name);
    next[std::move(entry.save_name)] = entry.stamp;
  }
  snapshot_ = std::move(next);
  for (const std::string& name : changed) on_change_(name);
}

// inotify gave up (watch limit, read error): from now on poll. Changes may have been lost
// on the way, so every file is reported once.
void DirWatcher::SwitchToPolling() {
  inotify_.reset();
  polling_ = true;
  modified_.clear();
  symlinks_.clear();
  snapshot_.clear();
  PollTree();
}

std::vector<TreeEntry> DirWatcher::ListWatched() const {
  return ListTree(dir_, [this](absl::string_view name) { return Skip(name); });
}

}  // namespace wandb::files
