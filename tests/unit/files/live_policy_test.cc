#include "service/files/live_policy.h"

#include <catch2/catch.hpp>

namespace wandb::files {
namespace {

// The fake clock: times are offsets from an arbitrary start.
const absl::Time kStart = absl::FromUnixSeconds(1'700'000'000);
absl::Time At(absl::Duration offset) { return kStart + offset; }

FileVersion Version(int64_t size, int64_t mtime_seconds) {
  return FileVersion{.size = size, .mtime = absl::FromUnixSeconds(mtime_seconds)};
}

// A policy that uploaded `size` bytes (mtime 1) at kStart.
LivePolicy UploadedAtStart(int64_t size, LivePolicyOptions options = {}) {
  LivePolicy policy(options);
  REQUIRE(policy.ShouldUpload(Version(size, 1), kStart));
  policy.MarkUploaded(Version(size, 1), kStart);
  return policy;
}

TEST_CASE("LivePolicy: the first change with content uploads at once", "[files][live_policy]") {
  LivePolicy policy;
  CHECK_FALSE(policy.ever_uploaded());
  CHECK(policy.ShouldUpload(Version(1, 1), kStart));
  CHECK(policy.ShouldUpload(Version(50'000'000'000, 1), kStart));
}

TEST_CASE("LivePolicy: an empty file never uploads", "[files][live_policy]") {
  LivePolicy policy;
  CHECK_FALSE(policy.ShouldUpload(Version(0, 1), kStart));
  CHECK_FALSE(policy.ShouldUploadForced(Version(0, 1)));
  LivePolicy uploaded = UploadedAtStart(100);
  CHECK_FALSE(uploaded.ShouldUpload(Version(0, 2), At(absl::Hours(1))));
  CHECK_FALSE(uploaded.ShouldUploadForced(Version(0, 2)));
}

TEST_CASE("LivePolicy: an unchanged mtime never uploads again", "[files][live_policy]") {
  LivePolicy policy = UploadedAtStart(100);
  CHECK(policy.ever_uploaded());
  // Even grown and much later: wandb's `synced` looks at the mtime only.
  CHECK_FALSE(policy.ShouldUpload(Version(1000, 1), At(absl::Hours(2))));
  CHECK_FALSE(policy.ShouldUploadForced(Version(1000, 1)));
}

TEST_CASE("LivePolicy: nothing within the minimum interval, whatever the growth",
          "[files][live_policy]") {
  LivePolicyOptions options;
  options.wait_time = absl::Seconds(1);  // so only the interval holds back
  LivePolicy policy = UploadedAtStart(100, options);
  CHECK_FALSE(policy.ShouldUpload(Version(10'000, 2), At(absl::Seconds(1))));
  CHECK_FALSE(
      policy.ShouldUpload(Version(10'000, 2), At(absl::Seconds(15) - absl::Nanoseconds(1))));
  // Exactly the interval is no longer "less than" it.
  CHECK(policy.ShouldUpload(Version(10'000, 2), At(absl::Seconds(15))));
}

TEST_CASE("LivePolicy: a later upload needs the size to grow by 20 percent",
          "[files][live_policy]") {
  LivePolicy policy = UploadedAtStart(1000);
  absl::Time late = At(absl::Hours(1));
  CHECK_FALSE(policy.ShouldUpload(Version(1000, 2), late));  // rewritten, same size
  CHECK_FALSE(policy.ShouldUpload(Version(500, 2), late));   // shrunk
  CHECK_FALSE(policy.ShouldUpload(Version(1199, 2), late));
  CHECK(policy.ShouldUpload(Version(1200, 2), late));
  CHECK(policy.ShouldUpload(Version(5000, 2), late));
}

TEST_CASE("LivePolicy: a later upload waits longer than the size-based wait",
          "[files][live_policy]") {
  LivePolicy policy = UploadedAtStart(1000);
  FileVersion grown = Version(2000, 2);
  CHECK_FALSE(policy.ShouldUpload(grown, At(absl::Seconds(15))));
  CHECK_FALSE(policy.ShouldUpload(grown, At(absl::Seconds(59))));
  CHECK_FALSE(policy.ShouldUpload(grown, At(absl::Seconds(60))));  // strictly more than 60 s
  CHECK(policy.ShouldUpload(grown, At(absl::Seconds(60) + absl::Nanoseconds(1))));
  CHECK(policy.ShouldUpload(grown, At(absl::Seconds(61))));
}

TEST_CASE("LivePolicy: the wait grows with the size in decimal steps", "[files][live_policy]") {
  LivePolicy policy;
  CHECK(policy.WaitFor(0) == absl::Seconds(60));
  CHECK(policy.WaitFor(9'999'999) == absl::Seconds(60));
  CHECK(policy.WaitFor(10'000'000) == absl::Minutes(5));
  CHECK(policy.WaitFor(99'999'999) == absl::Minutes(5));
  CHECK(policy.WaitFor(100'000'000) == absl::Minutes(10));
  CHECK(policy.WaitFor(999'999'999) == absl::Minutes(10));
  CHECK(policy.WaitFor(1'000'000'000) == absl::Minutes(20));
  CHECK(policy.WaitFor(int64_t{1} << 50) == absl::Minutes(20));
}

TEST_CASE("LivePolicy: the wait follows the current size, not the last uploaded one",
          "[files][live_policy]") {
  LivePolicy policy = UploadedAtStart(9'000'000);
  FileVersion big = Version(20'000'000, 2);  // now over 10 MB: 5 minutes
  CHECK_FALSE(policy.ShouldUpload(big, At(absl::Seconds(61))));
  CHECK_FALSE(policy.ShouldUpload(big, At(absl::Minutes(5))));
  CHECK(policy.ShouldUpload(big, At(absl::Minutes(5) + absl::Seconds(1))));

  LivePolicy huge = UploadedAtStart(900'000'000);
  FileVersion gigabytes = Version(1'200'000'000, 2);
  CHECK_FALSE(huge.ShouldUpload(gigabytes, At(absl::Minutes(20))));
  CHECK(huge.ShouldUpload(gigabytes, At(absl::Minutes(20) + absl::Seconds(1))));
}

TEST_CASE("LivePolicy: the throttle counts from the last upload", "[files][live_policy]") {
  LivePolicy policy = UploadedAtStart(1000);
  absl::Time second = At(absl::Minutes(2));
  REQUIRE(policy.ShouldUpload(Version(1500, 2), second));
  policy.MarkUploaded(Version(1500, 2), second);
  // 1.2 x 1500 = 1800 is needed now, and another minute from the second upload.
  CHECK_FALSE(policy.ShouldUpload(Version(1700, 3), second + absl::Minutes(5)));
  CHECK_FALSE(policy.ShouldUpload(Version(1800, 3), second + absl::Seconds(30)));
  CHECK(policy.ShouldUpload(Version(1800, 3), second + absl::Seconds(61)));
}

TEST_CASE("LivePolicy: a forced upload ignores the throttle but needs a change",
          "[files][live_policy]") {
  LivePolicy policy = UploadedAtStart(1000);
  CHECK(policy.ShouldUploadForced(Version(1000, 2)));  // same size, new mtime, at once
  CHECK(policy.ShouldUploadForced(Version(10, 2)));
  CHECK_FALSE(policy.ShouldUploadForced(Version(1000, 1)));

  LivePolicy fresh;
  CHECK(fresh.ShouldUploadForced(Version(1, 1)));
}

TEST_CASE("LivePolicy: the rate limit option replaces the 15 s interval", "[files][live_policy]") {
  // wandb's test of _live_policy_rate_limit=2 and _live_policy_wait_time=2.
  LivePolicyOptions options;
  options.min_interval = absl::Seconds(2);
  options.wait_time = absl::Seconds(2);
  LivePolicy policy = UploadedAtStart(10'000, options);
  FileVersion doubled = Version(20'000, 2);
  CHECK_FALSE(policy.ShouldUpload(doubled, At(absl::Seconds(1))));
  CHECK_FALSE(policy.ShouldUpload(doubled, At(absl::Seconds(2))));  // not more than the wait
  CHECK(policy.ShouldUpload(doubled, At(absl::Milliseconds(2100))));
}

TEST_CASE("LivePolicy: the wait time option replaces every size-based wait",
          "[files][live_policy]") {
  LivePolicyOptions options;
  options.wait_time = absl::Seconds(30);
  LivePolicy policy(options);
  CHECK(policy.WaitFor(1) == absl::Seconds(30));
  CHECK(policy.WaitFor(5'000'000'000) == absl::Seconds(30));

  LivePolicy uploaded = UploadedAtStart(1000, options);
  CHECK_FALSE(uploaded.ShouldUpload(Version(2000, 2), At(absl::Seconds(30))));
  CHECK(uploaded.ShouldUpload(Version(2000, 2), At(absl::Seconds(31))));
}

TEST_CASE("LivePolicy: a zero wait time means the size-based waits, as in wandb",
          "[files][live_policy]") {
  LivePolicyOptions options;
  options.wait_time = absl::ZeroDuration();
  CHECK(LivePolicy(options).WaitFor(1) == absl::Seconds(60));
}

TEST_CASE("LivePolicy: growth and size steps are configurable", "[files][live_policy]") {
  LivePolicyOptions options;
  options.growth = 2.0;
  options.size_waits = {{100, absl::Seconds(20)}};
  options.largest_wait = absl::Seconds(40);
  LivePolicy policy = UploadedAtStart(50, options);
  CHECK(policy.WaitFor(99) == absl::Seconds(20));
  CHECK(policy.WaitFor(100) == absl::Seconds(40));
  CHECK_FALSE(policy.ShouldUpload(Version(99, 2), At(absl::Hours(1))));  // < 2x
  CHECK_FALSE(policy.ShouldUpload(Version(100, 2), At(absl::Seconds(40))));
  CHECK(policy.ShouldUpload(Version(100, 2), At(absl::Seconds(41))));
}

TEST_CASE("LivePolicy: an upload of an empty version skips the growth check",
          "[files][live_policy]") {
  LivePolicy policy;
  policy.MarkUploaded(Version(0, 1), kStart);  // wandb divides only by a positive size
  CHECK_FALSE(policy.ShouldUpload(Version(10, 2), At(absl::Seconds(60))));
  CHECK(policy.ShouldUpload(Version(10, 2), At(absl::Seconds(61))));
}

}  // namespace
}  // namespace wandb::files
