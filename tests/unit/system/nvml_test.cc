#include "service/system/nvml.h"

#include <unistd.h>

#include <algorithm>
#include <catch2/catch.hpp>

namespace wandb::service {

TEST_CASE("NVML: a missing library is NotFound, one without NVML's functions Unavailable",
          "[system]") {
  absl::StatusOr<std::unique_ptr<Nvml>> missing = Nvml::Load("libwandb-no-such-nvml.so.1");
  CHECK(absl::IsNotFound(missing.status()));
  // A real library that is not NVML: every symbol lookup fails, nothing crashes.
  absl::StatusOr<std::unique_ptr<Nvml>> not_nvml = Nvml::Load("libm.so.6");
  CHECK(absl::IsUnavailable(not_nvml.status()));
}

TEST_CASE("NVML: no GPUs without the library, sane readings with it", "[system]") {
  absl::StatusOr<std::unique_ptr<Nvml>> nvml = Nvml::Load(Nvml::kLibrary);
  if (!nvml.ok() || (*nvml)->device_count() == 0) {
    // This machine has no NVIDIA driver: GPU metrics are absent, not an error.
    CHECK(Nvml::Get() == nullptr);
    GpuInventory inventory = ProbeGpus();
    CHECK(inventory.count == 0);
    CHECK(inventory.names.empty());
    return;
  }
  REQUIRE(Nvml::Get() != nullptr);
  GpuInventory inventory = ProbeGpus();
  CHECK(inventory.count == (*nvml)->device_count());
  CHECK(inventory.names.size() == static_cast<size_t>(inventory.count));
  CHECK_FALSE(inventory.driver_version.empty());
  for (int i = 0; i < (*nvml)->device_count(); ++i) {
    GpuReading r = (*nvml)->Read(i);
    CHECK(r.index == i);
    REQUIRE(r.gpu_utilization.has_value());
    CHECK(*r.gpu_utilization <= 100);
    REQUIRE(r.memory_total.has_value());
    CHECK(*r.memory_used <= *r.memory_total);
    StatsSample out;
    AppendGpuMetrics(r, false, &out);
    CHECK_FALSE(out.empty());
  }
  CHECK((*nvml)->Read(-1).gpu_utilization == std::nullopt);
}

TEST_CASE("NVML: readings, process lists and inventory through the real loader", "[system]") {
  // tests/support/fake_nvml.cc, a library with NVML's functions and fixed readings.
  absl::StatusOr<std::unique_ptr<Nvml>> nvml = Nvml::Load(WANDB_FAKE_NVML);
  INFO(nvml.status().ToString());
  REQUIRE(nvml.ok());
  REQUIRE((*nvml)->device_count() == 2);

  GpuReading busy = (*nvml)->Read(0);
  CHECK(busy.gpu_utilization == 87u);
  CHECK(busy.memory_utilization == 40u);
  CHECK(busy.memory_used == 20ull << 30);
  CHECK(busy.memory_total == 80ull << 30);
  CHECK(busy.temperature == 64u);
  CHECK(busy.power_milliwatts == 350000u);
  CHECK(busy.power_limit_milliwatts == 700000u);
  // 20 processes: more than the first buffer holds, so NVML is asked again with room.
  REQUIRE(busy.pids.size() == 20);
  CHECK(busy.pids.back() == static_cast<uint32_t>(getpid()));
  CHECK(busy.pids.front() == 4000000u);

  GpuReading idle = (*nvml)->Read(1);
  CHECK(idle.temperature == 31u);
  CHECK_FALSE(idle.power_milliwatts.has_value());  // NOT_SUPPORTED
  CHECK(idle.pids.empty());

  GpuInventory inventory = (*nvml)->Inventory();
  CHECK(inventory.count == 2);
  CHECK(inventory.names == std::vector<std::string>{"Fake GPU Zero", "Fake GPU One"});
  CHECK(inventory.driver_version == "535.104.05");
  CHECK(inventory.cuda_version == "12.2");
}

}  // namespace wandb::service
