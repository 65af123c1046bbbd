// NVIDIA's management library (NVML), loaded at run time with dlopen: a machine without an
// NVIDIA driver needs nothing, and its runs simply have no GPU metrics. Only the few
// functions the sampler and wandb-metadata.json need are resolved, each with dlsym; a missing
// library, a missing function or a failing nvmlInit all mean "no GPUs", never an error.
#ifndef WANDB_SERVICE_SYSTEM_NVML_H_
#define WANDB_SERVICE_SYSTEM_NVML_H_

#include <memory>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "service/system/gpu_metrics.h"

namespace wandb::service {

// What wandb-metadata.json says about the GPUs (wandb's `gpu`, `gpu_count`, `cuda`).
struct GpuInventory {
  int count = 0;
  std::vector<std::string> names;  // per device, "NVIDIA H100 80GB HBM3"
  std::string driver_version;      // "535.104.05"
  std::string cuda_version;        // the newest CUDA the driver supports, "12.2"
};

// The GPUs of this machine, for wandb-metadata.json; count 0 (and nothing else) without
// NVML. Cheap after the first call in a process.
GpuInventory ProbeGpus();

class Nvml {
 public:
  static constexpr const char* kLibrary = "libnvidia-ml.so.1";

  // The process's NVML, loaded and initialized at the first call; nullptr when there is no
  // usable library or no GPU. Loaded once because nvmlInit is process-wide and costly
  // (hundreds of milliseconds on a multi-GPU machine); it stays loaded until exit.
  static const Nvml* Get();

  // Loads and initializes `library` (a name for dlopen or a path). NotFound when it is not
  // there, Unavailable when it lacks a function or nvmlInit fails.
  static absl::StatusOr<std::unique_ptr<Nvml>> Load(const std::string& library);

  ~Nvml();  // nvmlShutdown, dlclose
  Nvml(const Nvml&) = delete;
  Nvml& operator=(const Nvml&) = delete;

  int device_count() const { return static_cast<int>(devices_.size()); }
  // What GPU `index` reports now; readings it refuses are left empty.
  GpuReading Read(int index) const;
  GpuInventory Inventory() const;

 private:
  struct Api;
  Nvml(void* handle, std::unique_ptr<Api> api);

  void* handle_;  // from dlopen
  std::unique_ptr<Api> api_;
  std::vector<void*> devices_;  // nvmlDevice_t, fixed from init to shutdown
};

}  // namespace wandb::service

#endif  // WANDB_SERVICE_SYSTEM_NVML_H_
