#include "common/util/process_start.h"

#include <unistd.h>

#include <cstdlib>
#include <vector>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "common/util/read_file.h"

namespace wandb {

absl::StatusOr<std::optional<uint64_t>> ProcessStartTicks(const std::string& pid) {
  absl::StatusOr<std::string> read = ReadFileToString(absl::StrCat("/proc/", pid, "/stat"));
  if (absl::IsNotFound(read.status())) return std::nullopt;
  if (!read.ok()) return read.status();
  const std::string& stat = *read;
  // The command name (field 2) may hold spaces and parentheses: count fields after its end.
  size_t close = stat.rfind(')');
  if (close == std::string::npos || close + 2 > stat.size()) return std::nullopt;
  std::vector<absl::string_view> fields =
      absl::StrSplit(absl::string_view(stat).substr(close + 2), ' ');
  // fields[0] is field 3 (state); field 22 (starttime) is fields[19].
  if (fields.size() < 20 || fields[0] == "Z" || fields[0] == "X") return std::nullopt;
  uint64_t ticks = 0;
  if (!absl::SimpleAtoi(fields[19], &ticks)) return std::nullopt;
  return ticks;
}

absl::StatusOr<std::optional<int64_t>> ProcessStartUnixMs(const std::string& pid) {
  absl::StatusOr<std::optional<uint64_t>> ticks = ProcessStartTicks(pid);
  if (!ticks.ok()) return ticks.status();
  // No such process is an answer, not an error: a StatusOr built from an OK status aborts.
  if (!ticks->has_value()) return std::nullopt;
  absl::StatusOr<std::string> system = ReadFileToString("/proc/stat");
  if (!system.ok()) return system.status();
  size_t at = system->find("\nbtime ");
  uint64_t boot = 0;
  long per_second = sysconf(_SC_CLK_TCK);
  if (at == std::string::npos || per_second <= 0) {
    return absl::UnavailableError("no boot time in /proc/stat");
  }
  at += 7;
  if (!absl::SimpleAtoi(absl::string_view(*system).substr(at, system->find('\n', at) - at),
                        &boot)) {
    return absl::UnavailableError("malformed boot time in /proc/stat");
  }
  return static_cast<int64_t>(boot) * 1000 + static_cast<int64_t>(**ticks) * 1000 / per_second;
}

std::optional<bool> IsSameProcess(int64_t pid, int64_t started_unix_ms) {
  if (pid <= 0) return false;
  absl::StatusOr<std::optional<int64_t>> started = ProcessStartUnixMs(absl::StrCat(pid));
  if (!started.ok()) return std::nullopt;
  return started->has_value() && std::llabs(**started - started_unix_ms) <= 2000;
}

}  // namespace wandb
