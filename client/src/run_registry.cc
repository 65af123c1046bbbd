#include "client/src/run_registry.h"

#include <algorithm>
#include <cstdlib>

namespace wandb::internal {

RunRegistry& RunRegistry::Get() {
  // Never destroyed: the exit hook may run after static destructors would have.
  static RunRegistry* registry = new RunRegistry();
  return *registry;
}

void RunRegistry::Add(std::shared_ptr<ClientRun> run) {
  std::lock_guard lock(mu_);
  runs_.push_back(std::move(run));
  if (!exit_hook_installed_) {
    // Registered after gRPC's own statics exist, so it runs before they are destroyed.
    std::atexit([] { RunRegistry::Get().FinishAll(0); });
    exit_hook_installed_ = true;
  }
}

void RunRegistry::Remove(const ClientRun* run) {
  std::lock_guard lock(mu_);
  std::erase_if(runs_, [run](const auto& r) { return r.get() == run; });
}

std::shared_ptr<ClientRun> RunRegistry::Current() {
  std::lock_guard lock(mu_);
  return runs_.empty() ? nullptr : runs_.back();
}

void RunRegistry::FinishAll(int exit_code) {
  std::vector<std::shared_ptr<ClientRun>> runs;
  {
    std::lock_guard lock(mu_);
    runs.swap(runs_);
  }
  for (const auto& run : runs) run->Finish(exit_code);
}

}  // namespace wandb::internal
