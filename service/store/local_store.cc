#include "service/store/local_store.h"

#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cmath>
#include <cstdlib>
#include <iterator>
#include <utility>

#include "absl/functional/function_ref.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "nlohmann/json.hpp"
#include "service/store/file_util.h"

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
};
static_assert(std::size(kMigrations) == LocalStore::kSchemaVersion);

// The columns QueryRuns reads, in RunFromRow's order.
constexpr absl::string_view kRunColumns =
    "SELECT p.entity, p.name, r.run_id, r.name, r.notes, r.run_group, r.job_type, r.tags, "
    "r.config, r.summary, r.state, r.exit_code, r.start_time, r.heartbeat_time, r.end_time, "
    "r.runtime, r.host, r.program, r.last_step, r.stop_requested, r.stop_requested_at, "
    "r.run_dir, r.log_offset "
    "FROM runs r JOIN projects p ON p.id = r.project_id";

constexpr absl::string_view kFileColumns =
    "SELECT path, version, md5, size, created_at, policy FROM file_versions";

// Times are stored as REAL seconds since the epoch (like wandb's _timestamp); reading them
// back rounds to the microsecond.
double ToDb(absl::Time time) { return absl::ToDoubleSeconds(time - absl::UnixEpoch()); }
absl::Time FromDb(double seconds) { return absl::FromUnixMicros(std::llround(seconds * 1e6)); }

absl::Status ValidateKeyPart(absl::string_view what, absl::string_view value) {
  if (value.empty()) return absl::InvalidArgumentError(absl::StrCat("run ", what, " is empty"));
  if (value.size() > 256) {
    return absl::InvalidArgumentError(
        absl::StrCat("run ", what, " '", value.substr(0, 32), "...' is over 256 bytes"));
  }
  for (char c : value) {
    if (c == '/' || static_cast<unsigned char>(c) < 0x20) {
      return absl::InvalidArgumentError(
          absl::StrCat("run ", what, " '", value, "' contains '/' or a control character"));
    }
  }
  return absl::OkStatus();
}

absl::Status ValidateRunKey(const RunKey& run) {
  absl::Status status = ValidateKeyPart("entity", run.entity);
  if (status.ok()) status = ValidateKeyPart("project", run.project);
  if (status.ok()) status = ValidateKeyPart("id", run.id);
  return status;
}

// A file's path inside the run: relative, '/'-separated, no empty, '.' or '..' parts.
absl::Status ValidateFilePath(absl::string_view path) {
  auto bad = [path](absl::string_view why) {
    return absl::InvalidArgumentError(absl::StrCat("file path '", path, "' ", why));
  };
  if (path.empty()) return bad("is empty");
  if (path.size() > 4096) return bad("is over 4096 bytes");
  if (path.front() == '/') return bad("is absolute; it must be relative to the run's files/");
  if (path.find('\0') != absl::string_view::npos) return bad("contains a NUL byte");
  for (absl::string_view part : absl::StrSplit(path, '/')) {
    if (part.empty()) return bad("has an empty part");
    if (part == "." || part == "..") return bad("has a '.' or '..' part");
  }
  return absl::OkStatus();
}

