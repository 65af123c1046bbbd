#include "client/src/run_registry.h"

#include <pthread.h>

#include <algorithm>
#include <cstdlib>

#include "client/src/fork_generation.h"

namespace wandb::internal {

RunRegistry& RunRegistry::Get() {
  // Never destroyed: the exit hook may run after static destructors would have.
  static RunRegistry* registry = new RunRegistry();
  return *registry;
}

void RunRegistry::Add(std::shared_ptr<ClientRun> run) {
  std::lock_guard lock(mu_);
  std::erase_if(known_, [](const auto& r) { return r.expired(); });
  known_.push_back(run);
  runs_.push_back(std::move(run));
  if (!hooks_installed_) {
    // Registered after gRPC's own statics exist, so it runs before they are destroyed.
    std::atexit([] { RunRegistry::Get().FinishAll(0); });
    pthread_atfork(&BeforeFork, &AfterForkInParent, &AfterForkInChild);
    hooks_installed_ = true;
  }
}

void RunRegistry::BeforeFork() { Get().mu_.lock(); }

void RunRegistry::AfterForkInParent() { Get().mu_.unlock(); }

void RunRegistry::AfterForkInChild() {
  RunRegistry& registry = Get();
  ForkGeneration::EnterChild();
  // Never released: destroying a run here would join threads that exist only in the parent
  // and close the parent's gRPC channel.
  auto* inherited = new std::vector<std::shared_ptr<ClientRun>>();
  for (const std::weak_ptr<ClientRun>& run : registry.known_) {
    if (std::shared_ptr<ClientRun> alive = run.lock()) inherited->push_back(std::move(alive));
  }
  registry.known_.clear();
  registry.runs_.clear();
  registry.mu_.unlock();
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
