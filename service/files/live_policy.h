// wandb's PolicyLive throttling for one file, as a pure class: the caller passes the file's
// current version and the time, so tests need no clock and no sleeping.
//
// The first change with content uploads at once. After that an upload needs all of:
// at least `min_interval` since the last upload, the size grown to `growth` times the last
// uploaded size, and more than a wait that grows with the size (60 s below 10 MB, 5 min
// below 100 MB, 10 min below 1 GB, else 20 min). A save() call or the run's finish forces an
// upload if the file changed since the last one, whatever the throttle says.
#ifndef WANDB_SERVICE_FILES_LIVE_POLICY_H_
#define WANDB_SERVICE_FILES_LIVE_POLICY_H_

#include <cstdint>
#include <optional>
#include <vector>

#include "absl/time/time.h"
#include "service/files/upload_task.h"

namespace wandb::files {

// One step of PolicyLive.min_wait_for_size: a file smaller than `below_bytes` waits `wait`.
struct LiveSizeWait {
  int64_t below_bytes = 0;
  absl::Duration wait;
};

struct LivePolicyOptions {
  // wandb's RATE_LIMIT_SECONDS (15), replaced by the `_live_policy_rate_limit` setting.
  absl::Duration min_interval = absl::Seconds(15);
  // wandb's RATE_LIMIT_SIZE_INCREASE: the size must reach 1.2x the last uploaded size.
  double growth = 1.2;
  // wandb's `_live_policy_wait_time` setting: when non-zero it replaces the size-based wait.
  // Zero means "unset", as in wandb, which reads it as `wait_time or min_wait_for_size()`.
  absl::Duration wait_time = absl::ZeroDuration();
  // min_wait_for_size(), in increasing `below_bytes` (decimal MB and GB, as wandb's), and
  // the wait for files at least as large as the last step.
  std::vector<LiveSizeWait> size_waits = {
      {10'000'000, absl::Seconds(60)},
      {100'000'000, absl::Minutes(5)},
      {1'000'000'000, absl::Minutes(10)},
  };
  absl::Duration largest_wait = absl::Minutes(20);
};

class LivePolicy {
 public:
  using Options = LivePolicyOptions;

  LivePolicy() : LivePolicy(Options{}) {}
  explicit LivePolicy(Options options);

  // The file changed (a watcher event): whether to upload it now.
  bool ShouldUpload(const FileVersion& current, absl::Time now) const;
  // save() named the file again, or the run finishes: upload when it has content and its
  // mtime differs from the last upload's, ignoring the throttle.
  bool ShouldUploadForced(const FileVersion& current) const;
  // An upload of `version` was decided at `now`. As in wandb, the throttle counts from the
  // decision, not from when the upload completes.
  void MarkUploaded(const FileVersion& version, absl::Time now);

  // How long after an upload a file of `size` bytes must wait for the next one.
  absl::Duration WaitFor(int64_t size) const;
  bool ever_uploaded() const { return last_upload_time_.has_value(); }

 private:
  // wandb's `synced`: the mtime is the one last uploaded.
  bool Synced(const FileVersion& current) const;
  bool Throttled(const FileVersion& current, absl::Time now) const;

  Options options_;
  std::optional<absl::Time> last_upload_time_;
  FileVersion last_upload_;
};

}  // namespace wandb::files

#endif  // WANDB_SERVICE_FILES_LIVE_POLICY_H_
