#include "service/system/system_sampler.h"

#include <unistd.h>

#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>
#include <map>

#include "tests/support/temp_dir.h"

namespace wandb::service {
namespace {

// A /proc of our own: the machine and process 4242, counters set by the test.
class FakeProc {
 public:
  FakeProc() { std::filesystem::create_directories(dir_.path() + "/net"); }
  const std::string& root() const { return dir_.path(); }

  void Set(uint64_t busy, uint64_t idle, uint64_t sent, uint64_t recv, uint64_t process_ticks) {
    Write("stat", "cpu  " + std::to_string(busy) + " 0 0 " + std::to_string(idle) +
                      " 0 0 0 0 0 0\ncpu0 1 0 0 1 0 0 0 0 0 0\n");
    Write("meminfo", "MemTotal: 1048576 kB\nMemFree: 1000 kB\nMemAvailable: 262144 kB\n");
    Write("net/dev",
          "Inter-| Receive | Transmit\n face |bytes|bytes\n  eth0: " + std::to_string(recv) +
              " 0 0 0 0 0 0 0 " + std::to_string(sent) + " 0 0 0 0 0 0 0\n");
    std::filesystem::create_directories(dir_.path() + "/4242");
    // utime = process_ticks, stime 0, 7 threads, 25600 pages of RSS.
    Write("4242/stat", "4242 (train) S 1 4242 4242 0 -1 0 0 0 0 0 " +
                           std::to_string(process_ticks) +
                           " 0 0 0 20 0 7 0 100 1000000 25600 0 0\n");
  }

 private:
  void Write(const std::string& name, const std::string& text) {
    std::ofstream(dir_.File(name)) << text;
  }
  testing::TempDir dir_{"wandb_proc"};
};

std::vector<std::string> Keys(const StatsSample& sample) {
  std::vector<std::string> keys;
  for (const StatsEntry& e : sample) keys.push_back(e.key);
  return keys;
}

const StatsEntry* Find(const StatsSample& sample, const std::string& key) {
  for (const StatsEntry& e : sample) {
    if (e.key == key) return &e;
  }
  return nullptr;
}

}  // namespace

TEST_CASE("a sample has wandb's keys, in wandb's order, measured since the last one", "[system]") {
  FakeProc proc;
  proc.Set(/*busy=*/1000, /*idle=*/1000, /*sent=*/5000, /*recv=*/9000, /*ticks=*/10);
  SystemSampler sampler({.pid = 4242, .proc_root = proc.root()});
  proc.Set(1300, 1100, 5500, 9100, 20);  // 300 of 400 ticks busy
  StatsSample sample = sampler.Sample();
  CHECK(Keys(sample) == std::vector<std::string>{"cpu", "memory", "network", "disk",
                                                 "proc.memory.availableMB", "proc.memory.rssMB",
                                                 "proc.memory.percent", "proc.cpu.threads",
                                                 "proc.cpu.percent"});
  CHECK(Find(sample, "cpu")->number == 75.0);
  CHECK(Find(sample, "memory")->number == 75.0);
  // Bytes since the sampler started, not averaged.
  CHECK(Find(sample, "network")->json == R"({"sent": 500, "recv": 100})");
  CHECK(Find(sample, "proc.memory.availableMB")->number == 256.0);
  double rss_mb = 25600.0 * sysconf(_SC_PAGESIZE) / 1048576;
  CHECK(Find(sample, "proc.memory.rssMB")->number == Approx(rss_mb));
  CHECK(Find(sample, "proc.memory.percent")->number == Approx(100 * rss_mb / 1024));
  CHECK(Find(sample, "proc.cpu.threads")->number == 7);
  double process_cpu = Find(sample, "proc.cpu.percent")->number;
  CHECK(process_cpu >= 0.0);
  CHECK(process_cpu <= 100.0);

  proc.Set(1300, 1500, 6000, 9100, 20);  // all idle since
  sample = sampler.Sample();
  CHECK(Find(sample, "cpu")->number == 0.0);
  CHECK(Find(sample, "network")->json == R"({"sent": 1000, "recv": 100})");
  CHECK(Find(sample, "proc.cpu.percent")->number == 0.0);
}

TEST_CASE("a training process that is gone leaves its keys out", "[system]") {
  FakeProc proc;
  proc.Set(1000, 1000, 0, 0, 10);
  SystemSampler sampler({.pid = 4243, .proc_root = proc.root()});
  StatsSample sample = sampler.Sample();
  CHECK(Keys(sample) ==
        std::vector<std::string>{"cpu", "memory", "network", "disk", "proc.memory.availableMB"});
}

TEST_CASE("sampling this process from the real /proc gives sane values and no GPU keys",
          "[system]") {
  SystemSampler sampler({.pid = getpid()});  // no NVML: GPU metrics are absent
  volatile double spin = 0;
  for (int i = 0; i < 2000000; ++i) spin = spin + i;  // some CPU time to measure
  StatsSample sample = sampler.Sample();
  for (const char* percent : {"cpu", "memory", "disk", "proc.memory.percent", "proc.cpu.percent"}) {
    const StatsEntry* e = Find(sample, percent);
    INFO(percent);
    REQUIRE(e != nullptr);
    CHECK(e->number >= 0.0);
    CHECK(e->number <= 100.0);
  }
  CHECK(Find(sample, "proc.memory.rssMB")->number > 0);
  CHECK(Find(sample, "proc.memory.availableMB")->number > 0);
  CHECK(Find(sample, "proc.cpu.threads")->number >= 1);
  REQUIRE(Find(sample, "network") != nullptr);
  CHECK(Find(sample, "network")->json.rfind("{\"sent\": ", 0) == 0);
  for (const StatsEntry& e : sample) CHECK(e.key.rfind("gpu.", 0) != 0);
}

TEST_CASE("GPU metrics: every GPU's keys, and gpu.process for the one running our process",
          "[system]") {
  absl::StatusOr<std::unique_ptr<Nvml>> nvml = Nvml::Load(WANDB_FAKE_NVML);
  REQUIRE(nvml.ok());
  // The fake lists this process on GPU 0; a child of it would count the same.
  SystemSampler sampler({.pid = getpid(), .nvml = nvml->get()});
  StatsSample sample = sampler.Sample();
  std::vector<std::string> keys = Keys(sample);
  std::vector<std::string> gpu_keys(keys.begin(), keys.begin() + 16);
  CHECK(gpu_keys == std::vector<std::string>{
                        "gpu.0.gpu", "gpu.0.memory", "gpu.0.memoryAllocated", "gpu.0.temp",
                        "gpu.process.0.gpu", "gpu.process.0.memory",
                        "gpu.process.0.memoryAllocated", "gpu.process.0.temp", "gpu.0.powerWatts",
                        "gpu.0.powerPercent", "gpu.process.0.powerWatts",
                        "gpu.process.0.powerPercent",
                        // GPU 1: idle, not ours, no power readings.
                        "gpu.1.gpu", "gpu.1.memory", "gpu.1.memoryAllocated", "gpu.1.temp"});
  CHECK(keys[16] == "cpu");
  CHECK(Find(sample, "gpu.0.memoryAllocated")->number == Approx(25.0));
  CHECK(Find(sample, "gpu.process.0.powerPercent")->number == Approx(50.0));
  CHECK(Find(sample, "gpu.1.temp")->number == 31);

  // The run of a process that is neither on GPU 0 nor an ancestor of one there.
  SystemSampler other({.pid = 3999999, .nvml = nvml->get()});
  for (const StatsEntry& e : other.Sample()) CHECK(e.key.rfind("gpu.process.", 0) != 0);
}

}  // namespace wandb::service
