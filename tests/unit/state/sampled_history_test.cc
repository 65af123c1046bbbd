#include "service/state/sampled_history.h"

#include <catch2/catch.hpp>
#include <cmath>
#include <limits>
#include <string>
#include <vector>

namespace wandb::service {
namespace {

std::vector<double> Values(const SampledHistoryItem& item) {
  return std::vector<double>(item.values().begin(), item.values().end());
}

// Adds 0, 1, ..., n-1 under `key` and returns what is kept.
std::vector<double> SampleOfRange(int n) {
  SampledHistory h;
  for (int i = 0; i < n; ++i) h.Add("k", i);
  google::protobuf::RepeatedPtrField<SampledHistoryItem> items;
  h.ToItems(&items);
  REQUIRE(items.size() == 1);
  return Values(items[0]);
}

TEST_CASE("SampledHistory: short series are kept whole", "[sampled_history]") {
  SampledHistory h;
  h.Add("loss", 0.5);
  h.Add("loss", 0.25);
  h.Add("loss", 0.125);
  google::protobuf::RepeatedPtrField<SampledHistoryItem> items;
  h.ToItems(&items);
  REQUIRE(items.size() == 1);
  CHECK(items[0].key() == "loss");
  CHECK(Values(items[0]) == std::vector<double>{0.5, 0.25, 0.125});

  std::vector<double> all = SampleOfRange(SampledHistory::kCapacity - 1);
  REQUIRE(all.size() == SampledHistory::kCapacity - 1);
  for (size_t i = 0; i < all.size(); ++i) CHECK(all[i] == static_cast<double>(i));
}

TEST_CASE("SampledHistory: no keys, no items", "[sampled_history]") {
  SampledHistory h;
  google::protobuf::RepeatedPtrField<SampledHistoryItem> items;
  h.ToItems(&items);
  CHECK(items.empty());
}

TEST_CASE("SampledHistory: long series stay below capacity, evenly spread from the first value",
          "[sampled_history]") {
  for (int n : {128, 129, 200, 255, 256, 257, 1000, 4096, 100000}) {
    INFO("n = " << n);
    std::vector<double> kept = SampleOfRange(n);
    REQUIRE(kept.size() < SampledHistory::kCapacity);
    REQUIRE(kept.size() >= SampledHistory::kCapacity / 2);
    CHECK(kept.front() == 0.0);
    // Consecutive kept values are a constant stride apart, a power of two.
    double stride = kept[1] - kept[0];
    CHECK(stride >= 2.0);
    CHECK((static_cast<uint64_t>(stride) & (static_cast<uint64_t>(stride) - 1)) == 0);
    for (size_t i = 1; i < kept.size(); ++i) {
      if (kept[i] - kept[i - 1] != stride) {
        FAIL("uneven spacing at " << i << ": " << kept[i - 1] << " -> " << kept[i]);
      }
    }
    // The sample reaches the recent end of the series: the newest kept value is within one
    // stride of the last value added.
    CHECK(kept.back() > n - 1 - stride);
    CHECK(kept.back() <= n - 1);
  }
}

TEST_CASE("SampledHistory: the exact sample after the first decimation", "[sampled_history]") {
  // 128 values fill the buffer: every other one is dropped, leaving 0, 2, ..., 126.
  std::vector<double> kept = SampleOfRange(128);
  REQUIRE(kept.size() == 64);
  for (size_t i = 0; i < kept.size(); ++i) CHECK(kept[i] == 2.0 * i);
  // From then on only even positions are taken: 128 and 130 but not 129.
  kept = SampleOfRange(131);
  REQUIRE(kept.size() == 66);
  CHECK(kept[64] == 128.0);
  CHECK(kept[65] == 130.0);
}

TEST_CASE("SampledHistory: keys are independent and listed in first-added order",
          "[sampled_history]") {
  SampledHistory h;
  h.Add("zeta", 1);
  h.Add("alpha", 2);
  for (int i = 0; i < 1000; ++i) h.Add("alpha", i);
  h.Add("zeta", 3);
  h.Add("mid", 4);
  google::protobuf::RepeatedPtrField<SampledHistoryItem> items;
  h.ToItems(&items);
  REQUIRE(items.size() == 3);
  CHECK(items[0].key() == "zeta");
  CHECK(items[1].key() == "alpha");
  CHECK(items[2].key() == "mid");
  CHECK(Values(items[0]) == std::vector<double>{1, 3});
  CHECK(items[1].values_size() < static_cast<int>(SampledHistory::kCapacity));
  CHECK(items[1].values(0) == 2.0);
  CHECK(Values(items[2]) == std::vector<double>{4});
}

TEST_CASE("SampledHistory: ToItems appends to what is already there", "[sampled_history]") {
  SampledHistory h;
  h.Add("a", 1);
  google::protobuf::RepeatedPtrField<SampledHistoryItem> items;
  items.Add()->set_key("existing");
  h.ToItems(&items);
  REQUIRE(items.size() == 2);
  CHECK(items[0].key() == "existing");
  CHECK(items[1].key() == "a");
}

}  // namespace
}  // namespace wandb::service

namespace wandb::service {

TEST_CASE("SampledHistory::AddRow samples numbers by key, whatever the row's layout",
          "[sampled_history]") {
  SampledHistory h;
  for (int i = 0; i < 10; ++i) {
    std::string v = std::to_string(i);
    if (i % 2 == 0) {
      h.AddRow({{"loss", v}, {"_step", v}, {"name", "\"text\""}});
    } else {
      h.AddRow({{"acc", v}, {"loss", v}});  // the keys move
    }
  }
  h.AddRow({{"nan", "NaN"}, {"inf", "-Infinity"}});
  google::protobuf::RepeatedPtrField<SampledHistoryItem> items;
  h.ToItems(&items);
  REQUIRE(items.size() == 4);  // "name" never had a number, "_step" is wandb's own
  CHECK(items[0].key() == "loss");
  CHECK(std::vector<double>(items[0].values().begin(), items[0].values().end()) ==
        std::vector<double>{0, 1, 2, 3, 4, 5, 6, 7, 8, 9});
  CHECK(items[1].key() == "acc");
  CHECK(std::vector<double>(items[1].values().begin(), items[1].values().end()) ==
        std::vector<double>{1, 3, 5, 7, 9});
  CHECK(items[2].key() == "nan");
  CHECK(std::isnan(items[2].values(0)));
  CHECK(items[3].values(0) == -std::numeric_limits<double>::infinity());
}

}  // namespace wandb::service
