// A thin RAII layer over SQLite's C API: a connection (Database), a prepared statement
// (Statement), a statement borrowed from the connection's cache (CachedStatement) and a
// transaction that rolls back unless committed (Transaction). Every failure is an
// absl::Status carrying SQLite's message and what was being done; nothing throws.
//
// None of these types lock anything: a Database and its statements belong to one thread at a
// time (the connection is opened with SQLITE_OPEN_NOMUTEX; the store's Connection guards it
// with a mutex).
#ifndef WANDB_SERVICE_STORE_SQLITE_H_
#define WANDB_SERVICE_STORE_SQLITE_H_

#include <cstdint>
#include <memory>
#include <optional>
#include <string>

#include "absl/container/flat_hash_map.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

struct sqlite3;
struct sqlite3_stmt;

namespace wandb::store {

class Statement;
class CachedStatement;

class Database {
 public:
  // Opens (creating when missing) the database file at `path` for reading and writing.
  static absl::StatusOr<Database> Open(const std::string& path);

  Database(Database&& other) noexcept;
  Database& operator=(Database&& other) noexcept;
  Database(const Database&) = delete;
  Database& operator=(const Database&) = delete;
  ~Database();

  // Runs one or more statements that return no rows (rows they do return are ignored).
  absl::Status Exec(absl::string_view sql);
  // A statement of the caller's own, finalized when it goes.
  absl::StatusOr<Statement> Prepare(absl::string_view sql);

  // The statement for `sql`, prepared the first time this connection sees `sql` and kept
  // while the connection lives, with `args` bound to parameters 1, 2, ... Step it through the
  // handle; when the handle goes the statement is reset, so no read is left open (an open read
  // pins the write-ahead log, which then cannot be checkpointed). A statement borrowed twice
  // at once (a query run inside the loop over its own rows) gets a second, uncached copy.
  template <typename... Args>
  absl::StatusOr<CachedStatement> Query(absl::string_view sql, const Args&... args);
  // Query, stepped to completion: for statements that return no rows.
  template <typename... Args>
  absl::Status Run(absl::string_view sql, const Args&... args);

  // How long a statement waits for another connection's lock before failing with Unavailable.
  absl::Status SetBusyTimeout(int milliseconds);

  int64_t last_insert_rowid() const;
  // Rows changed by the most recent INSERT, UPDATE or DELETE.
  int64_t changes() const;
  bool in_transaction() const;
  const std::string& path() const { return path_; }

  // A status for SQLite result code `rc`, with the connection's message and `what`.
  absl::Status Error(int rc, absl::string_view what) const;

 private:
  // A prepared statement kept for the connection's life, and whether a handle holds it.
  struct CacheEntry;

  Database(sqlite3* db, std::string path);
  absl::StatusOr<CachedStatement> Borrow(absl::string_view sql);

  sqlite3* db_ = nullptr;
  std::string path_;
  // By SQL text. Entries are boxed so a handle's pointer survives the map growing. Declared
  // last: the statements are finalized before the connection closes.
  absl::flat_hash_map<std::string, std::unique_ptr<CacheEntry>> cache_;
};

class Statement {
 public:
  Statement(Statement&& other) noexcept;
  Statement& operator=(Statement&& other) noexcept;
  Statement(const Statement&) = delete;
  Statement& operator=(const Statement&) = delete;
  ~Statement();

  // Parameters are numbered from 1, as in SQLite. Text and blobs are copied.
  absl::Status Bind(int index, int64_t value);
  absl::Status Bind(int index, int value) { return Bind(index, static_cast<int64_t>(value)); }
  absl::Status Bind(int index, double value);
  absl::Status Bind(int index, absl::string_view text);
  absl::Status Bind(int index, const char* text) { return Bind(index, absl::string_view(text)); }
  absl::Status Bind(int index, const std::string& text) {
    return Bind(index, absl::string_view(text));
  }
  absl::Status Bind(int index, std::nullopt_t);
  template <typename T>
  absl::Status Bind(int index, const std::optional<T>& value) {
    return value.has_value() ? Bind(index, *value) : Bind(index, std::nullopt);
  }
  absl::Status BindBlob(int index, absl::string_view bytes);

