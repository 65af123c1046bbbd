#include "service/system/stats_averager.h"

#include <catch2/catch.hpp>
#include <map>
#include <string>

namespace wandb::service {
namespace {

StatsSample Sample(double cpu, double threads, int sent) {
  return {{"cpu", cpu, {}},
          {"network", 0, "{\"sent\": " + std::to_string(sent) + ", \"recv\": 0}"},
          {"proc.cpu.threads", threads, {}}};
}

std::map<std::string, std::string> Items(const records::StatsRecord& record) {
  std::map<std::string, std::string> items;
  for (const records::StatsItem& item : record.item()) items[item.key()] = item.value_json();
  return items;
}

}  // namespace

TEST_CASE("a StatsRecord holds the means of the samples before it, rounded to 2 decimals",
          "[system]") {
  StatsAverager averager;
  averager.Add(Sample(10.0, 4, 100));
  averager.Add(Sample(20.0, 4, 200));
  averager.Add(Sample(20.5, 5, 300));
  CHECK(averager.samples() == 3);
  // The flush-time sample's numbers are not in the mean; its network is what is reported.
  records::StatsRecord record =
      averager.Flush(Sample(99.0, 9, 400), absl::FromUnixMillis(1700000000250));
  std::map<std::string, std::string> items = Items(record);
  CHECK(items["cpu"] == "16.83");  // 50.5 / 3
  CHECK(items["proc.cpu.threads"] == "4.33");
  CHECK(items["network"] == R"({"sent": 400, "recv": 0})");
  CHECK(record.stats_type() == records::StatsRecord::SYSTEM);
  CHECK(record.timestamp().seconds() == 1700000000);
  CHECK(record.timestamp().nanos() == 250000000);
  // In the flush sample's order, as wandb's dict.
  REQUIRE(record.item_size() == 3);
  CHECK(record.item(0).key() == "cpu");
  CHECK(record.item(1).key() == "network");
  CHECK(averager.samples() == 0);
}

TEST_CASE("averaging starts over after each record, and a key never sampled keeps its value",
          "[system]") {
  StatsAverager averager;
  averager.Add(Sample(50.0, 4, 0));
  averager.Flush(Sample(0, 4, 0), absl::Now());
  // Nothing accumulated since (a finish right after a record): the flush sample stands, as
  // wandb falls back to the current value.
  std::map<std::string, std::string> items = Items(averager.Flush(Sample(7.25, 3, 0), absl::Now()));
  CHECK(items["cpu"] == "7.25");
  CHECK(items["proc.cpu.threads"] == "3.0");  // a float, as Python's round() gives
  // A key that only the flush sample has (a GPU that appeared) is its own value.
  averager.Add(Sample(10.0, 2, 0));
  StatsSample with_gpu = Sample(30.0, 2, 0);
  with_gpu.push_back({"gpu.0.temp", 61, {}});
  items = Items(averager.Flush(with_gpu, absl::Now()));
  CHECK(items["cpu"] == "10.0");
  CHECK(items["gpu.0.temp"] == "61.0");
}

}  // namespace wandb::service
