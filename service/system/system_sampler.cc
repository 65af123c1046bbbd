#include "service/system/system_sampler.h"

#include <unistd.h>

#include <algorithm>

#include "absl/strings/str_cat.h"
#include "common/util/read_file.h"
#include "service/system/gpu_metrics.h"

namespace wandb::service {
namespace {

constexpr double kBytesPerMB = 1048576.0;  // wandb's "MB" are MiB

std::optional<std::string> Read(const std::string& path) {
  absl::StatusOr<std::string> text = ReadFileToString(path);
  if (!text.ok()) return std::nullopt;
  return *std::move(text);
}

void AppendNumber(const char* key, double value, StatsSample* out) {
  out->push_back({key, value, {}});
}

}  // namespace

SystemSampler::SystemSampler(Options options)
    : options_(std::move(options)),
      ticks_per_second_(sysconf(_SC_CLK_TCK)),
      page_size_(sysconf(_SC_PAGESIZE)),
      cpu_count_(static_cast<int>(std::max(1L, sysconf(_SC_NPROCESSORS_ONLN)))) {
  last_cpu_ = ReadCpuTimes();
  first_net_ = ReadNetBytes();
  if (std::optional<proc::ProcessStat> stat = ReadProcessStat(options_.pid)) {
    last_process_ticks_ = stat->cpu_ticks;
  }
  last_process_time_ = std::chrono::steady_clock::now();
}

StatsSample SystemSampler::Sample() {
  StatsSample out;
  AppendGpus(&out);

  // wandb's order: cpu, memory, network, disk, then the process.
  std::optional<proc::CpuTimes> cpu = ReadCpuTimes();
  if (cpu && last_cpu_) AppendNumber("cpu", proc::CpuPercent(*last_cpu_, *cpu), &out);
  if (cpu) last_cpu_ = cpu;

  std::optional<std::string> meminfo_text = Read(options_.proc_root + "/meminfo");
  std::optional<proc::MemInfo> mem =
      meminfo_text ? proc::ParseMemInfo(*meminfo_text) : std::nullopt;
  if (mem) AppendNumber("memory", proc::MemoryPercent(*mem), &out);

  std::optional<proc::NetBytes> net = ReadNetBytes();
  if (net && !first_net_) first_net_ = net;
  if (net) {
    // Signed: a counter that went back (an interface removed) shows as such, as in wandb.
    int64_t sent = static_cast<int64_t>(net->sent - first_net_->sent);
    int64_t recv = static_cast<int64_t>(net->recv - first_net_->recv);
    out.push_back({"network", 0, absl::StrCat("{\"sent\": ", sent, ", \"recv\": ", recv, "}")});
  }

  if (std::optional<proc::FsBlocks> fs = proc::StatFs(options_.disk_path)) {
    AppendNumber("disk", proc::DiskPercent(*fs), &out);
  }
  if (mem) AppendNumber("proc.memory.availableMB", mem->available / kBytesPerMB, &out);

  std::optional<proc::ProcessStat> process = ReadProcessStat(options_.pid);
  auto now = std::chrono::steady_clock::now();
  if (process) {
    double rss = static_cast<double>(process->rss_pages) * static_cast<double>(page_size_);
    AppendNumber("proc.memory.rssMB", rss / kBytesPerMB, &out);
    if (mem) AppendNumber("proc.memory.percent", 100 * rss / static_cast<double>(mem->total), &out);
    AppendNumber("proc.cpu.threads", static_cast<double>(process->threads), &out);
    if (last_process_ticks_) {
      double wall = std::chrono::duration<double>(now - last_process_time_).count();
      AppendNumber("proc.cpu.percent",
                   proc::ProcessCpuPercent(*last_process_ticks_, process->cpu_ticks, wall,
                                           ticks_per_second_, cpu_count_),
                   &out);
    }
    last_process_ticks_ = process->cpu_ticks;
  }
  last_process_time_ = now;
  return out;
}

void SystemSampler::AppendGpus(StatsSample* out) {
  if (options_.nvml == nullptr) return;
  for (int i = 0; i < options_.nvml->device_count(); ++i) {
    GpuReading gpu = options_.nvml->Read(i);
    bool ours = std::any_of(gpu.pids.begin(), gpu.pids.end(), [this](uint32_t pid) {
      return proc::InProcessTree(pid, options_.pid, [this](int64_t p) -> std::optional<int64_t> {
        std::optional<proc::ProcessStat> stat = ReadProcessStat(p);
        if (!stat) return std::nullopt;
        return stat->ppid;
      });
    });
    AppendGpuMetrics(gpu, ours, out);
  }
}

std::optional<proc::CpuTimes> SystemSampler::ReadCpuTimes() {
  std::optional<std::string> text = Read(options_.proc_root + "/stat");
  return text ? proc::ParseCpuTimes(*text) : std::nullopt;
}

std::optional<proc::NetBytes> SystemSampler::ReadNetBytes() {
  std::optional<std::string> text = Read(options_.proc_root + "/net/dev");
  return text ? proc::ParseNetDev(*text) : std::nullopt;
}

std::optional<proc::ProcessStat> SystemSampler::ReadProcessStat(int64_t pid) {
  if (pid <= 0) return std::nullopt;
  std::optional<std::string> text = Read(absl::StrCat(options_.proc_root, "/", pid, "/stat"));
  return text ? proc::ParseProcessStat(*text) : std::nullopt;
}

}  // namespace wandb::service
