#include "service/store/schema.h"

#include <iterator>

#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"

namespace wandb::store {
namespace {

// Schema migrations: kMigrations[n] takes PRAGMA user_version n to n + 1.
// Version 1: projects, runs, history, file_versions (docs/formats.md, "The local store").
constexpr absl::string_view kMigrations[] = {
    R"sql(
CREATE TABLE projects (
  id         INTEGER PRIMARY KEY,
  entity     TEXT NOT NULL,
  name       TEXT NOT NULL,
  created_at REAL NOT NULL,
  UNIQUE (entity, name)
);
CREATE TABLE runs (
  id                INTEGER PRIMARY KEY,
  project_id        INTEGER NOT NULL REFERENCES projects (id),
  run_id            TEXT NOT NULL,
  name              TEXT NOT NULL DEFAULT '',
  notes             TEXT NOT NULL DEFAULT '',
  run_group         TEXT NOT NULL DEFAULT '',
  job_type          TEXT NOT NULL DEFAULT '',
  tags              TEXT NOT NULL DEFAULT '[]',
  config            TEXT NOT NULL DEFAULT '{}',
  summary           TEXT NOT NULL DEFAULT '{}',
  state             TEXT NOT NULL DEFAULT 'running'
                    CHECK (state IN ('running', 'finished', 'crashed', 'stopped')),
  exit_code         INTEGER,
  start_time        REAL NOT NULL,
  heartbeat_time    REAL NOT NULL,
  end_time          REAL,
  runtime           REAL,
  host              TEXT NOT NULL DEFAULT '',
  program           TEXT NOT NULL DEFAULT '',
  last_step         INTEGER,
  stop_requested    INTEGER NOT NULL DEFAULT 0 CHECK (stop_requested IN (0, 1)),
  stop_requested_at REAL,
  run_dir           TEXT NOT NULL DEFAULT '',
  log_offset        INTEGER NOT NULL DEFAULT 0,
  UNIQUE (project_id, run_id)
);
CREATE INDEX runs_by_run_id ON runs (run_id);
CREATE TABLE history (
  run  INTEGER NOT NULL REFERENCES runs (id) ON DELETE CASCADE,
  step INTEGER NOT NULL CHECK (step >= 0),
  row  TEXT NOT NULL,
  PRIMARY KEY (run, step)
);
CREATE TABLE system_metrics (
  run       INTEGER NOT NULL REFERENCES runs (id) ON DELETE CASCADE,
  timestamp REAL NOT NULL,
  row       TEXT NOT NULL,
  PRIMARY KEY (run, timestamp)
);
CREATE TABLE file_versions (
  run        INTEGER NOT NULL REFERENCES runs (id) ON DELETE CASCADE,
  path       TEXT NOT NULL,
  version    INTEGER NOT NULL CHECK (version >= 1),
  md5        TEXT NOT NULL,
  size       INTEGER NOT NULL CHECK (size >= 0),
  created_at REAL NOT NULL,
  policy     TEXT NOT NULL CHECK (policy IN ('now', 'live', 'end')),
  PRIMARY KEY (run, path, version)
) WITHOUT ROWID;
)sql",
    // Version 2: the runs' console output (output.log's lines).
    R"sql(
CREATE TABLE console_lines (
  id           INTEGER PRIMARY KEY,
  run          INTEGER NOT NULL REFERENCES runs (id) ON DELETE CASCADE,
  timestamp_ns INTEGER NOT NULL,
  stream       TEXT NOT NULL CHECK (stream IN ('stdout', 'stderr')),
  line         TEXT NOT NULL,
  UNIQUE (run, timestamp_ns)
);
)sql",
    // Version 3: artifacts (docs/formats.md, "Artifacts"): collections by (project, name),
    // their versions v0, v1, ... with files in the blob store, aliases, and lineage (the run
    // that logged each version, and each log_artifact call by its client id, so a replay of
    // the log commits nothing twice).
    R"sql(
CREATE TABLE artifacts (
  id         INTEGER PRIMARY KEY,
  project_id INTEGER NOT NULL REFERENCES projects (id),
  name       TEXT NOT NULL,
  type       TEXT NOT NULL,
  created_at REAL NOT NULL,
  UNIQUE (project_id, name)
);
CREATE TABLE artifact_versions (
  id          INTEGER PRIMARY KEY,
  artifact_id INTEGER NOT NULL REFERENCES artifacts (id),
  version     INTEGER NOT NULL CHECK (version >= 0),
  digest      TEXT NOT NULL,
  description TEXT NOT NULL DEFAULT '',
  metadata    TEXT NOT NULL DEFAULT '{}',
  size        INTEGER NOT NULL CHECK (size >= 0),
  file_count  INTEGER NOT NULL CHECK (file_count >= 0),
  created_by  INTEGER REFERENCES runs (id) ON DELETE SET NULL,
  created_at  REAL NOT NULL,
  UNIQUE (artifact_id, version),
  UNIQUE (artifact_id, digest)
);
CREATE TABLE artifact_files (
  version_id INTEGER NOT NULL REFERENCES artifact_versions (id) ON DELETE CASCADE,
  path       TEXT NOT NULL,
  digest     TEXT NOT NULL,
  md5        TEXT,
  ref        TEXT,
  size       INTEGER,
  extra      TEXT,
  PRIMARY KEY (version_id, path)
) WITHOUT ROWID;
CREATE TABLE artifact_aliases (
  artifact_id INTEGER NOT NULL REFERENCES artifacts (id),
  alias       TEXT NOT NULL,
  version_id  INTEGER NOT NULL REFERENCES artifact_versions (id) ON DELETE CASCADE,
  PRIMARY KEY (artifact_id, alias)
) WITHOUT ROWID;
CREATE TABLE artifact_logs (
  client_id  TEXT PRIMARY KEY,
  version_id INTEGER NOT NULL REFERENCES artifact_versions (id) ON DELETE CASCADE,
  run        INTEGER REFERENCES runs (id) ON DELETE SET NULL,
  logged_at  REAL NOT NULL
) WITHOUT ROWID;
CREATE TABLE artifact_usage (
  version_id INTEGER NOT NULL REFERENCES artifact_versions (id) ON DELETE CASCADE,
  run        INTEGER NOT NULL REFERENCES runs (id) ON DELETE CASCADE,
  used_at    REAL NOT NULL,
  PRIMARY KEY (version_id, run)
) WITHOUT ROWID;
)sql",
};
static_assert(std::size(kMigrations) == kSchemaVersion);

}  // namespace

