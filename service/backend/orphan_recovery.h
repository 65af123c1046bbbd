// Completes the runs that a daemon left running in a store when it died (kill -9, a crash,
// a power cut): each one's transaction log is replayed into the store, and the run finished
// with the exit code its log records, or as crashed when the log ends before an exit.
#ifndef WANDB_SERVICE_BACKEND_ORPHAN_RECOVERY_H_
#define WANDB_SERVICE_BACKEND_ORPHAN_RECOVERY_H_

#include <memory>

#include "common/util/logger.h"
#include "service/store/local_store.h"

namespace wandb::service {

// Runs marked running whose run directory nobody holds (no live stream in any daemon).
// Returns how many were completed.
int RecoverOrphanedRuns(const std::shared_ptr<store::LocalStore>& store, Logger* log);

}  // namespace wandb::service

#endif  // WANDB_SERVICE_BACKEND_ORPHAN_RECOVERY_H_
