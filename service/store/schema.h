// The local store's schema: the migrations that build it, version by version, and the
// settings every connection to it takes. Tables and columns: docs/formats.md, "The local
// store". A new table is a new migration appended to the list in schema.cc.
#ifndef WANDB_SERVICE_STORE_SCHEMA_H_
#define WANDB_SERVICE_STORE_SCHEMA_H_

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "service/store/sqlite.h"

namespace wandb::store {

// PRAGMA user_version of a store this build writes.
inline constexpr int kSchemaVersion = 3;
// How long a write waits for another process's write lock (a stop request from the command
// line, the daemon's rows) before failing with Unavailable.
inline constexpr int kBusyTimeoutMs = 5000;

// Sets the connection up (busy timeout, WAL, synchronous=NORMAL, foreign keys) and brings
// its schema to kSchemaVersion in one transaction. Fails with FailedPrecondition when the
// database is newer than this build knows.
absl::Status SetUpSchema(Database& db);

// PRAGMA user_version of the open database.
absl::StatusOr<int> ReadSchemaVersion(Database& db);

}  // namespace wandb::store

#endif  // WANDB_SERVICE_STORE_SCHEMA_H_
