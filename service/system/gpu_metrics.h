// From what NVML says about one GPU to wandb's gpu.* metric keys (reference section 12). A
// pure function, so the mapping is tested on machines without a GPU.
#ifndef WANDB_SERVICE_SYSTEM_GPU_METRICS_H_
#define WANDB_SERVICE_SYSTEM_GPU_METRICS_H_

#include <cstdint>
#include <optional>
#include <vector>

#include "service/system/stats_sample.h"

namespace wandb::service {

// One GPU's readings. A reading NVML refused is absent.
struct GpuReading {
  int index = 0;
  std::optional<unsigned> gpu_utilization;     // percent of time a kernel ran
  std::optional<unsigned> memory_utilization;  // percent of time memory was read or written
  std::optional<uint64_t> memory_used;         // bytes
  std::optional<uint64_t> memory_total;        // bytes
  std::optional<unsigned> temperature;         // degrees Celsius, at the GPU die
  std::optional<unsigned> power_milliwatts;
  std::optional<unsigned> power_limit_milliwatts;  // the enforced limit
  std::vector<uint32_t> pids;                      // processes running on it (compute, graphics)
};

// Appends gpu.<i>.gpu, .memory, .memoryAllocated, .temp and, when the GPU reports power,
// .powerWatts and .powerPercent; the same again under gpu.process.<i>.* when
// `used_by_process` (the GPU runs a process of the training process's tree). As wandb, a
// GPU without utilization, memory or temperature readings contributes nothing.
void AppendGpuMetrics(const GpuReading& gpu, bool used_by_process, StatsSample* out);

}  // namespace wandb::service

#endif  // WANDB_SERVICE_SYSTEM_GPU_METRICS_H_
