#include "service/system/gpu_metrics.h"

#include <string>

#include "absl/strings/str_cat.h"

namespace wandb::service {
namespace {

void Append(const std::string& prefix, const char* name, double value, StatsSample* out) {
  out->push_back({absl::StrCat(prefix, name), value, {}});
}

}  // namespace

void AppendGpuMetrics(const GpuReading& gpu, bool used_by_process, StatsSample* out) {
  if (!gpu.gpu_utilization || !gpu.memory_utilization || !gpu.memory_used || !gpu.memory_total ||
      *gpu.memory_total == 0 || !gpu.temperature) {
    return;
  }
  std::vector<std::string> prefixes = {absl::StrCat("gpu.", gpu.index, ".")};
  if (used_by_process) prefixes.push_back(absl::StrCat("gpu.process.", gpu.index, "."));
  double allocated =
      100.0 * static_cast<double>(*gpu.memory_used) / static_cast<double>(*gpu.memory_total);
  // wandb's order: the readings for the GPU, then for our process, then power for both.
  for (const std::string& prefix : prefixes) {
    Append(prefix, "gpu", *gpu.gpu_utilization, out);
    Append(prefix, "memory", *gpu.memory_utilization, out);
    Append(prefix, "memoryAllocated", allocated, out);
    Append(prefix, "temp", *gpu.temperature, out);
  }
  // Some GPUs report no power draw or limit: then neither power key, as in wandb.
  if (!gpu.power_milliwatts || !gpu.power_limit_milliwatts || *gpu.power_limit_milliwatts == 0) {
    return;
  }
  double watts = *gpu.power_milliwatts / 1000.0;
  double percent = 100.0 * watts / (*gpu.power_limit_milliwatts / 1000.0);
  for (const std::string& prefix : prefixes) {
    Append(prefix, "powerWatts", watts, out);
    Append(prefix, "powerPercent", percent, out);
  }
}

}  // namespace wandb::service
