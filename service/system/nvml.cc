#include "service/system/nvml.h"

#include <dlfcn.h>

#include <algorithm>

#include "absl/strings/str_cat.h"

namespace wandb::service {
namespace {

// NVML's C interface, as nvml.h declares it; only what is used here. We define it ourselves
// so the build needs no CUDA headers.
using NvmlReturn = int;
using NvmlDevice = void*;
constexpr NvmlReturn kSuccess = 0;
constexpr NvmlReturn kInsufficientSize = 7;
constexpr int kTemperatureGpu = 0;  // NVML_TEMPERATURE_GPU
constexpr unsigned kNameSize = 96;  // NVML_DEVICE_NAME_V2_BUFFER_SIZE
constexpr unsigned kVersionSize = 80;

struct NvmlUtilization {
  unsigned int gpu;
  unsigned int memory;
};
struct NvmlMemory {
  unsigned long long total;
  unsigned long long free;
  unsigned long long used;
};
// nvmlProcessInfo_t, the layout the _v2 and _v3 process lists fill.
struct NvmlProcessInfo {
  unsigned int pid;
  unsigned long long used_gpu_memory;
  unsigned int gpu_instance_id;
  unsigned int compute_instance_id;
};

using InitFn = NvmlReturn (*)();
using CountFn = NvmlReturn (*)(unsigned int*);
using HandleFn = NvmlReturn (*)(unsigned int, NvmlDevice*);
using UtilizationFn = NvmlReturn (*)(NvmlDevice, NvmlUtilization*);
using MemoryFn = NvmlReturn (*)(NvmlDevice, NvmlMemory*);
using TemperatureFn = NvmlReturn (*)(NvmlDevice, int, unsigned int*);
using UintFn = NvmlReturn (*)(NvmlDevice, unsigned int*);
using NameFn = NvmlReturn (*)(NvmlDevice, char*, unsigned int);
using StringFn = NvmlReturn (*)(char*, unsigned int);
using IntFn = NvmlReturn (*)(int*);
using ProcessesFn = NvmlReturn (*)(NvmlDevice, unsigned int*, NvmlProcessInfo*);

// The first of `names` the library has, or nullptr.
template <typename Fn>
Fn Resolve(void* handle, std::initializer_list<const char*> names) {
  for (const char* name : names) {
    if (void* symbol = dlsym(handle, name)) return reinterpret_cast<Fn>(symbol);
  }
  return nullptr;
}

// The pids `list` names for `device`, appended to `pids`.
void AppendPids(ProcessesFn list, NvmlDevice device, std::vector<uint32_t>* pids) {
  if (list == nullptr) return;
  std::vector<NvmlProcessInfo> infos(16);
  unsigned int count = static_cast<unsigned int>(infos.size());
  NvmlReturn rc = list(device, &count, infos.data());
  if (rc == kInsufficientSize) {
    // More processes than room: NVML said how many; leave room for a few that start now.
    infos.resize(count + 8);
    count = static_cast<unsigned int>(infos.size());
    rc = list(device, &count, infos.data());
  }
  if (rc != kSuccess) return;
  count = std::min<unsigned int>(count, static_cast<unsigned int>(infos.size()));
  for (unsigned int i = 0; i < count; ++i) pids->push_back(infos[i].pid);
}

}  // namespace

struct Nvml::Api {
  // Required: without these there is nothing to report.
  InitFn init = nullptr;
  InitFn shutdown = nullptr;
  CountFn device_count = nullptr;
  HandleFn handle_by_index = nullptr;
  UtilizationFn utilization = nullptr;
  MemoryFn memory = nullptr;
  TemperatureFn temperature = nullptr;
  // Optional: older drivers or some boards lack them.
  UintFn power = nullptr;
  UintFn power_limit = nullptr;
  NameFn name = nullptr;
  StringFn driver_version = nullptr;
  IntFn cuda_version = nullptr;
  ProcessesFn compute_processes = nullptr;
  ProcessesFn graphics_processes = nullptr;

