// Telling a full disk apart from the store's other failures. A full disk is the one failure
// that passes by itself once space is freed, so what was being done can be done again then,
// and nothing that failed for it may be recorded as done or as lost for good.
#ifndef WANDB_SERVICE_STORE_DISK_FULL_H_
#define WANDB_SERVICE_STORE_DISK_FULL_H_

#include "absl/status/status.h"

namespace wandb::store {

// Whether `status`, as the store returns it (possibly wrapped with more context, code kept),
// says that the filesystem under the store has no room left. The store reports a full disk as
// RESOURCE_EXHAUSTED naming it: SQLite's "database or disk is full", or the OS's "No space
// left on device" or "Disk quota exceeded" (blob writes, and SQLite's I/O errors, whose errno
// sqlite.cc adds). RESOURCE_EXHAUSTED alone is not enough: it also means too many open files.
bool IsDiskFull(const absl::Status& status);

}  // namespace wandb::store

#endif  // WANDB_SERVICE_STORE_DISK_FULL_H_
