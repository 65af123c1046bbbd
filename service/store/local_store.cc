#include "service/store/local_store.h"

#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "service/store/file_util.h"

namespace wandb::store {

absl::StatusOr<std::unique_ptr<LocalStore>> LocalStore::Open(const std::string& dir) {
  absl::StatusOr<bool> made = MakePrivateDirs(dir);
  if (!made.ok()) return Context(made.status(), "cannot create the local store");
  struct stat st;
  if (stat(dir.c_str(), &st) != 0) {
    return ErrnoStatus(errno, absl::StrCat("cannot inspect the local store ", dir));
  }
  if (st.st_uid != geteuid()) {
    return absl::PermissionDeniedError(absl::StrCat("the local store ", dir, " belongs to uid ",
                                                    st.st_uid, ", not to this user (uid ",
                                                    geteuid(), ")"));
  }

  absl::StatusOr<BlobStore> blobs = BlobStore::Open(dir + "/blobs");
  if (!blobs.ok()) return Context(blobs.status(), "cannot open the local store's blobs");

  std::string db_path = dir + "/store.db";
  bool db_is_new = access(db_path.c_str(), F_OK) != 0;
  absl::StatusOr<Database> db = Database::Open(db_path);
  if (!db.ok()) return db.status();
  absl::Status status = SetUpSchema(*db);
  if (!status.ok()) return Context(status, absl::StrCat("cannot open the local store ", dir));
  // The database holds everything the user logged: private, like the directory around it.
  if (db_is_new) chmod(db_path.c_str(), 0600);
  return std::unique_ptr<LocalStore>(new LocalStore(dir, *std::move(db), *std::move(blobs)));
}

absl::Status LocalStore::IntegrityCheck() {
  std::vector<std::string> problems;
  absl::Status status = connection_.Use([&](Database& db) {
    for (absl::string_view pragma : {"PRAGMA integrity_check", "PRAGMA foreign_key_check"}) {
      absl::StatusOr<Statement> stmt = db.Prepare(pragma);
      if (!stmt.ok()) return stmt.status();
      while (true) {
        absl::StatusOr<bool> row = stmt->Step();
        if (!row.ok()) return row.status();
        if (!*row) break;
        std::vector<std::string> columns;
        for (int i = 0; i < stmt->column_count(); ++i) columns.push_back(stmt->ColumnText(i));
        std::string line = absl::StrJoin(columns, " ");
        if (line != "ok") problems.push_back(absl::StrCat(pragma.substr(7), ": ", line));
      }
    }
    return absl::OkStatus();
  });
  if (!status.ok()) return status;
  if (problems.empty()) return absl::OkStatus();
  return absl::DataLossError(absl::StrCat(
      database_path(), " failed its integrity check: ", absl::StrJoin(problems, "; ")));
}

absl::StatusOr<int> LocalStore::SchemaVersion() {
  absl::StatusOr<int> version;
  absl::Status status = connection_.Use([&](Database& db) {
    version = ReadSchemaVersion(db);
    return version.status();
  });
  if (!status.ok()) return status;
  return version;
}

}  // namespace wandb::store
