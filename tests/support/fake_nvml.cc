// A stand-in for NVIDIA's libnvidia-ml.so.1, built as a shared library for the NVML loader's
// tests, so the GPU path (dlopen, dlsym, NVML's structs, process lists) runs on machines
// without a GPU. Two devices: GPU 0 busy and running the calling process among 19 others
// (more than the loader's first buffer holds); GPU 1 idle, without power readings.
// Declarations follow nvml.h; this file deliberately shares nothing with the loader.
#include <unistd.h>

#include <cstring>

namespace {

constexpr int kSuccess = 0;
constexpr int kInvalidArgument = 2;
constexpr int kNotSupported = 3;
constexpr int kInsufficientSize = 7;
constexpr unsigned kProcessesOnGpu0 = 20;

struct Utilization {
  unsigned int gpu;
  unsigned int memory;
};
struct Memory {
  unsigned long long total;
  unsigned long long free;
  unsigned long long used;
};
struct ProcessInfo {  // nvmlProcessInfo_t (v2)
  unsigned int pid;
  unsigned long long usedGpuMemory;
  unsigned int gpuInstanceId;
  unsigned int computeInstanceId;
};

int devices[2];  // their addresses are the handles

int IndexOf(void* device) {
  for (int i = 0; i < 2; ++i) {
    if (device == &devices[i]) return i;
  }
  return -1;
}

}  // namespace

extern "C" {

int nvmlInit_v2() { return kSuccess; }
int nvmlShutdown() { return kSuccess; }
int nvmlDeviceGetCount_v2(unsigned int* count) {
  *count = 2;
  return kSuccess;
}
int nvmlDeviceGetHandleByIndex_v2(unsigned int index, void** device) {
  if (index >= 2) return kInvalidArgument;
  *device = &devices[index];
  return kSuccess;
}
int nvmlDeviceGetUtilizationRates(void* device, Utilization* u) {
  int i = IndexOf(device);
  if (i < 0) return kInvalidArgument;
  *u = i == 0 ? Utilization{87, 40} : Utilization{0, 0};
  return kSuccess;
}
int nvmlDeviceGetMemoryInfo(void* device, Memory* m) {
  int i = IndexOf(device);
  if (i < 0) return kInvalidArgument;
  unsigned long long total = 80ull << 30;
  unsigned long long used = i == 0 ? 20ull << 30 : 0;
  *m = Memory{total, total - used, used};
  return kSuccess;
}
int nvmlDeviceGetTemperature(void* device, int sensor, unsigned int* celsius) {
  int i = IndexOf(device);
  if (i < 0 || sensor != 0) return kInvalidArgument;
  *celsius = i == 0 ? 64 : 31;
  return kSuccess;
}
int nvmlDeviceGetPowerUsage(void* device, unsigned int* milliwatts) {
  if (IndexOf(device) != 0) return kNotSupported;
  *milliwatts = 350000;
  return kSuccess;
}
int nvmlDeviceGetEnforcedPowerLimit(void* device, unsigned int* milliwatts) {
  if (IndexOf(device) != 0) return kNotSupported;
  *milliwatts = 700000;
  return kSuccess;
}
int nvmlDeviceGetName(void* device, char* name, unsigned int length) {
  int i = IndexOf(device);
  if (i < 0 || length < 16) return kInvalidArgument;
  std::strcpy(name, i == 0 ? "Fake GPU Zero" : "Fake GPU One");
  return kSuccess;
}
int nvmlSystemGetDriverVersion(char* version, unsigned int length) {
  if (length < 16) return kInsufficientSize;
  std::strcpy(version, "535.104.05");
  return kSuccess;
}
int nvmlSystemGetCudaDriverVersion_v2(int* version) {
  *version = 12020;
  return kSuccess;
}
int nvmlDeviceGetComputeRunningProcesses_v3(void* device, unsigned int* count, ProcessInfo* infos) {
  int i = IndexOf(device);
  if (i < 0) return kInvalidArgument;
  unsigned have = i == 0 ? kProcessesOnGpu0 : 0;
  if (*count < have) {
    *count = have;
    return kInsufficientSize;
  }
  for (unsigned p = 0; p < have; ++p) {
    // Pids no process has, then the caller last.
    unsigned pid = p + 1 < have ? 4000000 + p : static_cast<unsigned>(getpid());
    infos[p] = ProcessInfo{pid, 1ull << 30, 0xFFFFFFFF, 0xFFFFFFFF};
  }
  *count = have;
  return kSuccess;
}

}  // extern "C"
