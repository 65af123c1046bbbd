// Makes each run's Backend from its StartRunRequest: nothing for offline runs, the local
// store the client named for local runs. A store is opened once and shared by every run that
// uses it (one SQLite connection per store in the daemon).
#ifndef WANDB_SERVICE_BACKEND_BACKEND_FACTORY_H_
#define WANDB_SERVICE_BACKEND_BACKEND_FACTORY_H_

#include <atomic>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/container/flat_hash_map.h"
#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"
#include "common/util/logger.h"
#include "service/backend/backend.h"
#include "service/store/local_store.h"
#include "wandb/service.pb.h"

namespace wandb::service {

class BackendFactory {
 public:
  explicit BackendFactory(Logger* log) : log_(log) {}
  ~BackendFactory();  // waits for recoveries under way

  absl::StatusOr<std::shared_ptr<Backend>> ForRun(const StartRunRequest& request);
  // The store in `dir`, opened on first use.
  absl::StatusOr<std::shared_ptr<store::LocalStore>> Store(const std::string& dir);

 private:
  Logger* log_;
  absl::Mutex mu_;
  // A store opened for the first time may hold runs a dead daemon left running: each store's
  // are completed on a thread of their own, so no client waits for it.
  std::vector<std::thread> recoveries_ ABSL_GUARDED_BY(mu_);
  std::atomic<bool> stopping_{false};
  absl::flat_hash_map<std::string, std::shared_ptr<store::LocalStore>> stores_ ABSL_GUARDED_BY(mu_);
};

// The store's name for a run: wandb's entity/project/id, the entity defaulting to the user
// the run belongs to (there is no W&B account to take it from).
store::RunKey RunKeyOf(const StartRunRequest& request);

}  // namespace wandb::service

#endif  // WANDB_SERVICE_BACKEND_BACKEND_FACTORY_H_
