#include "service/files/upload_pool.h"

#include <algorithm>
#include <atomic>
#include <catch2/catch.hpp>
#include <map>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "absl/synchronization/notification.h"
#include "tests/unit/files/files_test_support.h"

namespace wandb::files {
namespace {

using testing::WaitUntil;

UploadTask Task(const std::string& name, int64_t size = 10) {
  return UploadTask{.save_name = name,
                    .source_path = "/nowhere/" + name,
                    .policy = Policy::kLive,
                    .version = FileVersion{.size = size, .mtime = absl::FromUnixSeconds(size)}};
}

// Options for tests: millisecond backoff, no jitter unless asked.
UploadPoolOptions FastOptions(int workers = 2) {
  UploadPoolOptions options;
  options.workers = workers;
  options.initial_backoff = absl::Milliseconds(1);
  options.max_backoff = absl::Milliseconds(20);
  options.max_jitter = 0;
  return options;
}

absl::Time Soon() { return absl::Now() + absl::Seconds(10); }

// Holds uploads until Open(); records what ran, and how many ran at once.
class Gate {
 public:
  absl::StatusOr<UploadOutcome> Upload(const UploadTask& task) {
    int now = ++running_;
    int seen = max_running_.load();
    while (now > seen && !max_running_.compare_exchange_weak(seen, now)) {
    }
    {
      std::lock_guard<std::mutex> lock(mu_);
      started_.push_back(task.save_name + "@" + std::to_string(task.version.size));
    }
    open_.WaitForNotification();
    --running_;
    return UploadOutcome{.bytes = task.version.size};
  }
  void Open() { open_.Notify(); }
  int running() const { return running_.load(); }
  int max_running() const { return max_running_.load(); }
  std::vector<std::string> started() const {
    std::lock_guard<std::mutex> lock(mu_);
    return started_;
  }

