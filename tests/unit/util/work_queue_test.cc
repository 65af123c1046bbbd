#include "common/util/work_queue.h"

#include <catch2/catch.hpp>
#include <chrono>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "absl/time/clock.h"

namespace wandb {
namespace {

TEST_CASE("WorkQueue: PopAll takes everything pending, in order", "[work_queue]") {
  WorkQueue<int> q;
  CHECK(q.Push(1));
  CHECK(q.Push(2));
  CHECK(q.Push(3));
  std::vector<int> out = {99, 98};  // cleared first
  REQUIRE(q.PopAll(&out));
  CHECK(out == std::vector<int>{1, 2, 3});
  CHECK(q.Push(4));
  REQUIRE(q.PopAll(&out));
  CHECK(out == std::vector<int>{4});
}

TEST_CASE("WorkQueue: PushAll appends a batch and empties it", "[work_queue]") {
  WorkQueue<std::string> q;
  CHECK(q.Push("a"));
  std::vector<std::string> batch = {"b", "c"};
  CHECK(q.PushAll(&batch));
  CHECK(batch.empty());
  std::vector<std::string> empty;
  CHECK(q.PushAll(&empty));
  std::vector<std::string> out;
  REQUIRE(q.PopAll(&out));
  CHECK(out == std::vector<std::string>{"a", "b", "c"});
}

TEST_CASE("WorkQueue: move-only items", "[work_queue]") {
  WorkQueue<std::unique_ptr<int>> q;
  CHECK(q.Push(std::make_unique<int>(7)));
  std::vector<std::unique_ptr<int>> batch;
  batch.push_back(std::make_unique<int>(8));
  CHECK(q.PushAll(&batch));
  std::vector<std::unique_ptr<int>> out;
  REQUIRE(q.PopAll(&out));
  REQUIRE(out.size() == 2);
  CHECK(*out[0] == 7);
  CHECK(*out[1] == 8);
}

TEST_CASE("WorkQueue: Close refuses producers and lets the consumer drain", "[work_queue]") {
  WorkQueue<int> q;
  CHECK(q.Push(1));
  CHECK(q.Push(2));
  q.Close();
  CHECK_FALSE(q.Push(3));
  std::vector<int> batch = {4, 5};
  CHECK_FALSE(q.PushAll(&batch));
  CHECK(batch == std::vector<int>{4, 5});  // not taken, so not emptied
  std::vector<int> out;
  REQUIRE(q.PopAll(&out));
  CHECK(out == std::vector<int>{1, 2});
  // Closed and drained: PopAll returns at once.
  out = {42};
  CHECK_FALSE(q.PopAll(&out));
  CHECK(out.empty());
  CHECK_FALSE(q.PopAllFor(&out, absl::Seconds(10)));
  CHECK(out.empty());
  q.Close();  // closing twice is harmless
  CHECK_FALSE(q.PopAll(&out));
}

TEST_CASE("WorkQueue: PopAllFor returns empty-handed after the timeout", "[work_queue]") {
  WorkQueue<int> q;
  std::vector<int> out = {1};
  absl::Time start = absl::Now();
  CHECK(q.PopAllFor(&out, absl::Milliseconds(100)));
  absl::Duration waited = absl::Now() - start;
  CHECK(out.empty());
  CHECK(waited >= absl::Milliseconds(100));
  CHECK(waited < absl::Seconds(5));

  SECTION("and returns at once when something is pending") {
    CHECK(q.Push(5));
    absl::Time t = absl::Now();
    REQUIRE(q.PopAllFor(&out, absl::Seconds(10)));
    CHECK(out == std::vector<int>{5});
    CHECK(absl::Now() - t < absl::Seconds(5));
  }
  SECTION("closed with items still pending: those come out first") {
    CHECK(q.Push(6));
    q.Close();
    REQUIRE(q.PopAllFor(&out, absl::Seconds(10)));
    CHECK(out == std::vector<int>{6});
    CHECK_FALSE(q.PopAllFor(&out, absl::Seconds(10)));
  }
}

TEST_CASE("WorkQueue: PopAll blocks until a producer pushes", "[work_queue]") {
  WorkQueue<int> q;
  std::thread producer([&q] {
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
    q.Push(11);
  });
  absl::Time start = absl::Now();
  std::vector<int> out;
  REQUIRE(q.PopAll(&out));
  absl::Duration waited = absl::Now() - start;
  producer.join();
  CHECK(out == std::vector<int>{11});
  CHECK(waited >= absl::Milliseconds(50));
}

TEST_CASE("WorkQueue: Close wakes a blocked consumer", "[work_queue]") {
  WorkQueue<int> q;
  std::thread closer([&q] {
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
    q.Close();
  });
  std::vector<int> out;
  CHECK_FALSE(q.PopAll(&out));
  closer.join();

  WorkQueue<int> q2;
  std::thread closer2([&q2] {
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
    q2.Close();
  });
  absl::Time start = absl::Now();
  CHECK_FALSE(q2.PopAllFor(&out, absl::Seconds(30)));
  CHECK(absl::Now() - start < absl::Seconds(10));
  closer2.join();
}

TEST_CASE("WorkQueue: everything one thread pushes reaches the other, in order", "[work_queue]") {
  constexpr int kItems = 20000;
  WorkQueue<int> q;
  std::thread producer([&q] {
    int next = 0;
    while (next < kItems) {
      if (next % 3 == 0) {
        std::vector<int> batch;
        for (int i = 0; i < 7 && next < kItems; ++i) batch.push_back(next++);
        q.PushAll(&batch);
      } else {
        q.Push(next++);
      }
    }
    q.Close();
  });
  std::vector<int> received;
  std::vector<int> out;
  int batches = 0;
  bool timed = false;
  while (true) {
    bool more = timed ? q.PopAllFor(&out, absl::Milliseconds(1)) : q.PopAll(&out);
    timed = !timed;
    if (!more) break;
    ++batches;
    received.insert(received.end(), out.begin(), out.end());
  }
  producer.join();
  REQUIRE(received.size() == static_cast<size_t>(kItems));
  for (int i = 0; i < kItems; ++i) {
    if (received[static_cast<size_t>(i)] != i) FAIL("item " << i << " is " << received[i]);
  }
  CHECK(batches >= 1);
  CHECK(batches <= kItems);
}

}  // namespace
}  // namespace wandb