absl::StatusOr<int> ReadSchemaVersion(Database& db) {
  absl::StatusOr<Statement> stmt = db.Prepare("PRAGMA user_version");
  if (!stmt.ok()) return stmt.status();
  absl::StatusOr<bool> row = stmt->Step();
  if (!row.ok()) return row.status();
  if (!*row) return absl::InternalError("PRAGMA user_version returned nothing");
  return static_cast<int>(stmt->ColumnInt64(0));
}

namespace {

absl::Status CheckNotNewer(int version, const std::string& path) {
  if (version <= kSchemaVersion) return absl::OkStatus();
  return absl::FailedPreconditionError(absl::StrCat(path, " has schema version ", version,
                                                    "; this wandb-cpp knows versions up to ",
                                                    kSchemaVersion, ": use a newer wandb-cpp"));
}

// Brings the schema to kSchemaVersion. A current database needs no write lock, so a reader
// opens the store even while another process holds a long write transaction.
absl::Status Migrate(Database& db) {
  absl::StatusOr<int> version = ReadSchemaVersion(db);
  if (!version.ok()) return version.status();
  if (*version == kSchemaVersion) return absl::OkStatus();
  absl::Status status = CheckNotNewer(*version, db.path());
  if (!status.ok()) return status;

  absl::StatusOr<Transaction> txn = Transaction::Begin(db, Transaction::Mode::kImmediate);
  if (!txn.ok()) return txn.status();
  version = ReadSchemaVersion(db);  // another process may have migrated meanwhile
  if (!version.ok()) return version.status();
  status = CheckNotNewer(*version, db.path());
  if (!status.ok()) return status;
  for (int next = *version + 1; next <= kSchemaVersion; ++next) {
    status = db.Exec(kMigrations[next - 1]);
    if (status.ok()) status = db.Exec(absl::StrCat("PRAGMA user_version = ", next));
    if (!status.ok()) {
      return absl::Status(status.code(),
                          absl::StrCat("migrating to schema ", next, ": ", status.message()));
    }
  }
  return txn->Commit();
}

absl::Status Configure(Database& db) {
  absl::Status status = db.SetBusyTimeout(kBusyTimeoutMs);
  if (!status.ok()) return status;
  // WAL lets readers in other processes read while this one writes. The mode is stored in
  // the file; setting it needs a lock, so it is only set when not already on.
  std::string current;
  {
    absl::StatusOr<Statement> mode = db.Prepare("PRAGMA journal_mode");
    if (!mode.ok()) return mode.status();
    absl::StatusOr<bool> row = mode->Step();
    if (!row.ok()) return row.status();
    if (*row) current = mode->ColumnText(0);
  }  // the statement must be finished before the mode can change
  if (current != "wal") {
    absl::StatusOr<Statement> set = db.Prepare("PRAGMA journal_mode = WAL");
    if (!set.ok()) return set.status();
    absl::StatusOr<bool> row = set->Step();
    if (!row.ok()) return row.status();
    if (!*row || set->ColumnText(0) != "wal") {
      return absl::FailedPreconditionError(absl::StrCat("cannot put ", db.path(),
                                                        " in WAL mode (the file system may not "
                                                        "support the shared memory it needs)"));
    }
  }
  // NORMAL in WAL mode: a crashed process loses nothing committed; a power loss may lose the
  // last transactions, never consistency.
  // The write-ahead file is bounded, so the store needs little room beyond its data: SQLite
  // checkpoints it (copies it into the database, then starts it over) after a commit that
  // leaves it at wal_autocheckpoint pages, 1,000 (4 MB) by default. A live run commits a few
  // rows at a time, each commit rewriting the same few pages, so the file grows far faster
  // than the data; on a disk with less than 4 MB free it filled the disk before the first
  // checkpoint, and then no commit, and no checkpoint, could ever succeed (issue 12). 256 pages
  // (1 MiB); journal_size_limit cuts the file back to that after each checkpoint, instead of
  // keeping the size of the largest burst.
  return db.Exec(
      "PRAGMA synchronous = NORMAL; PRAGMA foreign_keys = ON; "
      "PRAGMA wal_autocheckpoint = 256; PRAGMA journal_size_limit = 1048576");
}

}  // namespace

absl::Status SetUpSchema(Database& db) {
  absl::Status status = Configure(db);
  return status.ok() ? Migrate(db) : status;
}

}  // namespace wandb::store
