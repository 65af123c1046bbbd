// The process's live runs: what reinit looks at, and what is finished at normal process exit.
// The one mutable global of the client (design section 11).
#ifndef WANDB_CLIENT_SRC_RUN_REGISTRY_H_
#define WANDB_CLIENT_SRC_RUN_REGISTRY_H_

#include <memory>
#include <mutex>
#include <vector>

#include "client/src/client_run.h"

namespace wandb::internal {

class RunRegistry {
 public:
  static RunRegistry& Get();

  void Add(std::shared_ptr<ClientRun> run);
  void Remove(const ClientRun* run);
  // The most recent live run, or null.
  std::shared_ptr<ClientRun> Current();
  void FinishAll(int exit_code);

 private:
  RunRegistry() = default;
  std::mutex mu_;
  std::vector<std::shared_ptr<ClientRun>> runs_;
  bool exit_hook_installed_ = false;
};

}  // namespace wandb::internal

#endif  // WANDB_CLIENT_SRC_RUN_REGISTRY_H_