  bool complete() const {
    return init && shutdown && device_count && handle_by_index && utilization && memory &&
           temperature;
  }
};

absl::StatusOr<std::unique_ptr<Nvml>> Nvml::Load(const std::string& library) {
  void* handle = dlopen(library.c_str(), RTLD_NOW | RTLD_LOCAL);
  if (handle == nullptr) {
    const char* error = dlerror();
    return absl::NotFoundError(absl::StrCat("cannot load ", library, ": ", error ? error : "?"));
  }
  auto api = std::make_unique<Api>();
  api->init = Resolve<InitFn>(handle, {"nvmlInit_v2", "nvmlInit"});
  api->shutdown = Resolve<InitFn>(handle, {"nvmlShutdown"});
  api->device_count = Resolve<CountFn>(handle, {"nvmlDeviceGetCount_v2", "nvmlDeviceGetCount"});
  api->handle_by_index =
      Resolve<HandleFn>(handle, {"nvmlDeviceGetHandleByIndex_v2", "nvmlDeviceGetHandleByIndex"});
  api->utilization = Resolve<UtilizationFn>(handle, {"nvmlDeviceGetUtilizationRates"});
  api->memory = Resolve<MemoryFn>(handle, {"nvmlDeviceGetMemoryInfo"});
  api->temperature = Resolve<TemperatureFn>(handle, {"nvmlDeviceGetTemperature"});
  api->power = Resolve<UintFn>(handle, {"nvmlDeviceGetPowerUsage"});
  api->power_limit = Resolve<UintFn>(handle, {"nvmlDeviceGetEnforcedPowerLimit"});
  api->name = Resolve<NameFn>(handle, {"nvmlDeviceGetName"});
  api->driver_version = Resolve<StringFn>(handle, {"nvmlSystemGetDriverVersion"});
  api->cuda_version = Resolve<IntFn>(
      handle, {"nvmlSystemGetCudaDriverVersion_v2", "nvmlSystemGetCudaDriverVersion"});
  // The unversioned lists fill a shorter, older struct: without _v2 or _v3 we go without.
  api->compute_processes = Resolve<ProcessesFn>(
      handle,
      {"nvmlDeviceGetComputeRunningProcesses_v3", "nvmlDeviceGetComputeRunningProcesses_v2"});
  api->graphics_processes = Resolve<ProcessesFn>(
      handle,
      {"nvmlDeviceGetGraphicsRunningProcesses_v3", "nvmlDeviceGetGraphicsRunningProcesses_v2"});
  if (!api->complete()) {
    dlclose(handle);
    return absl::UnavailableError(absl::StrCat(library, " lacks NVML functions"));
  }
  if (NvmlReturn rc = api->init(); rc != kSuccess) {
    dlclose(handle);
    return absl::UnavailableError(absl::StrCat("nvmlInit failed with NVML error ", rc));
  }
  std::unique_ptr<Nvml> nvml(new Nvml(handle, std::move(api)));
  unsigned int count = 0;
  if (nvml->api_->device_count(&count) != kSuccess) count = 0;
  for (unsigned int i = 0; i < count; ++i) {
    NvmlDevice device = nullptr;
    // A device NVML cannot open (lost, or not ours under a cgroup) ends the list: wandb
    // numbers GPUs by NVML index, and skipping one would renumber the rest.
    if (nvml->api_->handle_by_index(i, &device) != kSuccess) break;
    nvml->devices_.push_back(device);
  }
  return nvml;
}

const Nvml* Nvml::Get() {
  // Never unloaded: a sampler thread may still be reading when the process exits.
  static const Nvml* const nvml = []() -> const Nvml* {
    absl::StatusOr<std::unique_ptr<Nvml>> loaded = Load(kLibrary);
    if (!loaded.ok() || (*loaded)->device_count() == 0) return nullptr;
    return loaded->release();
  }();
  return nvml;
}

Nvml::Nvml(void* handle, std::unique_ptr<Api> api) : handle_(handle), api_(std::move(api)) {}

Nvml::~Nvml() {
  api_->shutdown();
  dlclose(handle_);
}

GpuReading Nvml::Read(int index) const {
  GpuReading r;
  r.index = index;
  if (index < 0 || index >= device_count()) return r;
  NvmlDevice device = devices_[index];
  if (NvmlUtilization u{}; api_->utilization(device, &u) == kSuccess) {
    r.gpu_utilization = u.gpu;
    r.memory_utilization = u.memory;
  }
  if (NvmlMemory m{}; api_->memory(device, &m) == kSuccess) {
    r.memory_used = m.used;
    r.memory_total = m.total;
  }
  if (unsigned int t = 0; api_->temperature(device, kTemperatureGpu, &t) == kSuccess) {
    r.temperature = t;
  }
  if (unsigned int mw = 0; api_->power && api_->power(device, &mw) == kSuccess) {
    r.power_milliwatts = mw;
  }
  if (unsigned int mw = 0; api_->power_limit && api_->power_limit(device, &mw) == kSuccess) {
    r.power_limit_milliwatts = mw;
  }
  AppendPids(api_->compute_processes, device, &r.pids);
  AppendPids(api_->graphics_processes, device, &r.pids);
  return r;
}

GpuInventory Nvml::Inventory() const {
  GpuInventory inventory;
  inventory.count = device_count();
  for (NvmlDevice device : devices_) {
    char name[kNameSize] = {};
    bool named = api_->name && api_->name(device, name, kNameSize) == kSuccess;
    inventory.names.push_back(named ? std::string(name) : std::string());
  }
  if (char version[kVersionSize] = {};
      api_->driver_version && api_->driver_version(version, kVersionSize) == kSuccess) {
    inventory.driver_version = version;
  }
  // NVML encodes CUDA 12.2 as 12020.
  if (int cuda = 0; api_->cuda_version && api_->cuda_version(&cuda) == kSuccess && cuda > 0) {
    inventory.cuda_version = absl::StrCat(cuda / 1000, ".", (cuda % 1000) / 10);
  }
  return inventory;
}

GpuInventory ProbeGpus() {
  const Nvml* nvml = Nvml::Get();
  return nvml == nullptr ? GpuInventory{} : nvml->Inventory();
}

}  // namespace wandb::service
