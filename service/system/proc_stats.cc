#include "service/system/proc_stats.h"

#include <sys/statvfs.h>

#include <algorithm>
#include <cmath>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"

namespace wandb::service::proc {
namespace {

// Enough for any real process tree; bounds the walk should /proc show a cycle.
constexpr int kMaxTreeDepth = 128;

double RoundTo1(double percent) { return std::round(percent * 10) / 10; }

std::vector<absl::string_view> Fields(absl::string_view text) {
  return absl::StrSplit(text, absl::ByAnyChar(" \t\n"), absl::SkipEmpty());
}

// The line of `text` that starts with `prefix`, without it.
std::optional<absl::string_view> LineAfter(absl::string_view text, absl::string_view prefix) {
  for (absl::string_view line : absl::StrSplit(text, '\n')) {
    if (absl::ConsumePrefix(&line, prefix)) return line;
  }
  return std::nullopt;
}

// "MemTotal:       16318412 kB" -> bytes.
std::optional<uint64_t> MemInfoBytes(absl::string_view meminfo, absl::string_view name) {
  std::optional<absl::string_view> rest = LineAfter(meminfo, name);
  if (!rest) return std::nullopt;
  std::vector<absl::string_view> fields = Fields(*rest);
  uint64_t value = 0;
  if (fields.empty() || !absl::SimpleAtoi(fields[0], &value)) return std::nullopt;
  bool kilobytes = fields.size() > 1 && fields[1] == "kB";
  return kilobytes ? value * 1024 : value;
}

}  // namespace

std::optional<CpuTimes> ParseCpuTimes(absl::string_view proc_stat) {
  std::optional<absl::string_view> line = LineAfter(proc_stat, "cpu ");
  if (!line) return std::nullopt;
  // user nice system idle iowait irq softirq steal guest guest_nice (later kernels add none
  // before these; older ones have fewer).
  std::vector<absl::string_view> fields = Fields(*line);
  if (fields.size() < 4) return std::nullopt;
  uint64_t v[10] = {};
  for (size_t i = 0; i < fields.size() && i < 10; ++i) {
    if (!absl::SimpleAtoi(fields[i], &v[i])) return std::nullopt;
  }
  CpuTimes times;
  for (int i = 0; i < 8; ++i) times.total += v[i];  // guest (8, 9) is counted in user/nice
  times.idle = v[3] + v[4];
  return times;
}

std::optional<MemInfo> ParseMemInfo(absl::string_view meminfo) {
  std::optional<uint64_t> total = MemInfoBytes(meminfo, "MemTotal:");
  if (!total || *total == 0) return std::nullopt;
  std::optional<uint64_t> available = MemInfoBytes(meminfo, "MemAvailable:");
  if (!available) {
    // Kernels before 3.14 lack MemAvailable; free + buffers + cache is what psutil falls
    // back to there.
    available = MemInfoBytes(meminfo, "MemFree:").value_or(0) +
                MemInfoBytes(meminfo, "Buffers:").value_or(0) +
                MemInfoBytes(meminfo, "Cached:").value_or(0);
  }
  return MemInfo{*total, std::min(*available, *total)};
}

std::optional<ProcessStat> ParseProcessStat(absl::string_view stat) {
  // The command name (field 2) is in parentheses and may hold spaces and parentheses itself:
  // the fields that follow start after the last ')'.
  size_t close = stat.rfind(')');
  if (close == absl::string_view::npos) return std::nullopt;
  std::vector<absl::string_view> f = Fields(stat.substr(close + 1));
  // f[0] is field 3 (state), so field n is f[n - 3].
  if (f.size() < 22) return std::nullopt;
  ProcessStat out;
  uint64_t utime = 0, stime = 0;
  if (!absl::SimpleAtoi(f[1], &out.ppid) || !absl::SimpleAtoi(f[11], &utime) ||
      !absl::SimpleAtoi(f[12], &stime) || !absl::SimpleAtoi(f[17], &out.threads) ||
      !absl::SimpleAtoi(f[21], &out.rss_pages)) {
    return std::nullopt;
  }
  out.cpu_ticks = utime + stime;
  return out;
}

std::optional<NetBytes> ParseNetDev(absl::string_view net_dev) {
  NetBytes total;
  bool any = false;
  for (absl::string_view line : absl::StrSplit(net_dev, '\n')) {
    // "  eth0: <8 receive counters> <8 transmit counters>"; the two header lines have '|'.
    size_t colon = line.find(':');
    if (colon == absl::string_view::npos || line.find('|') != absl::string_view::npos) continue;
    std::vector<absl::string_view> f = Fields(line.substr(colon + 1));
    uint64_t recv = 0, sent = 0;
    if (f.size() < 9 || !absl::SimpleAtoi(f[0], &recv) || !absl::SimpleAtoi(f[8], &sent)) {
      return std::nullopt;
    }
    total.recv += recv;
    total.sent += sent;
    any = true;
  }
  if (!any) return std::nullopt;
  return total;
}

std::optional<FsBlocks> StatFs(const std::string& path) {
  struct statvfs st {};
  if (statvfs(path.c_str(), &st) != 0) return std::nullopt;
  return FsBlocks{st.f_frsize, st.f_blocks, st.f_bfree, st.f_bavail};
}

double CpuPercent(const CpuTimes& before, const CpuTimes& after) {
  if (after.total <= before.total) return 0;
  double total = static_cast<double>(after.total - before.total);
  // The idle counter can step back a little on some kernels (iowait is per-CPU and racy).
  double idle = after.idle > before.idle ? static_cast<double>(after.idle - before.idle) : 0;
  return RoundTo1(std::clamp(100 * (total - idle) / total, 0.0, 100.0));
}

double MemoryPercent(const MemInfo& mem) {
  if (mem.total == 0) return 0;
  return RoundTo1(100.0 * static_cast<double>(mem.total - mem.available) /
                  static_cast<double>(mem.total));
}

double DiskPercent(const FsBlocks& fs) {
  if (fs.blocks < fs.free) return 0;
  double used = static_cast<double>(fs.blocks - fs.free);
  double usable = used + static_cast<double>(fs.available);
  if (usable <= 0) return 0;
  return RoundTo1(100 * used / usable);
}

double ProcessCpuPercent(uint64_t ticks_before, uint64_t ticks_after, double wall_seconds,
                         int64_t ticks_per_second, int cpu_count) {
  if (!(wall_seconds > 0) || ticks_per_second <= 0 || cpu_count <= 0) return 0;
  if (ticks_after <= ticks_before) return 0;
  double cpu_seconds =
      static_cast<double>(ticks_after - ticks_before) / static_cast<double>(ticks_per_second);
  // Tick granularity can put a short interval a little over the machine's capacity.
  return std::clamp(100 * cpu_seconds / wall_seconds / cpu_count, 0.0, 100.0);
}

bool InProcessTree(int64_t pid, int64_t root,
                   const std::function<std::optional<int64_t>(int64_t)>& parent_of) {
  for (int depth = 0; depth < kMaxTreeDepth && pid > 0; ++depth) {
    if (pid == root) return true;
    std::optional<int64_t> parent = parent_of(pid);
    if (!parent) return false;
    pid = *parent;
  }
  return false;
}

}  // namespace wandb::service::proc
