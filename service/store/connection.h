// The local store's one SQLite connection, the mutex that guards it, and the conventions the
// store's parts (Runs, Series, Files) share: every call is one transaction, on one run's row
// when it concerns a run, and its failures say what was being done to which run.
//
// Thread-safety: every call takes the mutex for the length of one transaction. The daemon's
// per-run sender threads share one store; other processes open their own connection to the
// same file (WAL lets them read while this one writes).
#ifndef WANDB_SERVICE_STORE_CONNECTION_H_
#define WANDB_SERVICE_STORE_CONNECTION_H_

#include <cmath>
#include <cstdint>
#include <string>
#include <utility>

#include "absl/base/thread_annotations.h"
#include "absl/functional/function_ref.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "service/store/run_key.h"
#include "service/store/sqlite.h"

namespace wandb::store {

class Connection {
 public:
  using Body = absl::FunctionRef<absl::Status(Database& db)>;
  using RunBody = absl::FunctionRef<absl::Status(Database& db, int64_t run_row)>;

  // `store_dir` is for messages ("run e/p/id is not in the local store <dir>").
  Connection(std::string store_dir, Database db)
      : store_dir_(std::move(store_dir)), db_(std::move(db)) {}
  Connection(const Connection&) = delete;
  Connection& operator=(const Connection&) = delete;

  // Runs `body` in one transaction of `mode`, committing when it succeeds.
  absl::Status Transact(Transaction::Mode mode, Body body) ABSL_LOCKS_EXCLUDED(mu_);
  // Validates `run`, opens a transaction of `mode`, finds the run's row and runs `body` on
  // it, committing when it succeeds. A run the store lacks is NotFound naming it; other
  // failures are prefixed with `what` and the run's path ("cannot finish run e/p/id: ...").
  absl::Status WithRun(const RunKey& run, Transaction::Mode mode, absl::string_view what,
                       RunBody body) ABSL_LOCKS_EXCLUDED(mu_);
  // Runs `body` outside any transaction (PRAGMAs that cannot run inside one).
  absl::Status Use(Body body) ABSL_LOCKS_EXCLUDED(mu_);

  const std::string& store_dir() const { return store_dir_; }

 private:
  absl::StatusOr<int64_t> RunRowId(const RunKey& run) ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);

  const std::string store_dir_;
  absl::Mutex mu_;
  Database db_ ABSL_GUARDED_BY(mu_);
};

// `status` with `what` before its message, keeping its code.
absl::Status Context(const absl::Status& status, absl::string_view what);

// Times are stored as REAL seconds since the epoch (like wandb's _timestamp); reading them
// back rounds to the microsecond.
inline double ToDbTime(absl::Time time) { return absl::ToDoubleSeconds(time - absl::UnixEpoch()); }
inline absl::Time FromDbTime(double seconds) {
  return absl::FromUnixMicros(std::llround(seconds * 1e6));
}

}  // namespace wandb::store

#endif  // WANDB_SERVICE_STORE_CONNECTION_H_
