#include "service/backend/backend_factory.h"

#include "absl/strings/str_cat.h"
#include "service/backend/local_backend.h"
#include "service/backend/wandb_backend.h"

namespace wandb::service {

absl::StatusOr<std::shared_ptr<Backend>> BackendFactory::ForRun(const StartRunRequest& request) {
  switch (request.mode()) {
    case MODE_OFFLINE:
      return std::make_shared<OfflineBackend>();
    case MODE_ONLINE:
      // Sent to W&B only: the run directory keeps it, the store does not.
      if (request.online().skip_local_store()) return std::make_shared<OfflineBackend>();
      [[fallthrough]];
    case MODE_LOCAL: {
      absl::StatusOr<std::shared_ptr<store::LocalStore>> store = Store(request.store_dir());
      if (!store.ok()) return store.status();
      return std::make_shared<LocalBackend>(*std::move(store), RunKeyOf(request));
    }
    default:
      return absl::InvalidArgumentError(absl::StrCat("unknown mode ", request.mode()));
  }
}

absl::StatusOr<std::shared_ptr<WandbBackend>> BackendFactory::OnlineForRun(
    const StartRunRequest& request) {
  if (request.mode() != MODE_ONLINE) return nullptr;
  const OnlineOptions& online = request.online();
  if (online.base_url().empty() || online.api_key().empty()) {
    return absl::InvalidArgumentError("an online run needs the W&B base URL and an API key");
  }
  return std::make_shared<WandbBackend>(online, request.run().entity(), request.run().project());
}

absl::StatusOr<std::shared_ptr<store::LocalStore>> BackendFactory::Store(const std::string& dir) {
  if (dir.empty() || dir[0] != '/') {
    return absl::InvalidArgumentError(
        absl::StrCat("the local store's directory must be an absolute path, not '", dir, "'"));
  }
  std::shared_ptr<store::LocalStore> shared;
  {
    absl::MutexLock lock(&mu_);
    if (auto it = stores_.find(dir); it != stores_.end()) return it->second;
    absl::StatusOr<std::unique_ptr<store::LocalStore>> opened = store::LocalStore::Open(dir);
    if (!opened.ok()) return opened.status();
    shared = *std::move(opened);
    stores_.emplace(dir, shared);
  }
  if (on_store_opened_) on_store_opened_(shared);
  return shared;
}

store::RunKey RunKeyOf(const StartRunRequest& request) {
  const records::RunRecord& run = request.run();
  std::string entity = run.entity();
  if (entity.empty()) entity = request.process().username();
  if (entity.empty()) entity = "local";
  std::string project = run.project().empty() ? "uncategorized" : run.project();
  return store::RunKey{entity, project, run.run_id()};
}

}  // namespace wandb::service
