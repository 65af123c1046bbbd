#include "service/system/nvml.h"

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

TEST_CASE("NVML: no GPUs without the library; sane readings with it", "[system]") {
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

}  // namespace wandb::service