std::string TagsToJson(const std::vector<std::string>& tags) {
  nlohmann::json array = nlohmann::json::array();
  for (const std::string& tag : tags) array.push_back(tag);
  // replace: invalid UTF-8 becomes U+FFFD instead of throwing.
  return array.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

absl::StatusOr<std::vector<std::string>> TagsFromJson(const std::string& text,
                                                      const std::string& run) {
  nlohmann::json array = nlohmann::json::parse(text, nullptr, /*allow_exceptions=*/false);
  if (!array.is_array()) {
    return absl::DataLossError(absl::StrCat("run ", run, " has malformed tags: ", text));
  }
  std::vector<std::string> tags;
  for (const nlohmann::json& tag : array) {
    if (!tag.is_string()) {
      return absl::DataLossError(absl::StrCat("run ", run, " has malformed tags: ", text));
    }
    tags.push_back(tag.get<std::string>());
  }
  return tags;
}

// Prefixes a failure with what was being done, keeping its code.
absl::Status Context(const absl::Status& status, absl::string_view what) {
  if (status.ok()) return status;
  return absl::Status(status.code(), absl::StrCat(what, ": ", status.message()));
}

absl::StatusOr<int> ReadUserVersion(Database& db) {
  absl::StatusOr<Statement> stmt = db.Prepare("PRAGMA user_version");
  if (!stmt.ok()) return stmt.status();
  absl::StatusOr<bool> row = stmt->Step();
  if (!row.ok()) return row.status();
  if (!*row) return absl::InternalError("PRAGMA user_version returned nothing");
  return static_cast<int>(stmt->ColumnInt64(0));
}

absl::Status CheckNotNewer(int version, const std::string& path) {
  if (version <= LocalStore::kSchemaVersion) return absl::OkStatus();
  return absl::FailedPreconditionError(
      absl::StrCat(path, " has schema version ", version, "; this wandb-cpp knows versions up to ",
                   LocalStore::kSchemaVersion, ": use a newer wandb-cpp"));
}

// Brings the schema to kSchemaVersion. A current database needs no write lock, so a reader
// opens the store even while another process holds a long write transaction.
absl::Status Migrate(Database& db) {
  absl::StatusOr<int> version = ReadUserVersion(db);
  if (!version.ok()) return version.status();
  if (*version == LocalStore::kSchemaVersion) return absl::OkStatus();
  absl::Status status = CheckNotNewer(*version, db.path());
  if (!status.ok()) return status;

  absl::StatusOr<Transaction> txn = Transaction::Begin(db, Transaction::Mode::kImmediate);
  if (!txn.ok()) return txn.status();
  version = ReadUserVersion(db);  // another process may have migrated meanwhile
  if (!version.ok()) return version.status();
  status = CheckNotNewer(*version, db.path());
  if (!status.ok()) return status;
  for (int next = *version + 1; next <= LocalStore::kSchemaVersion; ++next) {
    status = db.Exec(kMigrations[next - 1]);
    if (status.ok()) status = db.Exec(absl::StrCat("PRAGMA user_version = ", next));
    if (!status.ok()) return Context(status, absl::StrCat("migrating to schema ", next));
  }
  return txn->Commit();
}

absl::Status Configure(Database& db) {
  absl::Status status = db.SetBusyTimeout(LocalStore::kBusyTimeoutMs);
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
  return db.Exec("PRAGMA synchronous = NORMAL; PRAGMA foreign_keys = ON");
}

RunRow RunFromRow(const Statement& stmt) {
  RunRow run;
  run.key = RunKey{stmt.ColumnText(0), stmt.ColumnText(1), stmt.ColumnText(2)};
  run.name = stmt.ColumnText(3);
  run.notes = stmt.ColumnText(4);
  run.group = stmt.ColumnText(5);
  run.job_type = stmt.ColumnText(6);
  // column 7 (tags) is parsed by the caller, which can fail
  run.config_json = stmt.ColumnText(8);
  run.summary_json = stmt.ColumnText(9);
  run.state = ParseRunState(stmt.ColumnText(10)).value_or(RunState::kCrashed);
  if (std::optional<int64_t> code = stmt.ColumnOptionalInt64(11)) {
    run.exit_code = static_cast<int>(*code);
  }
  run.start_time = FromDb(stmt.ColumnDouble(12));
  run.heartbeat_time = FromDb(stmt.ColumnDouble(13));
  if (std::optional<double> end = stmt.ColumnOptionalDouble(14)) run.end_time = FromDb(*end);
  std::optional<double> runtime = stmt.ColumnOptionalDouble(15);
  if (run.state != RunState::kRunning && runtime.has_value()) {
    run.runtime = absl::Seconds(*runtime);
  } else {
    run.runtime = std::max(absl::ZeroDuration(), run.heartbeat_time - run.start_time);
  }
  run.host = stmt.ColumnText(16);
  run.program = stmt.ColumnText(17);
  run.last_step = stmt.ColumnOptionalInt64(18);
  run.stop_requested = stmt.ColumnInt64(19) != 0;
  if (std::optional<double> at = stmt.ColumnOptionalDouble(20)) {
    run.stop_requested_time = FromDb(*at);
  }
  run.run_dir = stmt.ColumnText(21);
  run.log_offset = static_cast<uint64_t>(stmt.ColumnInt64(22));
  return run;
}

}  // namespace

absl::string_view RunStateName(RunState state) {
  switch (state) {
    case RunState::kRunning:
      return "running";
    case RunState::kFinished:
      return "finished";
    case RunState::kCrashed:
      return "crashed";
    case RunState::kStopped:
      return "stopped";
  }
  return "crashed";
}

absl::StatusOr<RunState> ParseRunState(absl::string_view name) {
  for (RunState state :
       {RunState::kRunning, RunState::kFinished, RunState::kCrashed, RunState::kStopped}) {
    if (name == RunStateName(state)) return state;
  }
  return absl::InvalidArgumentError(absl::StrCat("unknown run state '", name, "'"));
}

absl::string_view FilePolicyName(FilePolicy policy) {
  switch (policy) {
    case FilePolicy::kNow:
      return "now";
    case FilePolicy::kLive:
      return "live";
    case FilePolicy::kEnd:
      return "end";
  }
  return "end";
}

absl::StatusOr<FilePolicy> ParseFilePolicy(absl::string_view name) {
  for (FilePolicy policy : {FilePolicy::kNow, FilePolicy::kLive, FilePolicy::kEnd}) {
    if (name == FilePolicyName(policy)) return policy;
  }
  return absl::InvalidArgumentError(absl::StrCat("unknown file policy '", name, "'"));
}

