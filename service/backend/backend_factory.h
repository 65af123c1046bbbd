// Makes each run's Backend from its StartRunRequest: nothing for offline runs, the local
// store the client named for local runs. A store is opened once and shared by every run that
// uses it (one SQLite connection per store in the daemon); the daemon hears of each store it
// opens, to complete the runs a dead daemon left in it (recovery/orphan_recovery.h).
#ifndef WANDB_SERVICE_BACKEND_BACKEND_FACTORY_H_
#define WANDB_SERVICE_BACKEND_BACKEND_FACTORY_H_

#include <functional>
#include <memory>
#include <string>

#include "absl/base/thread_annotations.h"
#include "absl/container/flat_hash_map.h"
#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"
#include "service/backend/backend.h"
#include "service/backend/wandb_backend.h"
#include "service/store/local_store.h"
#include "wandb/service.pb.h"

namespace wandb::service {

class BackendFactory {
 public:
  // Called once for each store, when it is first opened.
  using StoreOpenedFn = std::function<void(const std::shared_ptr<store::LocalStore>&)>;

  explicit BackendFactory(StoreOpenedFn on_store_opened = nullptr)
      : on_store_opened_(std::move(on_store_opened)) {}

  absl::StatusOr<std::shared_ptr<Backend>> ForRun(const StartRunRequest& request);
  // Online mode's second backend, the W&B server; null for other modes.
  absl::StatusOr<std::shared_ptr<WandbBackend>> OnlineForRun(const StartRunRequest& request);
  // The store in `dir`, opened on first use.
  absl::StatusOr<std::shared_ptr<store::LocalStore>> Store(const std::string& dir);

 private:
  const StoreOpenedFn on_store_opened_;
  absl::Mutex mu_;
  absl::flat_hash_map<std::string, std::shared_ptr<store::LocalStore>> stores_ ABSL_GUARDED_BY(mu_);
};

// Whether runs of this mode are kept in the local store (local and online).
inline bool UsesLocalStore(Mode mode) { return mode == MODE_LOCAL || mode == MODE_ONLINE; }

// The store's name for a run: wandb's entity/project/id, the entity defaulting to the user
// the run belongs to (there is no W&B account to take it from).
store::RunKey RunKeyOf(const StartRunRequest& request);

}  // namespace wandb::service

#endif  // WANDB_SERVICE_BACKEND_BACKEND_FACTORY_H_
