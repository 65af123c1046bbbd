// The process's live runs: what reinit looks at, and what is finished at normal process exit.
// The one mutable global of the client (design section 11).
//
// A forked child starts with no live run: the parent's runs stay the parent's (see
// fork_generation.h), the child's exit never finishes them, and their objects are never
// destroyed in the child, whose copies of their threads and connection do not exist.
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
  // pthread_atfork handlers: the registry's lock is held across fork(), so the child's copy
  // is in a known state; the child forgets the parent's runs.
  static void BeforeFork();
  static void AfterForkInParent();
  static void AfterForkInChild();

  // A std::mutex, where the rest of the client uses absl::Mutex: the fork handlers hold it
  // across fork() and the child unlocks its copy, and an absl::Mutex's copy may still list
  // the parent's waiting threads, which the child does not have. Guards the three below.
  std::mutex mu_;
  std::vector<std::shared_ptr<ClientRun>> runs_;
  // Every run object of this process that may still exist (finished ones too, while a Run
  // handle holds them): a forked child keeps them all alive for good.
  std::vector<std::weak_ptr<ClientRun>> known_;
  bool hooks_installed_ = false;
};

}  // namespace wandb::internal

#endif  // WANDB_CLIENT_SRC_RUN_REGISTRY_H_
