// What the system-metrics sampler reads from Linux: parsers of /proc text (text in, numbers
// out, so they are tested on fixture text) and the few formulas psutil applies to them, as
// wandb reports them (reference section 12).
#ifndef WANDB_SERVICE_SYSTEM_PROC_STATS_H_
#define WANDB_SERVICE_SYSTEM_PROC_STATS_H_

#include <cstdint>
#include <functional>
#include <optional>
#include <string>

#include "absl/strings/string_view.h"

namespace wandb::service::proc {

// The machine's CPU time since boot, in clock ticks, from /proc/stat's "cpu" line.
struct CpuTimes {
  uint64_t total = 0;  // every state; guest time is already inside user and nice
  uint64_t idle = 0;   // idle and iowait: psutil does not count waiting for I/O as busy
};
std::optional<CpuTimes> ParseCpuTimes(absl::string_view proc_stat);

// From /proc/meminfo, in bytes.
struct MemInfo {
  uint64_t total = 0;
  uint64_t available = 0;
};
std::optional<MemInfo> ParseMemInfo(absl::string_view meminfo);

// From /proc/<pid>/stat.
struct ProcessStat {
  int64_t ppid = 0;
  uint64_t cpu_ticks = 0;  // utime + stime
  int64_t threads = 0;
  uint64_t rss_pages = 0;
};
std::optional<ProcessStat> ParseProcessStat(absl::string_view stat);

// Bytes through every interface (loopback included, as psutil counts), from /proc/net/dev.
struct NetBytes {
  uint64_t sent = 0;
  uint64_t recv = 0;
};
std::optional<NetBytes> ParseNetDev(absl::string_view net_dev);

// The fields of statvfs(2) that psutil's disk_usage reads.
struct FsBlocks {
  uint64_t fragment_size = 0;  // f_frsize
  uint64_t blocks = 0;         // f_blocks
  uint64_t free = 0;           // f_bfree: free, counting what only root may use
  uint64_t available = 0;      // f_bavail: free to ordinary users
};
std::optional<FsBlocks> StatFs(const std::string& path);

// Percent busy between two readings of /proc/stat, in [0, 100], rounded to one decimal as
// psutil.cpu_percent() is; 0 when no tick passed.
double CpuPercent(const CpuTimes& before, const CpuTimes& after);
// psutil's virtual_memory().percent: memory not available, rounded to one decimal.
double MemoryPercent(const MemInfo& mem);
// psutil's disk_usage().percent: used over what ordinary users could ever use (root's
// reserve left out), rounded to one decimal.
double DiskPercent(const FsBlocks& fs);
// A process's CPU use between two readings over `wall_seconds`, as a share of the whole
// machine (every core busy = 100), as wandb's proc.cpu.percent; 0 when no time passed.
double ProcessCpuPercent(uint64_t ticks_before, uint64_t ticks_after, double wall_seconds,
                         int64_t ticks_per_second, int cpu_count);

// Whether `pid` is `root` or descends from it, following `parent_of` (nullopt: the process
// is gone) up the tree.
bool InProcessTree(int64_t pid, int64_t root,
                   const std::function<std::optional<int64_t>(int64_t)>& parent_of);

}  // namespace wandb::service::proc

#endif  // WANDB_SERVICE_SYSTEM_PROC_STATS_H_
