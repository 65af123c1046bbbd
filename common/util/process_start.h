// When a process started, as the kernel tells it: the one fact about a pid that pid reuse
// cannot fake (a recycled pid belongs to a process that started later) and that reads the same
// from every pid namespace (start times count from the machine's boot, not the namespace's).
#ifndef WANDB_COMMON_UTIL_PROCESS_START_H_
#define WANDB_COMMON_UTIL_PROCESS_START_H_

#include <cstdint>
#include <optional>
#include <string>

#include "absl/status/statusor.h"

namespace wandb {

// Process `pid`'s start in clock ticks after boot (field 22 of /proc/<pid>/stat; `pid` may be
// "self"). nullopt when there is no such process or it is a zombie; an error when it cannot be
// told (e.g. out of descriptors).
absl::StatusOr<std::optional<uint64_t>> ProcessStartTicks(const std::string& pid);

// The same as milliseconds since the epoch (plus the boot time, btime of /proc/stat).
absl::StatusOr<std::optional<int64_t>> ProcessStartUnixMs(const std::string& pid);

// Whether process `pid` is the one that reported starting at `started_unix_ms`: it exists
// and started within two seconds of that (the boot time has a resolution of a second).
// nullopt when that cannot be told.
std::optional<bool> IsSameProcess(int64_t pid, int64_t started_unix_ms);

}  // namespace wandb

#endif  // WANDB_COMMON_UTIL_PROCESS_START_H_