  // Binds its arguments to parameters 1, 2, ... in order.
  template <typename... Args>
  absl::Status BindAll(const Args&... args) {
    int index = 0;
    absl::Status status;
    auto bind_next = [&](const auto& arg) {
      if (status.ok()) status = Bind(++index, arg);
    };
    (bind_next(args), ...);
    return status;
  }

  // Advances to the next row: true when there is one, false when the statement is done.
  absl::StatusOr<bool> Step();
  // Steps to completion, for statements that return no rows.
  absl::Status Run();
  // Makes the statement ready to run again, keeping its bindings.
  absl::Status Reset();
  // Clears every binding to NULL.
  absl::Status ClearBindings();

  int column_count() const;
  bool IsNull(int column) const;
  int64_t ColumnInt64(int column) const;
  double ColumnDouble(int column) const;
  std::string ColumnText(int column) const;
  std::optional<int64_t> ColumnOptionalInt64(int column) const;
  std::optional<double> ColumnOptionalDouble(int column) const;

  absl::string_view sql() const;

 private:
  friend class Database;
  friend class CachedStatement;
  explicit Statement(sqlite3_stmt* stmt) : stmt_(stmt) {}
  absl::Status BindResult(int rc, int index);
  // Makes the statement ready for its next borrower: reset, every binding cleared.
  void Release();
  sqlite3_stmt* stmt_ = nullptr;
};

// A statement borrowed from its connection's cache (Database::Query), given back reset when
// the handle goes. Use it like a pointer to the Statement.
class CachedStatement {
 public:
  CachedStatement(CachedStatement&& other) noexcept;
  CachedStatement& operator=(CachedStatement&&) = delete;
  CachedStatement(const CachedStatement&) = delete;
  CachedStatement& operator=(const CachedStatement&) = delete;
  ~CachedStatement();

  Statement& operator*() const { return *stmt_; }
  Statement* operator->() const { return stmt_; }

 private:
  friend class Database;
  // Borrowed from the cache: `in_use` is the entry's flag, cleared on release.
  CachedStatement(Statement* stmt, bool* in_use) : stmt_(stmt), in_use_(in_use) {}
  // A copy of its own, for a statement that was already borrowed.
  explicit CachedStatement(std::unique_ptr<Statement> owned)
      : stmt_(owned.get()), owned_(std::move(owned)) {}

  Statement* stmt_;
  bool* in_use_ = nullptr;
  std::unique_ptr<Statement> owned_;
};

class Transaction {
 public:
  enum class Mode {
    // Takes the write lock on the first write (or never, for reads): a consistent snapshot.
    kDeferred,
    // Takes the write lock at once, waiting the busy timeout for it. Every write transaction
    // uses this, so two writers never deadlock upgrading from a read lock.
    kImmediate,
  };

  static absl::StatusOr<Transaction> Begin(Database& db, Mode mode);

  Transaction(Transaction&& other) noexcept : db_(other.db_) { other.db_ = nullptr; }
  Transaction& operator=(Transaction&&) = delete;
  Transaction(const Transaction&) = delete;
  Transaction& operator=(const Transaction&) = delete;
  // Rolls back when neither Commit nor Rollback was called.
  ~Transaction();

  absl::Status Commit();
  absl::Status Rollback();

 private:
  explicit Transaction(Database* db) : db_(db) {}
  Database* db_;
};

template <typename... Args>
absl::StatusOr<CachedStatement> Database::Query(absl::string_view sql, const Args&... args) {
  absl::StatusOr<CachedStatement> stmt = Borrow(sql);
  if (!stmt.ok()) return stmt;
  if constexpr (sizeof...(Args) > 0) {
    absl::Status status = (*stmt)->BindAll(args...);
    if (!status.ok()) return status;
  }
  return stmt;
}

template <typename... Args>
absl::Status Database::Run(absl::string_view sql, const Args&... args) {
  absl::StatusOr<CachedStatement> stmt = Query(sql, args...);
  if (!stmt.ok()) return stmt.status();
  return (*stmt)->Run();
}

}  // namespace wandb::store

#endif  // WANDB_SERVICE_STORE_SQLITE_H_
