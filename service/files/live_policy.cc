#include "service/files/live_policy.h"

#include <utility>

namespace wandb::files {

LivePolicy::LivePolicy(Options options) : options_(std::move(options)) {}

bool LivePolicy::ShouldUpload(const FileVersion& current, absl::Time now) const {
  if (current.size <= 0 || Synced(current)) return false;
  if (!last_upload_time_.has_value()) return true;
  return !Throttled(current, now);
}

bool LivePolicy::ShouldUploadForced(const FileVersion& current) const {
  return current.size > 0 && !Synced(current);
}

void LivePolicy::MarkUploaded(const FileVersion& version, absl::Time now) {
  last_upload_ = version;
  last_upload_time_ = now;
}

absl::Duration LivePolicy::WaitFor(int64_t size) const {
  if (options_.wait_time != absl::ZeroDuration()) return options_.wait_time;
  for (const LiveSizeWait& step : options_.size_waits) {
    if (size < step.below_bytes) return step.wait;
  }
  return options_.largest_wait;
}

bool LivePolicy::Synced(const FileVersion& current) const {
  return last_upload_time_.has_value() && current.mtime == last_upload_.mtime;
}

// The comparisons follow wandb's should_update exactly: strictly less than the interval or
// the growth holds back; only strictly more than the wait lets through.
bool LivePolicy::Throttled(const FileVersion& current, absl::Time now) const {
  absl::Duration elapsed = now - *last_upload_time_;
  if (elapsed < options_.min_interval) return true;
  if (last_upload_.size > 0) {
    double ratio = static_cast<double>(current.size) / static_cast<double>(last_upload_.size);
    if (ratio < options_.growth) return true;
  }
  return !(elapsed > WaitFor(current.size));
}

}  // namespace wandb::files