std::string RunKey::ToString() const { return absl::StrCat(entity, "/", project, "/", id); }

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
  absl::Status status = Configure(*db);
  if (status.ok()) status = Migrate(*db);
  if (!status.ok()) return Context(status, absl::StrCat("cannot open the local store ", dir));
  // The database holds everything the user logged: private, like the directory around it.
  if (db_is_new) chmod(db_path.c_str(), 0600);
  return std::unique_ptr<LocalStore>(new LocalStore(dir, *std::move(db), *std::move(blobs)));
}

absl::StatusOr<int64_t> LocalStore::RunRowId(const RunKey& run) {
  absl::StatusOr<Statement> stmt = db_.Prepare(
      "SELECT r.id FROM runs r JOIN projects p ON p.id = r.project_id "
      "WHERE p.entity = ?1 AND p.name = ?2 AND r.run_id = ?3");
  if (!stmt.ok()) return stmt.status();
  absl::Status status = stmt->BindAll(run.entity, run.project, run.id);
  if (!status.ok()) return status;
  absl::StatusOr<bool> row = stmt->Step();
  if (!row.ok()) return row.status();
  if (!*row) {
    return absl::NotFoundError(
        absl::StrCat("run ", run.ToString(), " is not in the local store ", dir_));
  }
  return stmt->ColumnInt64(0);
}

