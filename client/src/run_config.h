// The client's copy of a run's config: what config().get() answers without asking the daemon,
// and what enforces wandb's allow_val_change rule before a change is sent. Thread-safe.
#ifndef WANDB_CLIENT_SRC_RUN_CONFIG_H_
#define WANDB_CLIENT_SRC_RUN_CONFIG_H_

#include <optional>
#include <string>

#include "absl/base/thread_annotations.h"
#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"
#include "wandb/records.pb.h"
#include "wandb/value.h"

namespace wandb::internal {

class RunConfig {
 public:
  explicit RunConfig(const Value::Map& initial) : config_(initial) {}

  // Applies `values` and returns the record that tells the daemon. A key that already has
  // another value is refused (FailedPrecondition naming it) unless `allow_val_change`; then
  // nothing is applied.
  absl::StatusOr<records::ConfigRecord> Update(const Value::Map& values, bool allow_val_change);
  // A resumed run's config is what the daemon stored, under the one init() was given.
  void Adopt(const records::ConfigRecord& stored);

  std::optional<Value> Get(const std::string& key) const;
  Value::Map Snapshot() const;

 private:
  mutable absl::Mutex mu_;
  Value config_ ABSL_GUARDED_BY(mu_);
};

}  // namespace wandb::internal

#endif  // WANDB_CLIENT_SRC_RUN_CONFIG_H_
