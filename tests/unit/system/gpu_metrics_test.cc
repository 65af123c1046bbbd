#include "service/system/gpu_metrics.h"

#include <catch2/catch.hpp>
#include <map>
#include <string>

namespace wandb::service {
namespace {

GpuReading FullReading(int index) {
  GpuReading r;
  r.index = index;
  r.gpu_utilization = 87;
  r.memory_utilization = 40;
  r.memory_used = 20ull << 30;
  r.memory_total = 80ull << 30;
  r.temperature = 64;
  r.power_milliwatts = 350000;
  r.power_limit_milliwatts = 700000;
  return r;
}

std::vector<std::string> Keys(const StatsSample& sample) {
  std::vector<std::string> keys;
  for (const StatsEntry& e : sample) keys.push_back(e.key);
  return keys;
}

std::map<std::string, double> Values(const StatsSample& sample) {
  std::map<std::string, double> values;
  for (const StatsEntry& e : sample) values[e.key] = e.number;
  return values;
}

}  // namespace

TEST_CASE("an NVML reading becomes wandb's gpu.<i>.* keys", "[system]") {
  StatsSample out;
  AppendGpuMetrics(FullReading(1), /*used_by_process=*/false, &out);
  CHECK(Keys(out) == std::vector<std::string>{"gpu.1.gpu", "gpu.1.memory", "gpu.1.memoryAllocated",
                                              "gpu.1.temp", "gpu.1.powerWatts",
                                              "gpu.1.powerPercent"});
  std::map<std::string, double> v = Values(out);
  CHECK(v["gpu.1.gpu"] == 87);
  CHECK(v["gpu.1.memory"] == 40);
  CHECK(v["gpu.1.memoryAllocated"] == Approx(25.0));
  CHECK(v["gpu.1.temp"] == 64);
  CHECK(v["gpu.1.powerWatts"] == Approx(350.0));
  CHECK(v["gpu.1.powerPercent"] == Approx(50.0));
  for (const StatsEntry& e : out) CHECK(e.json.empty());  // all averaged
}

TEST_CASE("a GPU running the training process repeats its readings under gpu.process", "[system]") {
  StatsSample out;
  AppendGpuMetrics(FullReading(0), /*used_by_process=*/true, &out);
  CHECK(Keys(out) ==
        std::vector<std::string>{"gpu.0.gpu", "gpu.0.memory", "gpu.0.memoryAllocated", "gpu.0.temp",
                                 "gpu.process.0.gpu", "gpu.process.0.memory",
                                 "gpu.process.0.memoryAllocated", "gpu.process.0.temp",
                                 "gpu.0.powerWatts", "gpu.0.powerPercent",
                                 "gpu.process.0.powerWatts", "gpu.process.0.powerPercent"});
  std::map<std::string, double> v = Values(out);
  CHECK(v["gpu.process.0.temp"] == 64);
  CHECK(v["gpu.process.0.powerPercent"] == Approx(50.0));
}

TEST_CASE("a GPU without power readings reports no power keys", "[system]") {
  GpuReading r = FullReading(0);
  r.power_limit_milliwatts.reset();
  StatsSample out;
  AppendGpuMetrics(r, false, &out);
  CHECK(Keys(out) == std::vector<std::string>{"gpu.0.gpu", "gpu.0.memory", "gpu.0.memoryAllocated",
                                              "gpu.0.temp"});
  r = FullReading(0);
  r.power_limit_milliwatts = 0;  // never divides by zero
  out.clear();
  AppendGpuMetrics(r, false, &out);
  CHECK(out.size() == 4);
}

TEST_CASE("a GPU missing a core reading contributes nothing, as in wandb", "[system]") {
  GpuReading no_temp = FullReading(0);
  no_temp.temperature.reset();
  GpuReading no_memory = FullReading(0);
  no_memory.memory_total = 0;
  GpuReading no_utilization = FullReading(0);
  no_utilization.gpu_utilization.reset();
  for (const GpuReading& r : {no_temp, no_memory, no_utilization}) {
    StatsSample out;
    AppendGpuMetrics(r, true, &out);
    CHECK(out.empty());
  }
}

}  // namespace wandb::service
