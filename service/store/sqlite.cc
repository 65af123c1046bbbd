#include "service/store/sqlite.h"

#include <sqlite3.h>

#include <cerrno>
#include <cstring>
#include <string>
#include <utility>

#include "absl/strings/str_cat.h"

namespace wandb::store {
namespace {

absl::StatusCode CodeFor(int rc) {
  switch (rc & 0xff) {  // the primary result code
    case SQLITE_BUSY:
    case SQLITE_LOCKED:
      return absl::StatusCode::kUnavailable;
    case SQLITE_CONSTRAINT:
      return (rc == SQLITE_CONSTRAINT_UNIQUE || rc == SQLITE_CONSTRAINT_PRIMARYKEY)
                 ? absl::StatusCode::kAlreadyExists
                 : absl::StatusCode::kFailedPrecondition;
    case SQLITE_CORRUPT:
    case SQLITE_NOTADB:
      return absl::StatusCode::kDataLoss;
    case SQLITE_FULL:
    case SQLITE_TOOBIG:
    case SQLITE_NOMEM:
      return absl::StatusCode::kResourceExhausted;
    case SQLITE_PERM:
    case SQLITE_READONLY:
    case SQLITE_AUTH:
      return absl::StatusCode::kPermissionDenied;
    case SQLITE_INTERRUPT:
      return absl::StatusCode::kCancelled;
    default:
      return absl::StatusCode::kInternal;
  }
}

// SQLite reports a write that found no room as SQLITE_FULL, but a full disk met while it
// opens a store or grows its write-ahead or shared-memory file as SQLITE_IOERR_*, "disk I/O
// error": only the OS's errno tells that this one passes once space is freed.
bool NoRoom(sqlite3* db, int rc) {
  if ((rc & 0xff) != SQLITE_IOERR || db == nullptr) return false;
  const int err = sqlite3_system_errno(db);
  return err == ENOSPC || err == EDQUOT;
}

// `what` failed on connection `db` (which may be null when it could not even be opened).
absl::Status StatusFor(sqlite3* db, int rc, absl::string_view what) {
  const char* file = db != nullptr ? sqlite3_db_filename(db, "main") : nullptr;
  const char* message = db != nullptr ? sqlite3_errmsg(db) : sqlite3_errstr(rc);
  std::string text = absl::StrCat(what, " (", file != nullptr ? file : "sqlite", "): ", message);
  if (NoRoom(db, rc)) {
    return absl::ResourceExhaustedError(
        absl::StrCat(text, ": ", std::strerror(sqlite3_system_errno(db))));
  }
  return absl::Status(CodeFor(rc), text);
}

}  // namespace

struct Database::CacheEntry {
  Statement stmt;
  bool in_use = false;
};

Database::Database(sqlite3* db, std::string path) : db_(db), path_(std::move(path)) {}

absl::StatusOr<Database> Database::Open(const std::string& path) {
  sqlite3* db = nullptr;
  // NOMUTEX: the caller serializes use of the connection; SQLite's own mutex would be a
  // second lock on every call. EXRESCODE: extended result codes from every call.
  int flags =
      SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX | SQLITE_OPEN_EXRESCODE;
  int rc = sqlite3_open_v2(path.c_str(), &db, flags, nullptr);
  if (rc != SQLITE_OK) {
    absl::Status status = absl::Status(
        CodeFor(rc), absl::StrCat("cannot open database ", path, ": ",
                                  db != nullptr ? sqlite3_errmsg(db) : sqlite3_errstr(rc)));
    sqlite3_close_v2(db);  // a handle is returned even on failure; null is harmless
    return status;
  }
  return Database(db, path);
}

Database::Database(Database&& other) noexcept
    : db_(std::exchange(other.db_, nullptr)),
      path_(std::move(other.path_)),
      cache_(std::move(other.cache_)) {}

Database& Database::operator=(Database&& other) noexcept {
  if (this != &other) {
    cache_.clear();
    sqlite3_close_v2(db_);
    db_ = std::exchange(other.db_, nullptr);
    path_ = std::move(other.path_);
    cache_ = std::move(other.cache_);
  }
  return *this;
}

Database::~Database() {
  // close_v2 defers the close until every statement is finalized, so the order in which a
  // Database and its Statements go does not matter.
  cache_.clear();
  sqlite3_close_v2(db_);
}

absl::Status Database::Exec(absl::string_view sql) {
  std::string text(sql);
  int rc = sqlite3_exec(db_, text.c_str(), nullptr, nullptr, nullptr);
  if (rc != SQLITE_OK) return Error(rc, absl::StrCat("cannot run '", sql, "'"));
  return absl::OkStatus();
}

absl::StatusOr<Statement> Database::Prepare(absl::string_view sql) {
  sqlite3_stmt* stmt = nullptr;
  int rc = sqlite3_prepare_v2(db_, sql.data(), static_cast<int>(sql.size()), &stmt, nullptr);
  if (rc != SQLITE_OK) return Error(rc, absl::StrCat("cannot prepare '", sql, "'"));
  if (stmt == nullptr) {
    return absl::InvalidArgumentError(absl::StrCat("no SQL statement in '", sql, "'"));
  }
  return Statement(stmt);
}

absl::StatusOr<CachedStatement> Database::Borrow(absl::string_view sql) {
  auto it = cache_.find(sql);
  if (it != cache_.end() && !it->second->in_use) {
    it->second->in_use = true;
    return CachedStatement(&it->second->stmt, &it->second->in_use);
  }
  if (it != cache_.end()) {  // borrowed already: a copy of the caller's own
    absl::StatusOr<Statement> copy = Prepare(sql);
    if (!copy.ok()) return copy.status();
    return CachedStatement(std::make_unique<Statement>(*std::move(copy)));
  }
  // PERSISTENT: SQLite's hint that the statement is kept and reused.
  sqlite3_stmt* stmt = nullptr;
  int rc = sqlite3_prepare_v3(db_, sql.data(), static_cast<int>(sql.size()),
                              SQLITE_PREPARE_PERSISTENT, &stmt, nullptr);
  if (rc != SQLITE_OK) return Error(rc, absl::StrCat("cannot prepare '", sql, "'"));
  if (stmt == nullptr) {
    return absl::InvalidArgumentError(absl::StrCat("no SQL statement in '", sql, "'"));
  }
  auto entry = std::make_unique<CacheEntry>(CacheEntry{Statement(stmt), /*in_use=*/true});
  CacheEntry* borrowed = entry.get();
  cache_.emplace(std::string(sql), std::move(entry));
  return CachedStatement(&borrowed->stmt, &borrowed->in_use);
}

absl::Status Database::SetBusyTimeout(int milliseconds) {
  int rc = sqlite3_busy_timeout(db_, milliseconds);
  if (rc != SQLITE_OK) return Error(rc, "cannot set the busy timeout");
  return absl::OkStatus();
}

int64_t Database::last_insert_rowid() const { return sqlite3_last_insert_rowid(db_); }

int64_t Database::changes() const { return sqlite3_changes64(db_); }

bool Database::in_transaction() const { return sqlite3_get_autocommit(db_) == 0; }

absl::Status Database::Error(int rc, absl::string_view what) const {
  return StatusFor(db_, rc, what);
}

Statement::Statement(Statement&& other) noexcept : stmt_(std::exchange(other.stmt_, nullptr)) {}

Statement& Statement::operator=(Statement&& other) noexcept {
  if (this != &other) {
    sqlite3_finalize(stmt_);
    stmt_ = std::exchange(other.stmt_, nullptr);
  }
  return *this;
}

Statement::~Statement() { sqlite3_finalize(stmt_); }

absl::Status Statement::BindResult(int rc, int index) {
  if (rc == SQLITE_OK) return absl::OkStatus();
  return StatusFor(sqlite3_db_handle(stmt_), rc,
                   absl::StrCat("cannot bind parameter ", index, " of '", sql(), "'"));
}

absl::Status Statement::Bind(int index, int64_t value) {
  return BindResult(sqlite3_bind_int64(stmt_, index, value), index);
}

absl::Status Statement::Bind(int index, double value) {
  return BindResult(sqlite3_bind_double(stmt_, index, value), index);
}

absl::Status Statement::Bind(int index, absl::string_view text) {
  // A null data pointer would bind NULL; an empty string_view may have one.
  const char* data = text.data() != nullptr ? text.data() : "";
  return BindResult(
      sqlite3_bind_text64(stmt_, index, data, text.size(), SQLITE_TRANSIENT, SQLITE_UTF8), index);
}

absl::Status Statement::Bind(int index, std::nullopt_t) {
  return BindResult(sqlite3_bind_null(stmt_, index), index);
}

absl::Status Statement::BindBlob(int index, absl::string_view bytes) {
  const char* data = bytes.data() != nullptr ? bytes.data() : "";
  return BindResult(sqlite3_bind_blob64(stmt_, index, data, bytes.size(), SQLITE_TRANSIENT), index);
}

absl::StatusOr<bool> Statement::Step() {
  int rc = sqlite3_step(stmt_);
  if (rc == SQLITE_ROW) return true;
  if (rc == SQLITE_DONE) return false;
  absl::Status status =
      StatusFor(sqlite3_db_handle(stmt_), rc, absl::StrCat("cannot run '", sql(), "'"));
  sqlite3_reset(stmt_);  // so the statement (and any read lock it held) is released
  return status;
}

absl::Status Statement::Run() {
  while (true) {
    absl::StatusOr<bool> row = Step();
    if (!row.ok()) return row.status();
    if (!*row) return absl::OkStatus();
  }
}

absl::Status Statement::Reset() {
  int rc = sqlite3_reset(stmt_);
  if (rc != SQLITE_OK) {
    return StatusFor(sqlite3_db_handle(stmt_), rc, absl::StrCat("cannot reset '", sql(), "'"));
  }
  return absl::OkStatus();
}

absl::Status Statement::ClearBindings() {
  int rc = sqlite3_clear_bindings(stmt_);
  if (rc != SQLITE_OK) {
    return StatusFor(sqlite3_db_handle(stmt_), rc,
                     absl::StrCat("cannot clear bindings of '", sql(), "'"));
  }
  return absl::OkStatus();
}

void Statement::Release() {
  // A reset reports the last step's error again, which its caller has had already.
  sqlite3_reset(stmt_);
  sqlite3_clear_bindings(stmt_);
}

CachedStatement::CachedStatement(CachedStatement&& other) noexcept
    : stmt_(std::exchange(other.stmt_, nullptr)),
      in_use_(std::exchange(other.in_use_, nullptr)),
      owned_(std::move(other.owned_)) {}

CachedStatement::~CachedStatement() {
  if (stmt_ == nullptr) return;  // moved from
  stmt_->Release();
  if (in_use_ != nullptr) *in_use_ = false;
}

int Statement::column_count() const { return sqlite3_column_count(stmt_); }

bool Statement::IsNull(int column) const {
  return sqlite3_column_type(stmt_, column) == SQLITE_NULL;
}

int64_t Statement::ColumnInt64(int column) const { return sqlite3_column_int64(stmt_, column); }

double Statement::ColumnDouble(int column) const { return sqlite3_column_double(stmt_, column); }

std::string Statement::ColumnText(int column) const {
  const unsigned char* text = sqlite3_column_text(stmt_, column);
  if (text == nullptr) return std::string();
  return std::string(reinterpret_cast<const char*>(text), sqlite3_column_bytes(stmt_, column));
}

std::optional<int64_t> Statement::ColumnOptionalInt64(int column) const {
  if (IsNull(column)) return std::nullopt;
  return ColumnInt64(column);
}

std::optional<double> Statement::ColumnOptionalDouble(int column) const {
  if (IsNull(column)) return std::nullopt;
  return ColumnDouble(column);
}

absl::string_view Statement::sql() const {
  const char* text = sqlite3_sql(stmt_);
  return text != nullptr ? absl::string_view(text) : absl::string_view();
}

absl::StatusOr<Transaction> Transaction::Begin(Database& db, Mode mode) {
  absl::Status status = db.Exec(mode == Mode::kImmediate ? "BEGIN IMMEDIATE" : "BEGIN DEFERRED");
  if (!status.ok()) return status;
  return Transaction(&db);
}

Transaction::~Transaction() {
  if (db_ != nullptr) Rollback().IgnoreError();  // nothing more to do if even that fails
}

absl::Status Transaction::Commit() {
  if (db_ == nullptr) return absl::FailedPreconditionError("transaction already ended");
  absl::Status status = db_->Exec("COMMIT");
  // A failed COMMIT may leave the transaction open; the destructor then rolls it back.
  if (status.ok() || !db_->in_transaction()) db_ = nullptr;
  return status;
}

absl::Status Transaction::Rollback() {
  if (db_ == nullptr) return absl::FailedPreconditionError("transaction already ended");
  Database* db = std::exchange(db_, nullptr);
  // SQLite may already have rolled back by itself (after some errors); that is not a failure.
  if (!db->in_transaction()) return absl::OkStatus();
  return db->Exec("ROLLBACK");
}

}  // namespace wandb::store