absl::Status LocalStore::WithRun(const RunKey& run, Transaction::Mode mode, absl::string_view what,
                                 absl::FunctionRef<absl::Status(Database&, int64_t)> body) {
  absl::Status status = ValidateRunKey(run);
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

absl::StatusOr<UpsertOutcome> LocalStore::UpsertRun(const RunRow& run) {
  absl::Status status = ValidateRunKey(run.key);
  if (!status.ok()) return status;
  const absl::Time now = absl::Now();
  const absl::Time start = run.start_time == absl::InfinitePast() ? now : run.start_time;
  const std::string tags = TagsToJson(run.tags);
  const std::string what = absl::StrCat("cannot record run ", run.key.ToString());

  absl::MutexLock lock(&mu_);
  absl::StatusOr<Transaction> txn = Transaction::Begin(db_, Transaction::Mode::kImmediate);
  if (!txn.ok()) return Context(txn.status(), what);

  absl::StatusOr<Statement> add_project = db_.Prepare(
      "INSERT INTO projects (entity, name, created_at) VALUES (?1, ?2, ?3) "
      "ON CONFLICT (entity, name) DO NOTHING");
  if (!add_project.ok()) return Context(add_project.status(), what);
  status = add_project->BindAll(run.key.entity, run.key.project, ToDb(now));
  if (status.ok()) status = add_project->Run();
  if (!status.ok()) return Context(status, what);

  absl::StatusOr<Statement> find = db_.Prepare(
      "SELECT p.id, r.id FROM projects p LEFT JOIN runs r "
      "ON r.project_id = p.id AND r.run_id = ?3 WHERE p.entity = ?1 AND p.name = ?2");
  if (!find.ok()) return Context(find.status(), what);
  status = find->BindAll(run.key.entity, run.key.project, run.key.id);
  if (!status.ok()) return Context(status, what);
  absl::StatusOr<bool> found = find->Step();
  if (!found.ok()) return Context(found.status(), what);
  if (!*found) return absl::InternalError(absl::StrCat(what, ": its project vanished"));
  const int64_t project_id = find->ColumnInt64(0);
  const std::optional<int64_t> run_row = find->ColumnOptionalInt64(1);
  status = find->Reset();  // no statement may be left running at COMMIT
  if (!status.ok()) return Context(status, what);

  UpsertOutcome outcome;
  if (!run_row.has_value()) {
    absl::StatusOr<Statement> insert = db_.Prepare(
        "INSERT INTO runs (project_id, run_id, name, notes, run_group, job_type, tags, config, "
        "start_time, heartbeat_time, host, program) "
        "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)");
    if (!insert.ok()) return Context(insert.status(), what);
    status = insert->BindAll(project_id, run.key.id, run.name, run.notes, run.group, run.job_type,
                             tags, run.config_json.empty() ? "{}" : run.config_json, ToDb(start),
                             ToDb(now), run.host, run.program);
    if (status.ok()) status = insert->Run();
    outcome = UpsertOutcome::kCreated;
  } else {
    // A run that had ended and is upserted again is being resumed: it runs again, and a stop
    // request aimed at its earlier life must not stop it at once.
    absl::StatusOr<Statement> update = db_.Prepare(
        "UPDATE runs SET name = ?1, notes = ?2, run_group = ?3, job_type = ?4, tags = ?5, "
        "host = ?6, program = ?7, heartbeat_time = ?8, "
        "stop_requested = CASE WHEN state = 'running' THEN stop_requested ELSE 0 END, "
        "stop_requested_at = CASE WHEN state = 'running' THEN stop_requested_at END, "
        "state = 'running', exit_code = NULL, end_time = NULL "
        "WHERE id = ?9");
    if (!update.ok()) return Context(update.status(), what);
    status = update->BindAll(run.name, run.notes, run.group, run.job_type, tags, run.host,
                             run.program, ToDb(now), *run_row);
    if (status.ok()) status = update->Run();
    outcome = UpsertOutcome::kUpdated;
  }
  if (status.ok()) status = txn->Commit();
  if (!status.ok()) return Context(status, what);
  return outcome;
}

absl::Status LocalStore::UpdateConfig(const RunKey& run, absl::string_view config_json) {
  const double now = ToDb(absl::Now());
  return WithRun(run, Transaction::Mode::kImmediate, "cannot update the config of run",
                 [&](Database& db, int64_t row) {
                   absl::StatusOr<Statement> stmt =
                       db.Prepare("UPDATE runs SET config = ?1, heartbeat_time = ?2 WHERE id = ?3");
                   if (!stmt.ok()) return stmt.status();
                   absl::Status status = stmt->BindAll(config_json, now, row);
                   return status.ok() ? stmt->Run() : status;
                 });
}

absl::Status LocalStore::SetSummary(const RunKey& run, absl::string_view summary_json) {
  const double now = ToDb(absl::Now());
  return WithRun(run, Transaction::Mode::kImmediate, "cannot set the summary of run",
                 [&](Database& db, int64_t row) {
                   absl::StatusOr<Statement> stmt = db.Prepare(
                       "UPDATE runs SET summary = ?1, heartbeat_time = ?2 WHERE id = ?3");
                   if (!stmt.ok()) return stmt.status();
                   absl::Status status = stmt->BindAll(summary_json, now, row);
                   return status.ok() ? stmt->Run() : status;
                 });
}

absl::Status LocalStore::SetLogPosition(const RunKey& run, absl::string_view run_dir,
                                        uint64_t log_offset) {
  return WithRun(run, Transaction::Mode::kImmediate, "cannot record the log position of run",
                 [&](Database& db, int64_t row) {
                   absl::StatusOr<Statement> stmt =
                       db.Prepare("UPDATE runs SET run_dir = ?1, log_offset = ?2 WHERE id = ?3");
                   if (!stmt.ok()) return stmt.status();
                   absl::Status status =
                       stmt->BindAll(run_dir, static_cast<int64_t>(log_offset), row);
                   return status.ok() ? stmt->Run() : status;
                 });
}

absl::StatusOr<int> LocalStore::AppendHistory(const RunKey& run,
                                              absl::Span<const HistoryRow> rows) {
  int64_t max_step = -1;
  for (const HistoryRow& row : rows) {
    if (row.step < 0) {
      return absl::InvalidArgumentError(
          absl::StrCat("history step ", row.step, " for run ", run.ToString(), " is negative"));
    }
    max_step = std::max(max_step, row.step);
  }
  const double now = ToDb(absl::Now());
  int added = 0;
  absl::Status status = WithRun(
      run, Transaction::Mode::kImmediate, "cannot append history to run",
      [&](Database& db, int64_t run_row) {
        if (rows.empty()) return absl::OkStatus();
        absl::StatusOr<Statement> insert =
            db.Prepare("INSERT OR IGNORE INTO history (run, step, row) VALUES (?1, ?2, ?3)");
        if (!insert.ok()) return insert.status();
        for (const HistoryRow& row : rows) {
          absl::Status status = insert->Reset();
          if (status.ok()) status = insert->BindAll(run_row, row.step, row.row_json);
          if (status.ok()) status = insert->Run();
          if (!status.ok()) return status;
          added += static_cast<int>(db.changes());
        }
        absl::StatusOr<Statement> update = db.Prepare(
            "UPDATE runs SET last_step = max(coalesce(last_step, -1), ?1), "
            "heartbeat_time = ?2 WHERE id = ?3");
        if (!update.ok()) return update.status();
        absl::Status status = update->BindAll(max_step, now, run_row);
        return status.ok() ? update->Run() : status;
      });
  if (!status.ok()) return status;
  return added;
}

absl::StatusOr<int> LocalStore::AppendSystemMetrics(const RunKey& run,
                                                    absl::Span<const SystemMetricsRow> rows) {
  int added = 0;
  absl::Status status = WithRun(
      run, Transaction::Mode::kImmediate, "cannot append system metrics to run",
      [&](Database& db, int64_t run_row) {
        if (rows.empty()) return absl::OkStatus();
        absl::StatusOr<Statement> insert = db.Prepare(
            "INSERT OR IGNORE INTO system_metrics (run, timestamp, row) VALUES (?1, ?2, ?3)");
        if (!insert.ok()) return insert.status();
        for (const SystemMetricsRow& row : rows) {
          absl::Status status = insert->Reset();
          if (status.ok()) status = insert->BindAll(run_row, ToDb(row.timestamp), row.row_json);
          if (status.ok()) status = insert->Run();
          if (!status.ok()) return status;
          added += static_cast<int>(db.changes());
        }
        return absl::OkStatus();
      });
  if (!status.ok()) return status;
  return added;
}

absl::StatusOr<int> LocalStore::AppendConsole(const RunKey& run,
                                              absl::Span<const ConsoleLine> lines) {
  int added = 0;
  absl::Status status =
      WithRun(run, Transaction::Mode::kImmediate, "cannot append console lines to run",
              [&](Database& db, int64_t run_row) {
                if (lines.empty()) return absl::OkStatus();
                absl::StatusOr<Statement> insert = db.Prepare(
                    "INSERT OR IGNORE INTO console_lines (run, timestamp_ns, stream, line) "
                    "VALUES (?1, ?2, ?3, ?4)");
                if (!insert.ok()) return insert.status();
                for (const ConsoleLine& line : lines) {
                  absl::Status status = insert->Reset();
                  if (status.ok()) {
                    status = insert->BindAll(run_row, absl::ToUnixNanos(line.timestamp),
                                             line.is_stderr ? "stderr" : "stdout", line.line);
                  }
                  if (status.ok()) status = insert->Run();
                  if (!status.ok()) return status;
                  added += static_cast<int>(db.changes());
                }
                return absl::OkStatus();
              });
  if (!status.ok()) return status;
  return added;
}

absl::StatusOr<std::vector<ConsoleLine>> LocalStore::ConsoleLines(const RunKey& run) {
  std::vector<ConsoleLine> lines;
  absl::Status status =
      WithRun(run, Transaction::Mode::kDeferred, "cannot read the console of run",
              [&](Database& db, int64_t run_row) {
                absl::StatusOr<Statement> select = db.Prepare(
                    "SELECT timestamp_ns, stream, line FROM console_lines WHERE run = ?1 "
                    "ORDER BY timestamp_ns");
                if (!select.ok()) return select.status();
                if (absl::Status s = select->BindAll(run_row); !s.ok()) return s;
                for (;;) {
                  absl::StatusOr<bool> more = select->Step();
                  if (!more.ok()) return more.status();
                  if (!*more) return absl::OkStatus();
                  lines.push_back({absl::FromUnixNanos(select->ColumnInt64(0)),
                                   select->ColumnText(1) == "stderr", select->ColumnText(2)});
                }
              });
  if (!status.ok()) return status;
  return lines;
}

absl::StatusOr<std::vector<SystemMetricsRow>> LocalStore::SystemMetrics(const RunKey& run) {
  std::vector<SystemMetricsRow> rows;
  absl::Status status =
      WithRun(run, Transaction::Mode::kDeferred, "cannot read the system metrics of run",
              [&](Database& db, int64_t run_row) {
                absl::StatusOr<Statement> select = db.Prepare(
                    "SELECT timestamp, row FROM system_metrics WHERE run = ?1 ORDER BY timestamp");
                if (!select.ok()) return select.status();
                if (absl::Status s = select->BindAll(run_row); !s.ok()) return s;
                for (;;) {
                  absl::StatusOr<bool> more = select->Step();
                  if (!more.ok()) return more.status();
                  if (!*more) return absl::OkStatus();
                  rows.push_back({FromDb(select->ColumnDouble(0)), select->ColumnText(1)});
                }
              });
  if (!status.ok()) return status;
  return rows;
}

absl::Status LocalStore::FinishRun(const RunKey& run, int exit_code, RunState state,
                                   absl::Duration runtime) {
  if (state == RunState::kRunning) {
    return absl::InvalidArgumentError(
        absl::StrCat("cannot finish run ", run.ToString(), " in state 'running'"));
  }
  const double now = ToDb(absl::Now());
  return WithRun(
      run, Transaction::Mode::kImmediate, "cannot finish run", [&](Database& db, int64_t row) {
        absl::StatusOr<Statement> stmt = db.Prepare(
            "UPDATE runs SET state = ?1, exit_code = ?2, runtime = ?3, "
            "end_time = ?4, heartbeat_time = ?4 WHERE id = ?5");
        if (!stmt.ok()) return stmt.status();
        absl::Status status =
            stmt->BindAll(RunStateName(state), exit_code, absl::ToDoubleSeconds(runtime), now, row);
        return status.ok() ? stmt->Run() : status;
      });
}

absl::Status LocalStore::RequestStop(const RunKey& run) {
  const double now = ToDb(absl::Now());
  return WithRun(run, Transaction::Mode::kImmediate, "cannot request a stop of run",
                 [&](Database& db, int64_t row) {
                   absl::StatusOr<Statement> state =
                       db.Prepare("SELECT state FROM runs WHERE id = ?1");
                   if (!state.ok()) return state.status();
                   absl::Status status = state->Bind(1, row);
                   if (!status.ok()) return status;
                   absl::StatusOr<bool> found = state->Step();
                   if (!found.ok()) return found.status();
                   if (*found && state->ColumnText(0) != "running") {
                     return absl::FailedPreconditionError(
                         absl::StrCat("it is not running (", state->ColumnText(0), ")"));
                   }
                   // A second request keeps the time of the first.
                   absl::StatusOr<Statement> stmt = db.Prepare(
                       "UPDATE runs SET stop_requested_at = "
                       "CASE WHEN stop_requested = 1 THEN stop_requested_at ELSE ?1 END, "
                       "stop_requested = 1 WHERE id = ?2");
                   if (!stmt.ok()) return stmt.status();
                   status = stmt->BindAll(now, row);
                   return status.ok() ? stmt->Run() : status;
                 });
}

absl::StatusOr<bool> LocalStore::StopRequested(const RunKey& run) {
  bool requested = false;
  absl::Status status =
      WithRun(run, Transaction::Mode::kDeferred, "cannot read the stop status of run",
              [&](Database& db, int64_t row) {
                absl::StatusOr<Statement> stmt =
                    db.Prepare("SELECT stop_requested FROM runs WHERE id = ?1");
                if (!stmt.ok()) return stmt.status();
                absl::Status status = stmt->Bind(1, row);
                if (!status.ok()) return status;
                absl::StatusOr<bool> found = stmt->Step();
                if (!found.ok()) return found.status();
                requested = *found && stmt->ColumnInt64(0) != 0;
                return absl::OkStatus();
              });
  if (!status.ok()) return status;
  return requested;
}

absl::Status LocalStore::ClearStop(const RunKey& run) {
  return WithRun(run, Transaction::Mode::kImmediate, "cannot clear the stop request of run",
                 [&](Database& db, int64_t row) {
                   absl::StatusOr<Statement> stmt = db.Prepare(
                       "UPDATE runs SET stop_requested = 0, stop_requested_at = NULL "
                       "WHERE id = ?1");
                   if (!stmt.ok()) return stmt.status();
                   absl::Status status = stmt->Bind(1, row);
                   return status.ok() ? stmt->Run() : status;
                 });
}

absl::StatusOr<std::vector<RunRow>> LocalStore::QueryRuns(absl::string_view where,
                                                          absl::Span<const std::string> args) {
  std::string sql = absl::StrCat(kRunColumns, where.empty() ? "" : " WHERE ", where,
                                 " ORDER BY r.start_time, r.id");
  absl::StatusOr<Statement> stmt = db_.Prepare(sql);
  if (!stmt.ok()) return stmt.status();
  for (size_t i = 0; i < args.size(); ++i) {
    absl::Status status = stmt->Bind(static_cast<int>(i + 1), args[i]);
    if (!status.ok()) return status;
  }
  std::vector<RunRow> runs;
  while (true) {
    absl::StatusOr<bool> row = stmt->Step();
    if (!row.ok()) return row.status();
    if (!*row) break;
    RunRow run = RunFromRow(*stmt);
    absl::StatusOr<std::vector<std::string>> tags =
        TagsFromJson(stmt->ColumnText(7), run.key.ToString());
    if (!tags.ok()) return tags.status();
    run.tags = *std::move(tags);
    runs.push_back(std::move(run));
  }
  return runs;
}

absl::StatusOr<RunRow> LocalStore::GetRun(const RunKey& run) {
  absl::Status status = ValidateRunKey(run);
  if (!status.ok()) return status;
  absl::MutexLock lock(&mu_);
  absl::StatusOr<std::vector<RunRow>> runs = QueryRuns(
      "p.entity = ?1 AND p.name = ?2 AND r.run_id = ?3", {run.entity, run.project, run.id});
  if (!runs.ok()) return Context(runs.status(), absl::StrCat("cannot read run ", run.ToString()));
  if (runs->empty()) {
    return absl::NotFoundError(
        absl::StrCat("run ", run.ToString(), " is not in the local store ", dir_));
  }
  return std::move(runs->front());
}

absl::StatusOr<RunRow> LocalStore::FindRun(absl::string_view ref) {
  std::vector<std::string> parts = absl::StrSplit(ref, '/');
  if (parts.size() > 3 ||
      std::any_of(parts.begin(), parts.end(), [](const std::string& p) { return p.empty(); })) {
    return absl::InvalidArgumentError(absl::StrCat(
        "run reference '", ref, "' must be 'id', 'project/id' or 'entity/project/id'"));
  }
  if (parts.size() == 3) return GetRun(RunKey{parts[0], parts[1], parts[2]});

  absl::StatusOr<std::vector<RunRow>> runs;
  {
    absl::MutexLock lock(&mu_);
    runs = parts.size() == 1 ? QueryRuns("r.run_id = ?1", {parts[0]})
                             : QueryRuns("p.name = ?1 AND r.run_id = ?2", {parts[0], parts[1]});
  }
  if (!runs.ok()) return Context(runs.status(), absl::StrCat("cannot look up run '", ref, "'"));
  if (runs->empty()) {
    return absl::NotFoundError(absl::StrCat("no run '", ref, "' in the local store ", dir_));
  }
  if (runs->size() > 1) {
    std::vector<std::string> paths;
    for (const RunRow& run : *runs) paths.push_back(run.key.ToString());
    return absl::InvalidArgumentError(
        absl::StrCat("run reference '", ref, "' is ambiguous: ", runs->size(), " runs match (",
                     absl::StrJoin(paths, ", "), "); use entity/project/id"));
  }
  return std::move(runs->front());
}

absl::StatusOr<std::vector<RunRow>> LocalStore::ListRuns(absl::string_view project) {
  std::vector<std::string> parts;
  if (!project.empty()) parts = absl::StrSplit(project, '/');
  if (parts.size() > 2 ||
      std::any_of(parts.begin(), parts.end(), [](const std::string& p) { return p.empty(); })) {
    return absl::InvalidArgumentError(
        absl::StrCat("project '", project, "' must be 'project' or 'entity/project'"));
  }
  absl::StatusOr<std::vector<RunRow>> runs;
  {
    absl::MutexLock lock(&mu_);
    if (parts.empty()) {
      runs = QueryRuns("", {});
    } else if (parts.size() == 1) {
      runs = QueryRuns("p.name = ?1", parts);
    } else {
      runs = QueryRuns("p.entity = ?1 AND p.name = ?2", parts);
    }
  }
  if (!runs.ok()) return Context(runs.status(), "cannot list runs");
  return runs;
}

absl::StatusOr<std::vector<HistoryRow>> LocalStore::HistoryRows(const RunKey& run) {
  std::vector<HistoryRow> rows;
  absl::Status status =
      WithRun(run, Transaction::Mode::kDeferred, "cannot read the history of run",
              [&](Database& db, int64_t run_row) {
                absl::StatusOr<Statement> stmt =
                    db.Prepare("SELECT step, row FROM history WHERE run = ?1 ORDER BY step");
                if (!stmt.ok()) return stmt.status();
                absl::Status status = stmt->Bind(1, run_row);
                if (!status.ok()) return status;
                while (true) {
                  absl::StatusOr<bool> row = stmt->Step();
                  if (!row.ok()) return row.status();
                  if (!*row) return absl::OkStatus();
                  rows.push_back(HistoryRow{stmt->ColumnInt64(0), stmt->ColumnText(1)});
                }
              });
  if (!status.ok()) return status;
  return rows;
}

absl::StatusOr<PutFileResult> LocalStore::PutFile(const RunKey& run, absl::string_view path,
                                                  const std::string& source_path,
                                                  FilePolicy policy) {
  absl::Status status = ValidateFilePath(path);
  if (status.ok()) status = ValidateRunKey(run);
  if (status.ok()) {
    // Fail before copying anything when the run is unknown.
    absl::MutexLock lock(&mu_);
    status = RunRowId(run).status();
  }
  if (!status.ok()) return status;
  absl::StatusOr<BlobInfo> blob = blobs_.PutFile(source_path);  // outside the mutex
  if (!blob.ok()) {
    return Context(blob.status(),
                   absl::StrCat("cannot store file ", path, " of run ", run.ToString()));
  }
  return RecordFile(run, path, *blob, policy);
}

absl::StatusOr<PutFileResult> LocalStore::PutFileBytes(const RunKey& run, absl::string_view path,
                                                       absl::string_view bytes, FilePolicy policy) {
  absl::Status status = ValidateFilePath(path);
  if (status.ok()) status = ValidateRunKey(run);
  if (status.ok()) {
    absl::MutexLock lock(&mu_);
    status = RunRowId(run).status();
  }
  if (!status.ok()) return status;
  absl::StatusOr<BlobInfo> blob = blobs_.PutBytes(bytes);
  if (!blob.ok()) {
    return Context(blob.status(),
                   absl::StrCat("cannot store file ", path, " of run ", run.ToString()));
  }
  return RecordFile(run, path, *blob, policy);
}

absl::StatusOr<PutFileResult> LocalStore::RecordFile(const RunKey& run, absl::string_view path,
                                                     const BlobInfo& blob, FilePolicy policy) {
  const double now = ToDb(absl::Now());
  PutFileResult result{.version = 0,
                       .md5 = blob.md5,
                       .size = blob.size,
                       .stored_new_blob = blob.created,
                       .unchanged = false};
  absl::Status status = WithRun(
      run, Transaction::Mode::kImmediate, absl::StrCat("cannot record file ", path, " of run"),
      [&](Database& db, int64_t run_row) {
        absl::StatusOr<Statement> latest = db.Prepare(
            "SELECT version, md5 FROM file_versions WHERE run = ?1 AND path = ?2 "
            "ORDER BY version DESC LIMIT 1");
        if (!latest.ok()) return latest.status();
        absl::Status status = latest->BindAll(run_row, path);
        if (!status.ok()) return status;
        absl::StatusOr<bool> found = latest->Step();
        if (!found.ok()) return found.status();
        if (*found && latest->ColumnText(1) == blob.md5) {
          result.version = static_cast<int>(latest->ColumnInt64(0));
          result.unchanged = true;
          return absl::OkStatus();
        }
        result.version = *found ? static_cast<int>(latest->ColumnInt64(0)) + 1 : 1;
        absl::StatusOr<Statement> insert = db.Prepare(
            "INSERT INTO file_versions (run, path, version, md5, size, created_at, policy) "
            "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)");
        if (!insert.ok()) return insert.status();
        status = insert->BindAll(run_row, path, result.version, blob.md5, blob.size, now,
                                 FilePolicyName(policy));
        if (status.ok()) status = insert->Run();
        if (!status.ok()) return status;
        absl::StatusOr<Statement> touch =
            db.Prepare("UPDATE runs SET heartbeat_time = ?1 WHERE id = ?2");
        if (!touch.ok()) return touch.status();
        status = touch->BindAll(now, run_row);
        return status.ok() ? touch->Run() : status;
      });
  if (!status.ok()) return status;
  return result;
}

absl::StatusOr<std::vector<FileVersion>> LocalStore::QueryFiles(Database& db, absl::string_view sql,
                                                                int64_t run_row,
                                                                absl::string_view path) const {
  absl::StatusOr<Statement> stmt = db.Prepare(sql);
  if (!stmt.ok()) return stmt.status();
  absl::Status status = stmt->Bind(1, run_row);
  if (status.ok() && !path.empty()) status = stmt->Bind(2, path);
  if (!status.ok()) return status;
  std::vector<FileVersion> files;
  while (true) {
    absl::StatusOr<bool> row = stmt->Step();
    if (!row.ok()) return row.status();
    if (!*row) return files;
    FileVersion file;
    file.path = stmt->ColumnText(0);
    file.version = static_cast<int>(stmt->ColumnInt64(1));
    file.md5 = stmt->ColumnText(2);
    file.size = stmt->ColumnInt64(3);
    file.created_time = FromDb(stmt->ColumnDouble(4));
    absl::StatusOr<FilePolicy> policy = ParseFilePolicy(stmt->ColumnText(5));
    if (!policy.ok()) return absl::DataLossError(policy.status().message());
    file.policy = *policy;
    absl::StatusOr<std::string> blob_path = blobs_.Path(file.md5);
    if (!blob_path.ok()) {
      return absl::DataLossError(absl::StrCat("file ", file.path, " version ", file.version, ": ",
                                              blob_path.status().message()));
    }
    file.blob_path = *std::move(blob_path);
    files.push_back(std::move(file));
  }
}

absl::StatusOr<FileVersion> LocalStore::LatestFile(const RunKey& run, absl::string_view path) {
  absl::Status status = ValidateFilePath(path);
  if (!status.ok()) return status;
  absl::StatusOr<std::vector<FileVersion>> files;
  status = WithRun(run, Transaction::Mode::kDeferred, "cannot read the files of run",
                   [&](Database& db, int64_t run_row) {
                     files = QueryFiles(db,
                                        absl::StrCat(kFileColumns,
                                                     " WHERE run = ?1 AND path = ?2 "
                                                     "ORDER BY version DESC LIMIT 1"),
                                        run_row, path);
                     return files.status();
                   });
  if (!status.ok()) return status;
  if (files->empty()) {
    return absl::NotFoundError(
        absl::StrCat("file ", path, " is not in run ", run.ToString(), " of the local store"));
  }
  return std::move(files->front());
}

absl::StatusOr<std::vector<FileVersion>> LocalStore::ListFiles(const RunKey& run) {
  absl::StatusOr<std::vector<FileVersion>> files;
  absl::Status status = WithRun(
      run, Transaction::Mode::kDeferred, "cannot list the files of run",
      [&](Database& db, int64_t run_row) {
        files = QueryFiles(db,
                           absl::StrCat(kFileColumns,
                                        " f WHERE run = ?1 AND version = (SELECT max(version) FROM "
                                        "file_versions WHERE run = f.run AND path = f.path) "
                                        "ORDER BY path"),
                           run_row, "");
        return files.status();
      });
  if (!status.ok()) return status;
  return files;
}

absl::StatusOr<std::vector<FileVersion>> LocalStore::FileVersions(const RunKey& run,
                                                                  absl::string_view path) {
  absl::Status status = ValidateFilePath(path);
  if (!status.ok()) return status;
  absl::StatusOr<std::vector<FileVersion>> files;
  status = WithRun(
      run, Transaction::Mode::kDeferred, "cannot read the files of run",
      [&](Database& db, int64_t run_row) {
        files = QueryFiles(
            db, absl::StrCat(kFileColumns, " WHERE run = ?1 AND path = ?2 ORDER BY version"),
            run_row, path);
        return files.status();
      });
  if (!status.ok()) return status;
  return files;
}

absl::Status LocalStore::IntegrityCheck() {
  absl::MutexLock lock(&mu_);
  std::vector<std::string> problems;
  for (absl::string_view pragma : {"PRAGMA integrity_check", "PRAGMA foreign_key_check"}) {
    absl::StatusOr<Statement> stmt = db_.Prepare(pragma);
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
  if (problems.empty()) return absl::OkStatus();
  return absl::DataLossError(absl::StrCat(
      database_path(), " failed its integrity check: ", absl::StrJoin(problems, "; ")));
}

absl::StatusOr<int> LocalStore::SchemaVersion() {
  absl::MutexLock lock(&mu_);
  return ReadUserVersion(db_);
}

}  // namespace wandb::store
