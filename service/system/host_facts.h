// Facts about the machine and the user's working tree, for wandb-metadata.json and the
// RunRecord. Probed by the daemon so the training process pays nothing for them.
#ifndef WANDB_SERVICE_SYSTEM_HOST_FACTS_H_
#define WANDB_SERVICE_SYSTEM_HOST_FACTS_H_

#include <string>

namespace wandb::service {

struct GitInfo {
  std::string remote;  // `origin`'s URL, empty when there is none
  std::string commit;  // HEAD, empty outside a repository
};

struct HostFacts {
  std::string os;  // like Python's platform.platform(): Linux-6.1.0-13-amd64-x86_64-with-glibc2.36
  std::string host;
  int cpu_count = 0;
};

HostFacts ProbeHost();

// Runs `git` in `dir` (bounded by a short timeout); empty fields when git or the repository
// is missing.
GitInfo ProbeGit(const std::string& dir);

}  // namespace wandb::service

#endif  // WANDB_SERVICE_SYSTEM_HOST_FACTS_H_
