#include "service/store/sqlite.h"

#include <catch2/catch.hpp>
#include <filesystem>
#include <optional>
#include <string>
#include <utility>

#include "tests/unit/store/store_test_support.h"

namespace wandb::store {
namespace {

using testing::TempDir;

Database OpenDb(const std::string& path) {
  absl::StatusOr<Database> db = Database::Open(path);
  INFO(db.status().ToString());
  REQUIRE(db.ok());
  return *std::move(db);
}

Statement PrepareOk(Database& db, const std::string& sql) {
  absl::StatusOr<Statement> stmt = db.Prepare(sql);
  INFO(stmt.status().ToString());
  REQUIRE(stmt.ok());
  return *std::move(stmt);
}

int64_t CountRows(Database& db, const std::string& table) {
  Statement stmt = PrepareOk(db, "SELECT count(*) FROM " + table);
  absl::StatusOr<bool> row = stmt.Step();
  REQUIRE(row.ok());
  REQUIRE(*row);
  return stmt.ColumnInt64(0);
}

TEST_CASE("store/sqlite: values bound by type come back as they went in", "[store][sqlite]") {
  TempDir tmp;
  Database db = OpenDb(tmp.File("t.db"));
  REQUIRE(db.Exec("CREATE TABLE t (i INTEGER, d REAL, s TEXT, n TEXT, o INTEGER, b BLOB)").ok());

  Statement insert = PrepareOk(db, "INSERT INTO t VALUES (?, ?, ?, ?, ?, ?)");
  const std::string text("caf\xc3\xa9 \"quoted\"\nline", 20);
  REQUIRE(insert.BindAll(int64_t{-9007199254740993}, 0.1, text, std::nullopt, std::optional<int>(7))
              .ok());
  REQUIRE(insert.BindBlob(6, std::string("a\0b", 3)).ok());
  REQUIRE(insert.Run().ok());
  CHECK(db.changes() == 1);
  CHECK(db.last_insert_rowid() == 1);

  Statement select = PrepareOk(db, "SELECT i, d, s, n, o, length(b) FROM t");
  CHECK(select.column_count() == 6);
  absl::StatusOr<bool> row = select.Step();
  REQUIRE(row.ok());
  REQUIRE(*row);
  CHECK(select.ColumnInt64(0) == -9007199254740993);
  CHECK(select.ColumnDouble(1) == 0.1);
  CHECK(select.ColumnText(2) == text);
  CHECK(select.IsNull(3));
  CHECK(select.ColumnText(3).empty());
  CHECK_FALSE(select.ColumnOptionalInt64(3).has_value());
  CHECK(select.ColumnOptionalInt64(4) == std::optional<int64_t>(7));
  CHECK(select.ColumnInt64(5) == 3);
  row = select.Step();
  REQUIRE(row.ok());
  CHECK_FALSE(*row);
}

TEST_CASE("store/sqlite: a statement runs again after Reset with new bindings", "[store][sqlite]") {
  TempDir tmp;
  Database db = OpenDb(tmp.File("t.db"));
  REQUIRE(db.Exec("CREATE TABLE t (k INTEGER PRIMARY KEY, v TEXT)").ok());
  Statement insert = PrepareOk(db, "INSERT INTO t VALUES (?1, ?2)");
  for (int k = 0; k < 5; ++k) {
    REQUIRE(insert.Reset().ok());
    REQUIRE(insert.BindAll(k, "v" + std::to_string(k)).ok());
    REQUIRE(insert.Run().ok());
  }
  CHECK(CountRows(db, "t") == 5);
  REQUIRE(insert.ClearBindings().ok());
  REQUIRE(insert.Reset().ok());
  absl::Status status = insert.Run();  // k NULL picks a new rowid; v NULL is allowed
  CHECK(status.ok());
  CHECK(CountRows(db, "t") == 6);
}

TEST_CASE("store/sqlite: errors carry SQLite's message, the SQL and the file", "[store][sqlite]") {
  TempDir tmp;
  std::string path = tmp.File("t.db");
  Database db = OpenDb(path);

  absl::StatusOr<Statement> bad = db.Prepare("SELECT * FROM missing_table");
  REQUIRE_FALSE(bad.ok());
  CHECK(bad.status().code() == absl::StatusCode::kInternal);
  std::string message(bad.status().message());
  CHECK_THAT(message, Catch::Contains("SELECT * FROM missing_table"));
  CHECK_THAT(message, Catch::Contains("no such table: missing_table"));
  CHECK_THAT(message, Catch::Contains(path));

  absl::Status exec = db.Exec("NOT SQL AT ALL");
  CHECK_THAT(std::string(exec.message()), Catch::Contains("syntax error"));

  absl::StatusOr<Statement> empty = db.Prepare("  ");
  CHECK(empty.status().code() == absl::StatusCode::kInvalidArgument);

  absl::StatusOr<Database> nowhere = Database::Open(tmp.File("no/such/dir/x.db"));
  REQUIRE_FALSE(nowhere.ok());
  CHECK_THAT(std::string(nowhere.status().message()),
             Catch::Contains("cannot open database " + tmp.File("no/such/dir/x.db")));
}

TEST_CASE("store/sqlite: constraint failures map to AlreadyExists or FailedPrecondition",
          "[store][sqlite]") {
  TempDir tmp;
  Database db = OpenDb(tmp.File("t.db"));
  REQUIRE(db.Exec("CREATE TABLE t (k INTEGER PRIMARY KEY, v TEXT NOT NULL CHECK (v <> 'x'))").ok());
  REQUIRE(db.Exec("INSERT INTO t VALUES (1, 'a')").ok());
  CHECK(db.Exec("INSERT INTO t VALUES (1, 'b')").code() == absl::StatusCode::kAlreadyExists);
  CHECK(db.Exec("INSERT INTO t VALUES (2, 'x')").code() == absl::StatusCode::kFailedPrecondition);
  CHECK(db.Exec("INSERT INTO t VALUES (3, NULL)").code() == absl::StatusCode::kFailedPrecondition);
}

TEST_CASE("store/sqlite: a transaction commits, or rolls back when dropped", "[store][sqlite]") {
  TempDir tmp;
  Database db = OpenDb(tmp.File("t.db"));
  REQUIRE(db.Exec("CREATE TABLE t (k INTEGER)").ok());
  {
    absl::StatusOr<Transaction> txn = Transaction::Begin(db, Transaction::Mode::kImmediate);
    REQUIRE(txn.ok());
    CHECK(db.in_transaction());
    REQUIRE(db.Exec("INSERT INTO t VALUES (1)").ok());
  }  // dropped without Commit
  CHECK_FALSE(db.in_transaction());
  CHECK(CountRows(db, "t") == 0);

  {
    absl::StatusOr<Transaction> txn = Transaction::Begin(db, Transaction::Mode::kDeferred);
    REQUIRE(txn.ok());
    REQUIRE(db.Exec("INSERT INTO t VALUES (2)").ok());
    REQUIRE(txn->Commit().ok());
    CHECK(txn->Commit().code() == absl::StatusCode::kFailedPrecondition);
    CHECK(txn->Rollback().code() == absl::StatusCode::kFailedPrecondition);
  }
  CHECK(CountRows(db, "t") == 1);

  {
    absl::StatusOr<Transaction> txn = Transaction::Begin(db, Transaction::Mode::kImmediate);
    REQUIRE(txn.ok());
    REQUIRE(db.Exec("INSERT INTO t VALUES (3)").ok());
    REQUIRE(txn->Rollback().ok());
  }
  CHECK(CountRows(db, "t") == 1);
}

TEST_CASE("store/sqlite: a second writer waits the busy timeout, then fails with Unavailable",
          "[store][sqlite]") {
  TempDir tmp;
  std::string path = tmp.File("t.db");
  Database first = OpenDb(path);
  REQUIRE(first.Exec("PRAGMA journal_mode = WAL; CREATE TABLE t (k INTEGER)").ok());
  Database second = OpenDb(path);
  REQUIRE(second.SetBusyTimeout(20).ok());

  absl::StatusOr<Transaction> held = Transaction::Begin(first, Transaction::Mode::kImmediate);
  REQUIRE(held.ok());
  REQUIRE(first.Exec("INSERT INTO t VALUES (1)").ok());

  absl::StatusOr<Transaction> blocked = Transaction::Begin(second, Transaction::Mode::kImmediate);
  REQUIRE_FALSE(blocked.ok());
  CHECK(blocked.status().code() == absl::StatusCode::kUnavailable);
  CHECK_THAT(std::string(blocked.status().message()), Catch::Contains("locked"));

  // In WAL mode the reader is not blocked; it sees the last committed state.
  CHECK(CountRows(second, "t") == 0);
  REQUIRE(held->Commit().ok());
  CHECK(CountRows(second, "t") == 1);
  absl::StatusOr<Transaction> now = Transaction::Begin(second, Transaction::Mode::kImmediate);
  CHECK(now.ok());
}

TEST_CASE("store/sqlite: databases and statements move", "[store][sqlite]") {
  TempDir tmp;
  Database db = OpenDb(tmp.File("t.db"));
  REQUIRE(db.Exec("CREATE TABLE t (k INTEGER); INSERT INTO t VALUES (42)").ok());
  Statement stmt = PrepareOk(db, "SELECT k FROM t");
  Statement moved = std::move(stmt);
  Database moved_db = std::move(db);
  absl::StatusOr<bool> row = moved.Step();
  REQUIRE(row.ok());
  REQUIRE(*row);
  CHECK(moved.ColumnInt64(0) == 42);
  CHECK(moved.sql() == "SELECT k FROM t");
  moved_db = OpenDb(tmp.File("other.db"));  // the first connection closes once `moved` goes
  CHECK(moved_db.path() == tmp.File("other.db"));
}

TEST_CASE("store/sqlite: Query prepares a statement once per connection and binds its arguments",
          "[store][sqlite]") {
  TempDir tmp;
  Database db = OpenDb(tmp.File("t.db"));
  REQUIRE(db.Exec("CREATE TABLE t (k INTEGER PRIMARY KEY, v TEXT)").ok());
  const Statement* first = nullptr;
  for (int k = 0; k < 3; ++k) {
    absl::StatusOr<CachedStatement> insert =
        db.Query("INSERT INTO t VALUES (?1, ?2)", k, "v" + std::to_string(k));
    REQUIRE(insert.ok());
    if (first == nullptr) first = &**insert;
    CHECK(&**insert == first);  // the same prepared statement each time
    REQUIRE((*insert)->Run().ok());
  }
  REQUIRE(db.Run("INSERT INTO t VALUES (?1, ?2)", 7, "seven").ok());
  CHECK(CountRows(db, "t") == 4);

  // Bindings do not outlive the handle: the next borrower starts from NULLs.
  REQUIRE(db.Run("INSERT INTO t (k, v) VALUES (?1, ?2)", 8, std::nullopt).ok());
  absl::StatusOr<CachedStatement> select = db.Query("SELECT count(*) FROM t WHERE v IS ?1");
  REQUIRE(select.ok());
  REQUIRE(*(*select)->Step());
  CHECK((*select)->ColumnInt64(0) == 1);

  absl::Status bad = db.Run("INSERT INTO missing VALUES (?1)", 1);
  CHECK_THAT(std::string(bad.message()), Catch::Contains("no such table: missing"));
}

TEST_CASE("store/sqlite: a query run inside the loop over its own rows gets its own copy",
          "[store][sqlite]") {
  TempDir tmp;
  Database db = OpenDb(tmp.File("t.db"));
  REQUIRE(db.Exec("CREATE TABLE t (k INTEGER); INSERT INTO t VALUES (1), (2), (3)").ok());
  constexpr absl::string_view kSql = "SELECT k FROM t WHERE k >= ?1 ORDER BY k";
  absl::StatusOr<CachedStatement> outer = db.Query(kSql, 1);
  REQUIRE(outer.ok());
  int pairs = 0;
  while (*(*outer)->Step()) {
    absl::StatusOr<CachedStatement> inner = db.Query(kSql, (*outer)->ColumnInt64(0));
    REQUIRE(inner.ok());
    CHECK(&**inner != &**outer);
    while (*(*inner)->Step()) ++pairs;
  }
  CHECK(pairs == 3 + 2 + 1);
}

TEST_CASE("store/sqlite: a cached read given back half-read holds no snapshot of the WAL",
          "[store][sqlite]") {
  TempDir tmp;
  std::string path = tmp.File("t.db");
  Database db = OpenDb(path);
  REQUIRE(db.Exec("PRAGMA journal_mode = WAL; CREATE TABLE t (k INTEGER)").ok());
  REQUIRE(db.Exec("INSERT INTO t VALUES (1), (2)").ok());
  {
    absl::StatusOr<CachedStatement> select = db.Query("SELECT k FROM t");
    REQUIRE(select.ok());
    REQUIRE(*(*select)->Step());  // one row read, one left: the read is still open here
  }
  // Another connection can now checkpoint the whole log and truncate it: no reader is left.
  Database other = OpenDb(path);
  Statement checkpoint = PrepareOk(other, "PRAGMA wal_checkpoint(TRUNCATE)");
  REQUIRE(*checkpoint.Step());
  CHECK(checkpoint.ColumnInt64(0) == 0);  // not busy
  CHECK(std::filesystem::file_size(path + "-wal") == 0);
}

}  // namespace
}  // namespace wandb::store
