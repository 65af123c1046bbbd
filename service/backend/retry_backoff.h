// When to try a failing request again, by wandb's rules: the first wait is 2 s, each further
// failure doubles it up to 5 minutes, plus 0-25 % jitter; a 429's Retry-After is taken as
// the server gives it. Pure (the time and the jitter are passed in), so tests need no clock.
//
// The W&B backend never sleeps on it: a call made before the next attempt is due fails at
// once, so the sender's thread stays free and a finish's deadline is kept.
#ifndef WANDB_SERVICE_BACKEND_RETRY_BACKOFF_H_
#define WANDB_SERVICE_BACKEND_RETRY_BACKOFF_H_

#include <optional>

#include "absl/time/time.h"

namespace wandb::service {

class RetryBackoff {
 public:
  static constexpr absl::Duration kDefaultMin = absl::Seconds(2);
  static constexpr absl::Duration kMax = absl::Minutes(5);

  explicit RetryBackoff(absl::Duration min_wait = kDefaultMin) : min_wait_(min_wait) {}

  // Whether an attempt may be made at `now`.
  bool Ready(absl::Time now) const { return now >= next_attempt_; }
  absl::Time next_attempt() const { return next_attempt_; }
  int failures() const { return failures_; }

  // A retryable failure at `now`; `jitter` in [0, 1) picks the 0-25 % extra. Returns the wait.
  absl::Duration Failed(absl::Time now, std::optional<absl::Duration> retry_after, double jitter);
  void Succeeded();

 private:
  const absl::Duration min_wait_;
  absl::Duration wait_ = absl::ZeroDuration();  // the last wait before jitter; 0 when healthy
  absl::Time next_attempt_ = absl::InfinitePast();
  int failures_ = 0;
};

}  // namespace wandb::service

#endif  // WANDB_SERVICE_BACKEND_RETRY_BACKOFF_H_
