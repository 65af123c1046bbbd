#include "service/store/connection.h"

#include "absl/strings/str_cat.h"

namespace wandb::store {

absl::Status Context(const absl::Status& status, absl::string_view what) {
  if (status.ok()) return status;
  return absl::Status(status.code(), absl::StrCat(what, ": ", status.message()));
}

absl::Status Connection::Transact(Transaction::Mode mode, Body body) {
  absl::MutexLock lock(&mu_);
  absl::StatusOr<Transaction> txn = Transaction::Begin(db_, mode);
  if (!txn.ok()) return txn.status();
  absl::Status status = body(db_);
  return status.ok() ? txn->Commit() : status;
}

absl::Status Connection::WithRun(const RunKey& run, Transaction::Mode mode, absl::string_view what,
                                 RunBody body) {
  absl::Status status = run.Validate();
  if (!status.ok()) return status;
  absl::MutexLock lock(&mu_);
  absl::StatusOr<Transaction> txn = Transaction::Begin(db_, mode);
  if (!txn.ok()) return Context(txn.status(), absl::StrCat(what, " ", run.ToString()));
  absl::StatusOr<int64_t> row_id = RunRowId(run);
  if (!row_id.ok()) {
    if (absl::IsNotFound(row_id.status())) return row_id.status();  // already names the run
    return Context(row_id.status(), absl::StrCat(what, " ", run.ToString()));
  }
  status = body(db_, *row_id);
  if (status.ok()) status = txn->Commit();
  if (absl::IsNotFound(status) || absl::IsInvalidArgument(status)) return status;
  return Context(status, absl::StrCat(what, " ", run.ToString()));
}

absl::Status Connection::Use(Body body) {
  absl::MutexLock lock(&mu_);
  return body(db_);
}

absl::StatusOr<int64_t> Connection::RunRowId(const RunKey& run) {
  absl::StatusOr<CachedStatement> stmt = db_.Query(
      "SELECT r.id FROM runs r JOIN projects p ON p.id = r.project_id "
      "WHERE p.entity = ?1 AND p.name = ?2 AND r.run_id = ?3",
      run.entity, run.project, run.id);
  if (!stmt.ok()) return stmt.status();
  absl::StatusOr<bool> row = (*stmt)->Step();
  if (!row.ok()) return row.status();
  if (!*row) {
    return absl::NotFoundError(
        absl::StrCat("run ", run.ToString(), " is not in the local store ", store_dir_));
  }
  return (*stmt)->ColumnInt64(0);
}

}  // namespace wandb::store
