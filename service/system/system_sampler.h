// Takes one sample of the system metrics wandb reports for a run (reference section 12):
// the machine's CPU, memory, disk and network, the training process's memory, threads and
// CPU, and each NVIDIA GPU's readings. Rates (CPU percentages) are over the time since the
// previous sample; network bytes are since the sampler was made.
#ifndef WANDB_SERVICE_SYSTEM_SYSTEM_SAMPLER_H_
#define WANDB_SERVICE_SYSTEM_SYSTEM_SAMPLER_H_

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>

#include "service/system/nvml.h"
#include "service/system/proc_stats.h"
#include "service/system/stats_sample.h"

namespace wandb::service {

class SystemSampler {
 public:
  struct Options {
    int64_t pid = 0;  // the training process
    // Where /proc is; tests point it at fixture files.
    std::string proc_root = "/proc";
    std::string disk_path = "/";  // wandb reports the root file system
    const Nvml* nvml = nullptr;   // no gpu.* keys when null
  };

  // Takes the first readings, which the first sample is measured from.
  explicit SystemSampler(Options options);

  // A reading that fails (the process is gone, /proc is not mounted) leaves its keys out, as
  // psutil's NoSuchProcess does in wandb.
  StatsSample Sample();

 private:
  void AppendGpus(StatsSample* out);
  std::optional<proc::CpuTimes> ReadCpuTimes();
  std::optional<proc::NetBytes> ReadNetBytes();
  std::optional<proc::ProcessStat> ReadProcessStat(int64_t pid);

  const Options options_;
  const int64_t ticks_per_second_;
  const int64_t page_size_;
  const int cpu_count_;
  std::optional<proc::CpuTimes> last_cpu_;
  std::optional<proc::NetBytes> first_net_;
  std::optional<uint64_t> last_process_ticks_;
  std::chrono::steady_clock::time_point last_process_time_;
};

}  // namespace wandb::service

#endif  // WANDB_SERVICE_SYSTEM_SYSTEM_SAMPLER_H_
