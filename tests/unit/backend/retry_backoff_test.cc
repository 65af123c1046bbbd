#include "service/backend/retry_backoff.h"

#include <catch2/catch.hpp>

namespace wandb::service {

TEST_CASE("RetryBackoff: 2 s doubling to 5 minutes, plus up to 25 % jitter", "[retry_backoff]") {
  RetryBackoff backoff;
  absl::Time now = absl::UnixEpoch();
  CHECK(backoff.Ready(now));
  CHECK(backoff.Failed(now, std::nullopt, 0.0) == absl::Seconds(2));
  CHECK_FALSE(backoff.Ready(now + absl::Seconds(1)));
  CHECK(backoff.Ready(now + absl::Seconds(2)));
  CHECK(backoff.Failed(now, std::nullopt, 0.0) == absl::Seconds(4));
  CHECK(backoff.Failed(now, std::nullopt, 1.0) == absl::Seconds(10));  // 8 s + 25 %
  for (int i = 0; i < 10; ++i) backoff.Failed(now, std::nullopt, 0.0);
  CHECK(backoff.Failed(now, std::nullopt, 0.0) == absl::Minutes(5));
  CHECK(backoff.failures() == 14);
  backoff.Succeeded();
  CHECK(backoff.Ready(now));
  CHECK(backoff.failures() == 0);
  CHECK(backoff.Failed(now, std::nullopt, 0.0) == absl::Seconds(2));
}

TEST_CASE("RetryBackoff: a 429's Retry-After is the wait, capped at 5 minutes", "[retry_backoff]") {
  RetryBackoff backoff(absl::Milliseconds(100));
  absl::Time now = absl::UnixEpoch();
  CHECK(backoff.Failed(now, absl::Seconds(7), 0.5) == absl::Seconds(7));
  CHECK(backoff.Ready(now + absl::Seconds(7)));
  CHECK(backoff.Failed(now, absl::Hours(2), 0.0) == absl::Minutes(5));
  CHECK(backoff.Failed(now, std::nullopt, 0.0) == absl::Milliseconds(400));
}

}  // namespace wandb::service
