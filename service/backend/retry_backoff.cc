#include "service/backend/retry_backoff.h"

#include <algorithm>

namespace wandb::service {

absl::Duration RetryBackoff::Failed(absl::Time now, std::optional<absl::Duration> retry_after,
                                    double jitter) {
  ++failures_;
  wait_ = wait_ == absl::ZeroDuration() ? min_wait_ : std::min(wait_ * 2, kMax);
  absl::Duration wait = wait_ + wait_ * (0.25 * std::clamp(jitter, 0.0, 1.0));
  // The server knows best how long it needs (HEAD's rule; 0.12 ignored the header).
  if (retry_after.has_value() && *retry_after >= absl::ZeroDuration()) {
    wait = std::min(*retry_after, kMax);
  }
  next_attempt_ = now + wait;
  return wait;
}

void RetryBackoff::Succeeded() {
  wait_ = absl::ZeroDuration();
  failures_ = 0;
  next_attempt_ = absl::InfinitePast();
}

}  // namespace wandb::service