 private:
  absl::Notification open_;
  std::atomic<int> running_{0};
  std::atomic<int> max_running_{0};
  mutable std::mutex mu_;
  std::vector<std::string> started_;
};

TEST_CASE("UploadPool: uploads everything and counts files and bytes", "[files][upload_pool]") {
  // Catch2 assertions are not thread-safe: callbacks on workers only count.
  std::atomic<int> done{0};
  UploadPool pool(
      [](const UploadTask& task) -> absl::StatusOr<UploadOutcome> {
        return UploadOutcome{.bytes = task.version.size, .unchanged = task.save_name == "same"};
      },
      FastOptions(),
      [&](const UploadTask&, const absl::StatusOr<UploadOutcome>& outcome) {
        if (outcome.ok()) ++done;
      });
  for (int i = 0; i < 20; ++i) REQUIRE(pool.Enqueue(Task("f" + std::to_string(i), 5)).ok());
  REQUIRE(pool.Enqueue(Task("same", 7)).ok());
  REQUIRE(pool.WaitIdle(Soon()));
  UploadStats stats = pool.stats();
  CHECK(done == 21);
  CHECK(stats.files_uploaded == 20);
  CHECK(stats.bytes_uploaded == 100);
  CHECK(stats.files_deduped == 1);
  CHECK(stats.bytes_deduped == 7);
  CHECK(stats.failed == 0);
  CHECK(stats.in_flight == 0);
  CHECK(stats.queued == 0);
}

TEST_CASE("UploadPool: no more uploads run at once than there are workers",
          "[files][upload_pool]") {
  Gate gate;
  UploadPool pool([&](const UploadTask& task) { return gate.Upload(task); }, FastOptions(3));
  for (int i = 0; i < 10; ++i) REQUIRE(pool.Enqueue(Task("f" + std::to_string(i))).ok());
  REQUIRE(WaitUntil([&] { return gate.running() == 3; }));
  std::this_thread::sleep_for(std::chrono::milliseconds(50));  // give a 4th the chance to start
  CHECK(gate.running() == 3);
  CHECK(pool.stats().in_flight == 3);
  CHECK(pool.stats().queued == 7);
  gate.Open();
  REQUIRE(pool.WaitIdle(Soon()));
  CHECK(gate.max_running() == 3);
  CHECK(pool.stats().files_uploaded == 10);
}

TEST_CASE("UploadPool: uploads of one name run one at a time, in order", "[files][upload_pool]") {
  Gate gate;
  UploadPool pool([&](const UploadTask& task) { return gate.Upload(task); }, FastOptions(4));
  REQUIRE(pool.Enqueue(Task("a", 1)).ok());
  REQUIRE(WaitUntil([&] { return gate.running() == 1; }));
  REQUIRE(pool.Enqueue(Task("a", 2)).ok());  // waits for the first
  REQUIRE(pool.Enqueue(Task("b", 1)).ok());  // another name runs beside it
  REQUIRE(WaitUntil([&] { return gate.running() == 2; }));
  std::this_thread::sleep_for(std::chrono::milliseconds(50));
  CHECK(gate.running() == 2);
  CHECK(gate.started() == std::vector<std::string>{"a@1", "b@1"});
  gate.Open();
  REQUIRE(pool.WaitIdle(Soon()));
  CHECK(gate.started() == std::vector<std::string>{"a@1", "b@1", "a@2"});
}

TEST_CASE("UploadPool: a waiting upload of a name takes the newest task", "[files][upload_pool]") {
  Gate gate;
  UploadPool pool([&](const UploadTask& task) { return gate.Upload(task); }, FastOptions(2));
  REQUIRE(pool.Enqueue(Task("a", 1)).ok());
  REQUIRE(WaitUntil([&] { return gate.running() == 1; }));
  REQUIRE(pool.Enqueue(Task("a", 2)).ok());
  REQUIRE(pool.Enqueue(Task("a", 3)).ok());
  REQUIRE(pool.Enqueue(Task("a", 4)).ok());
  CHECK(pool.stats().coalesced == 2);
  CHECK(pool.stats().queued == 1);
  gate.Open();
  REQUIRE(pool.WaitIdle(Soon()));
  CHECK(gate.started() == std::vector<std::string>{"a@1", "a@4"});
}

TEST_CASE("UploadPool: per-name order holds under concurrent enqueues", "[files][upload_pool]") {
  std::mutex mu;
  std::map<std::string, int> active;
  std::map<std::string, std::vector<int64_t>> runs;
  bool overlapped = false;
  UploadPool pool(
      [&](const UploadTask& task) -> absl::StatusOr<UploadOutcome> {
        {
          std::lock_guard<std::mutex> lock(mu);
          if (++active[task.save_name] > 1) overlapped = true;
          runs[task.save_name].push_back(task.version.size);
        }
        std::this_thread::sleep_for(std::chrono::microseconds(200));
        std::lock_guard<std::mutex> lock(mu);
        --active[task.save_name];
        return UploadOutcome{.bytes = 1};
      },
      FastOptions(4));
  std::atomic<int> refused{0};
  std::vector<std::thread> producers;
  for (int p = 0; p < 4; ++p) {
    producers.emplace_back([&pool, &refused, p] {
      std::string name = "file" + std::to_string(p % 2);
      for (int i = 1; i <= 200; ++i) {
        if (!pool.Enqueue(Task(name, p * 1000 + i)).ok()) ++refused;
      }
    });
  }
  for (std::thread& producer : producers) producer.join();
  REQUIRE(pool.WaitIdle(Soon()));
  CHECK(refused == 0);
  CHECK_FALSE(overlapped);
  // Each producer's tasks of a name come out in the order it enqueued them.
  for (auto& [name, sizes] : runs) {
    for (int p = 0; p < 4; ++p) {
      std::vector<int64_t> mine;
      for (int64_t size : sizes) {
        if (size / 1000 == p) mine.push_back(size);
      }
      CHECK(std::is_sorted(mine.begin(), mine.end()));
    }
  }
}

TEST_CASE("UploadPool: a retryable failure is retried, then succeeds", "[files][upload_pool]") {
  std::atomic<int> attempts{0};
  std::vector<absl::Status> results;
  std::mutex mu;
  UploadPool pool(
      [&](const UploadTask&) -> absl::StatusOr<UploadOutcome> {
        if (++attempts <= 2) return absl::UnavailableError("store busy");
        return UploadOutcome{.bytes = 3};
      },
      FastOptions(),
      [&](const UploadTask&, const absl::StatusOr<UploadOutcome>& outcome) {
        std::lock_guard<std::mutex> lock(mu);
        results.push_back(outcome.status());
      });
  REQUIRE(pool.Enqueue(Task("a")).ok());
  REQUIRE(pool.WaitIdle(Soon()));
  CHECK(attempts == 3);
  UploadStats stats = pool.stats();
  CHECK(stats.retries == 2);
  CHECK(stats.files_uploaded == 1);
  CHECK(stats.failed == 0);
  std::lock_guard<std::mutex> lock(mu);
  REQUIRE(results.size() == 1);  // on_done hears only the final result
  CHECK(results[0].ok());
}

TEST_CASE("UploadPool: retries back off exponentially", "[files][upload_pool]") {
  std::mutex mu;
  std::vector<absl::Time> times;
  UploadPoolOptions options = FastOptions(1);
  options.initial_backoff = absl::Milliseconds(20);
  options.max_backoff = absl::Seconds(10);
  options.max_jitter = 0.25;
  options.max_attempts = 4;
  UploadPool pool(
      [&](const UploadTask&) -> absl::StatusOr<UploadOutcome> {
        std::lock_guard<std::mutex> lock(mu);
        times.push_back(absl::Now());
        return absl::UnavailableError("down");
      },
      options);
  REQUIRE(pool.Enqueue(Task("a")).ok());
  REQUIRE(pool.WaitIdle(Soon()));
  std::lock_guard<std::mutex> lock(mu);
  REQUIRE(times.size() == 4);
  // Waits of at least 20, 40 and 80 ms (jitter only adds); no upper bound is asserted.
  CHECK(times[1] - times[0] >= absl::Milliseconds(20));
  CHECK(times[2] - times[1] >= absl::Milliseconds(40));
  CHECK(times[3] - times[2] >= absl::Milliseconds(80));
}

TEST_CASE("UploadPool: a permanent failure is counted once", "[files][upload_pool]") {
  std::atomic<int> attempts{0};
  std::atomic<int> failures{0};
  UploadPoolOptions options = FastOptions();
  options.max_attempts = 3;
  auto on_done = [&](const UploadTask&, const absl::StatusOr<UploadOutcome>& outcome) {
    if (!outcome.ok()) ++failures;
  };

  SECTION("out of attempts") {
    UploadPool pool(
        [&](const UploadTask&) -> absl::StatusOr<UploadOutcome> {
          ++attempts;
          return absl::UnavailableError("down");
        },
        options, on_done);
    REQUIRE(pool.Enqueue(Task("a")).ok());
    REQUIRE(pool.WaitIdle(Soon()));
    CHECK(attempts == 3);
    CHECK(pool.stats().retries == 2);
    CHECK(pool.stats().failed == 1);
  }
  SECTION("not retryable") {
    UploadPool pool(
        [&](const UploadTask&) -> absl::StatusOr<UploadOutcome> {
          ++attempts;
          return absl::NotFoundError("gone");
        },
        options, on_done);
    REQUIRE(pool.Enqueue(Task("a")).ok());
    REQUIRE(pool.WaitIdle(Soon()));
    CHECK(attempts == 1);
    CHECK(pool.stats().retries == 0);
    CHECK(pool.stats().failed == 1);
  }
  CHECK(failures == 1);
}

TEST_CASE("UploadPool: a name waiting for a retry holds back its next upload, not others",
          "[files][upload_pool]") {
  std::atomic<int> a_attempts{0};
  std::atomic<int> b_done{0};
  UploadPoolOptions options = FastOptions(1);
  options.initial_backoff = absl::Hours(1);  // the retry stays pending for the whole test
  options.max_backoff = absl::Hours(1);
  UploadPool pool(
      [&](const UploadTask& task) -> absl::StatusOr<UploadOutcome> {
        if (task.save_name == "a") {
          ++a_attempts;
          return absl::UnavailableError("down");
        }
        ++b_done;
        return UploadOutcome{.bytes = 1};
      },
      options);
  REQUIRE(pool.Enqueue(Task("a", 1)).ok());
  REQUIRE(WaitUntil([&] { return pool.stats().retries == 1; }));
  REQUIRE(pool.Enqueue(Task("a", 2)).ok());
  REQUIRE(pool.Enqueue(Task("b", 1)).ok());
  // The only worker is free during a's backoff, so b runs; a's next upload waits behind the
  // retry.
  REQUIRE(WaitUntil([&] { return b_done == 1; }));
  std::this_thread::sleep_for(std::chrono::milliseconds(50));
  CHECK(a_attempts == 1);
  CHECK(pool.stats().queued == 2);  // a's retry and a@2
  CHECK_FALSE(pool.WaitIdle(absl::Now()));
  pool.Stop();
  CHECK(pool.stats().abandoned == 2);
}

TEST_CASE("UploadPool: WaitIdle gives up at its deadline", "[files][upload_pool]") {
  Gate gate;
  UploadPool pool([&](const UploadTask& task) { return gate.Upload(task); }, FastOptions());
  CHECK(pool.WaitIdle(absl::Now()));  // nothing to do
  REQUIRE(pool.Enqueue(Task("a")).ok());
  CHECK_FALSE(pool.WaitIdle(absl::Now() + absl::Milliseconds(30)));
  gate.Open();
  CHECK(pool.WaitIdle(Soon()));
}

TEST_CASE("UploadPool: a full queue refuses at once", "[files][upload_pool]") {
  Gate gate;
  UploadPoolOptions options = FastOptions(1);
  options.max_queued = 2;
  UploadPool pool([&](const UploadTask& task) { return gate.Upload(task); }, options);
  REQUIRE(pool.Enqueue(Task("running")).ok());
  REQUIRE(WaitUntil([&] { return gate.running() == 1; }));
  REQUIRE(pool.Enqueue(Task("b")).ok());
  REQUIRE(pool.Enqueue(Task("c")).ok());
  absl::Status full = pool.Enqueue(Task("d"));
  CHECK(full.code() == absl::StatusCode::kResourceExhausted);
  CHECK(pool.Enqueue(Task("b", 99)).ok());  // a name already waiting still merges
  CHECK(pool.stats().rejected == 1);
  gate.Open();
  REQUIRE(pool.WaitIdle(Soon()));
  CHECK(pool.stats().files_uploaded == 3);
}

TEST_CASE("UploadPool: Stop finishes running uploads and abandons waiting ones",
          "[files][upload_pool]") {
  Gate gate;
  std::atomic<int> cancelled{0};
  std::atomic<int> succeeded{0};
  UploadPool pool([&](const UploadTask& task) { return gate.Upload(task); }, FastOptions(1),
                  [&](const UploadTask&, const absl::StatusOr<UploadOutcome>& outcome) {
                    if (outcome.ok()) ++succeeded;
                    if (outcome.status().code() == absl::StatusCode::kCancelled) ++cancelled;
                  });
  REQUIRE(pool.Enqueue(Task("a")).ok());
  REQUIRE(WaitUntil([&] { return gate.running() == 1; }));
  REQUIRE(pool.Enqueue(Task("b")).ok());
  REQUIRE(pool.Enqueue(Task("c")).ok());
  std::thread stopper([&] { pool.Stop(); });
  REQUIRE(WaitUntil([&] { return pool.stats().abandoned == 2; }));
  gate.Open();  // the running upload may now finish; Stop() joins it
  stopper.join();
  CHECK(succeeded == 1);
  CHECK(cancelled == 2);
  CHECK(pool.stats().queued == 0);
  CHECK(pool.Enqueue(Task("late")).code() == absl::StatusCode::kFailedPrecondition);
  pool.Stop();  // idempotent
  CHECK(pool.WaitIdle(absl::Now()));
}

TEST_CASE("UploadPool: the default retry predicate", "[files][upload_pool]") {
  CHECK(IsRetryableUploadError(absl::UnavailableError("")));
  CHECK(IsRetryableUploadError(absl::ResourceExhaustedError("disk full")));
  CHECK(IsRetryableUploadError(absl::InternalError("")));
  CHECK_FALSE(IsRetryableUploadError(absl::NotFoundError("")));
  CHECK_FALSE(IsRetryableUploadError(absl::InvalidArgumentError("")));
  CHECK_FALSE(IsRetryableUploadError(absl::PermissionDeniedError("")));
}

}  // namespace
}  // namespace wandb::files
