// The local store: one per user, a directory holding an SQLite database of runs and a
// content-addressed blob directory with their files' contents. The daemon writes it through
// the local backend; the command line reads it (and writes stop requests) at the same time.
// Layout and schema: docs/formats.md, "The local store".
//
//   <dir>/store.db (+ store.db-wal, store.db-shm)   SQLite, WAL mode
//   <dir>/blobs/md5/<hex[0:2]>/<hex[2:]>             file contents by MD5 (BlobStore)
//   <dir>/blobs/tmp/                                 puts in progress
//
// What it keeps is split by concern, each part over the one connection:
//   runs()    the runs: description, config, summary, state, stop flag, log position (Runs)
//   series()  their history, system metrics and console lines (Series)
//   files()   the versions of their files (Files)
//   artifacts() artifacts, their versions, aliases and lineage (Artifacts)
// and schema.h builds and migrates the tables.
//
// Durability: every write is one SQLite transaction, so a process killed at any moment
// (kill -9) leaves whole rows only. With synchronous=NORMAL in WAL mode a power loss may
// lose the last transactions but never corrupts the database. A file's blob is made durable
// before the row that names it is committed.
//
// Thread-safety: every part may be called from any thread (connection.h). Other processes
// open their own LocalStore on the same directory: WAL lets them read while this one writes,
// and their writes wait up to the busy timeout (5 s).
#ifndef WANDB_SERVICE_STORE_LOCAL_STORE_H_
#define WANDB_SERVICE_STORE_LOCAL_STORE_H_

#include <memory>
#include <string>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "common/run/store_location.h"
#include "service/store/artifacts.h"
#include "service/store/blob_store.h"
#include "service/store/connection.h"
#include "service/store/files.h"
#include "service/store/runs.h"
#include "service/store/schema.h"
#include "service/store/series.h"

namespace wandb::store {

class LocalStore {
 public:
  // Opens the store in `dir`, creating it (mode 0700) with store.db and blobs/ when missing,
  // migrating an older schema, and sweeping stale blob temporaries. Fails when the directory
  // belongs to another user or the schema is newer than this build knows.
  static absl::StatusOr<std::unique_ptr<LocalStore>> Open(const std::string& dir);

  LocalStore(const LocalStore&) = delete;
  LocalStore& operator=(const LocalStore&) = delete;

  Runs& runs() { return runs_; }
  Series& series() { return series_; }
  Files& files() { return files_; }
  Artifacts& artifacts() { return artifacts_; }

  // --- Maintenance

  // PRAGMA integrity_check and foreign_key_check: OK, or DataLoss with what they found.
  absl::Status IntegrityCheck();
  // PRAGMA user_version of the open database.
  absl::StatusOr<int> SchemaVersion();

  const std::string& dir() const { return dir_; }
  std::string database_path() const { return dir_ + "/store.db"; }
  const BlobStore& blobs() const { return blobs_; }

 private:
  LocalStore(std::string dir, Database db, BlobStore blobs)
      : dir_(std::move(dir)),
        connection_(dir_, std::move(db)),
        blobs_(std::move(blobs)),
        runs_(connection_),
        series_(connection_),
        files_(connection_, blobs_),
        artifacts_(connection_, blobs_) {}

  const std::string dir_;
  Connection connection_;
  const BlobStore blobs_;  // thread-safe on its own
  Runs runs_;
  Series series_;
  Files files_;
  Artifacts artifacts_;
};

}  // namespace wandb::store

#endif  // WANDB_SERVICE_STORE_LOCAL_STORE_H_
