// Completes the runs that a daemon left running in a store when it died (kill -9, a crash,
// a power cut): each one's transaction log is replayed into the store, and the run finished
// with the exit code its log records, or as crashed when the log ends before an exit.
#ifndef WANDB_SERVICE_RECOVERY_ORPHAN_RECOVERY_H_
#define WANDB_SERVICE_RECOVERY_ORPHAN_RECOVERY_H_

#include <atomic>
#include <memory>
#include <thread>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "common/util/logger.h"
#include "service/store/local_store.h"

namespace wandb::service {

// How often a run whose training process is alive is looked at again.
inline constexpr absl::Duration kClientPollInterval = absl::Seconds(1);

// Runs marked running whose run directory nobody holds (no live stream in any daemon).
// A run whose training process is still alive is left to it (it re-attaches the run to a
// daemon) and looked at again until `stop` is set: it is completed here once that process
// is gone without re-attaching it. Returns how many were completed.
int RecoverOrphanedRuns(const std::shared_ptr<store::LocalStore>& store, Logger* log,
                        const std::atomic<bool>* stop = nullptr);

// The daemon's recoveries: each store it opens may hold runs a dead daemon left running, and
// each store's are completed on a thread of its own, so no client waits for it.
class OrphanRecovery {
 public:
  explicit OrphanRecovery(Logger* log) : log_(log) {}
  ~OrphanRecovery();  // recoveries waiting on live clients give up; joins them all

  // Starts completing the orphaned runs of `store`.
  void Start(std::shared_ptr<store::LocalStore> store);

 private:
  Logger* log_;
  std::atomic<bool> stopping_{false};
  absl::Mutex mu_;
  std::vector<std::thread> threads_ ABSL_GUARDED_BY(mu_);
};

}  // namespace wandb::service

#endif  // WANDB_SERVICE_RECOVERY_ORPHAN_RECOVERY_H_
