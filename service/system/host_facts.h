// Facts about the machine and the user's working tree, for wandb-metadata.json and the
// RunRecord. Probed by the daemon so the training process pays nothing for them.
#ifndef WANDB_SERVICE_SYSTEM_HOST_FACTS_H_
#define WANDB_SERVICE_SYSTEM_HOST_FACTS_H_

#include <cstdint>
#include <map>
#include <string>

namespace wandb::service {

struct GitInfo {
  std::string remote;  // `origin`'s URL, empty when there is none
  std::string commit;  // HEAD, empty outside a repository
};

struct HostFacts {
  std::string os;  // like Python's platform.platform(): Linux-6.1.0-13-amd64-x86_64-with-glibc2.36
  std::string host;
  int cpu_count = 0;          // physical cores (logical ones when /proc/cpuinfo won't say)
  int cpu_count_logical = 0;  // hardware threads
  uint64_t memory_total = 0;  // bytes of RAM (MemTotal), 0 when unknown
};

HostFacts ProbeHost();

// Physical cores in a /proc/cpuinfo text: distinct (physical id, core id) pairs; 0 when the
// text names none (some virtual machines and architectures).
int CountPhysicalCores(const std::string& cpuinfo);

// MemTotal of a /proc/meminfo text, in bytes; 0 when absent.
uint64_t MemTotalBytes(const std::string& meminfo);

// The SLURM_* variables of a /proc/<pid>/environ text (NUL-separated NAME=value), named
// without the prefix and lower-cased, as wandb-core's metadata lists a Slurm job.
std::map<std::string, std::string> SlurmVariables(const std::string& environ);

// Runs `git` in `dir` (bounded by a short timeout); empty fields when git or the repository
// is missing.
GitInfo ProbeGit(const std::string& dir);

// `git diff HEAD` in `dir`: the uncommitted changes, as wandb's diff.patch. Empty outside a
// repository, without changes, or when git takes longer than a few seconds.
std::string GitDiffHead(const std::string& dir);

}  // namespace wandb::service

#endif  // WANDB_SERVICE_SYSTEM_HOST_FACTS_H_
