#include "ui/server/store_reader.h"

#include <filesystem>
#include <utility>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"

namespace wandb::ui {
namespace {

using store::Database;
using store::Statement;
using store::Transaction;

// The columns RunFromRow reads, in its order.
constexpr absl::string_view kRunColumns =
    "SELECT r.id, p.entity, p.name, r.run_id, r.name, r.notes, r.run_group, r.job_type, "
    "r.tags, r.config, r.summary, r.state, r.exit_code, r.start_time, r.heartbeat_time, "
    "r.end_time, r.runtime, r.host, r.program, r.last_step, r.stop_requested, r.run_dir "
    "FROM runs r JOIN projects p ON p.id = r.project_id";

RunInfo RunFromRow(const Statement& s) {
  RunInfo run;
  run.row_id = s.ColumnInt64(0);
  run.entity = s.ColumnText(1);
  run.project = s.ColumnText(2);
  run.id = s.ColumnText(3);
  run.name = s.ColumnText(4);
  run.notes = s.ColumnText(5);
  run.group = s.ColumnText(6);
  run.job_type = s.ColumnText(7);
  run.tags_json = s.ColumnText(8);
  run.config_json = s.ColumnText(9);
  run.summary_json = s.ColumnText(10);
  run.state = s.ColumnText(11);
  run.exit_code = s.ColumnOptionalInt64(12);
  run.start_time = s.ColumnDouble(13);
  run.heartbeat_time = s.ColumnDouble(14);
  run.end_time = s.ColumnOptionalDouble(15);
  run.runtime = s.ColumnOptionalDouble(16);
  run.host = s.ColumnText(17);
  run.program = s.ColumnText(18);
  run.last_step = s.ColumnOptionalInt64(19);
  run.stop_requested = s.ColumnInt64(20) != 0;
  run.run_dir = s.ColumnText(21);
  return run;
}

// Steps `stmt` to the end, calling `each` on every row.
absl::Status ForEachRow(Statement& stmt, absl::FunctionRef<void(const Statement&)> each) {
  for (;;) {
    absl::StatusOr<bool> more = stmt.Step();
    if (!more.ok()) return more.status();
    if (!*more) return absl::OkStatus();
    each(stmt);
  }
}

template <typename... Args>
absl::StatusOr<Statement> PrepareBound(Database& db, absl::string_view sql, const Args&... args) {
  absl::StatusOr<Statement> stmt = db.Prepare(sql);
  if (!stmt.ok()) return stmt.status();
  if (absl::Status s = stmt->BindAll(args...); !s.ok()) return s;
  return stmt;
}

// SQLite URIs take the path percent-encoded where it holds '?', '#' or '%'.
std::string ReadOnlyUri(const std::string& path) {
  std::string uri = "file:";
  for (char c : path) {
    if (c == '?' || c == '#' || c == '%') {
      absl::StrAppend(&uri, "%", absl::Hex(static_cast<unsigned char>(c), absl::kZeroPad2));
    } else {
      uri.push_back(c);
    }
  }
  return uri + "?mode=ro";
}

// A LIKE pattern matching lines that contain `text`, with '\' escaping LIKE's wildcards.
std::string ContainsPattern(absl::string_view text) {
  std::string pattern = "%";
  for (char c : text) {
    if (c == '%' || c == '_' || c == '\\') pattern.push_back('\\');
    pattern.push_back(c);
  }
  return pattern + "%";
}

}  // namespace

absl::StatusOr<Database> OpenReadOnly(const std::string& db_path) {
  absl::StatusOr<Database> db = Database::Open(ReadOnlyUri(db_path));
  if (!db.ok()) return db.status();
  // The daemon's writes hold the WAL briefly; a reader waits rather than failing.
  if (absl::Status s = db->SetBusyTimeout(5000); !s.ok()) return s;
  return db;
}

double RunInfo::runtime_seconds() const {
  if (!running() && runtime.has_value()) return *runtime;
  return heartbeat_time > start_time ? heartbeat_time - start_time : 0;
}

absl::StatusOr<std::unique_ptr<StoreReader>> StoreReader::Open(const std::string& store_dir,
                                                               int connections) {
  const std::string path = store_dir + "/store.db";
  std::error_code ec;
  if (!std::filesystem::is_regular_file(path, ec)) {
    return absl::NotFoundError(
        absl::StrCat("there is no local store in ", store_dir, " (no run has been tracked there)"));
  }
  std::vector<Database> pool;
  for (int i = 0; i < connections; ++i) {
    absl::StatusOr<Database> db = OpenReadOnly(path);
    if (!db.ok()) return db.status();
    pool.push_back(*std::move(db));
  }
  // A first read proves the file is a store this build can read.
  auto reader = std::unique_ptr<StoreReader>(new StoreReader(store_dir, std::move(pool)));
  absl::Status check = reader->WithConnection([](Database& db) -> absl::Status {
    absl::StatusOr<Statement> stmt = db.Prepare("PRAGMA user_version");
    if (!stmt.ok()) return stmt.status();
    absl::StatusOr<bool> row = stmt->Step();
    if (!row.ok()) return row.status();
    const int64_t version = *row ? stmt->ColumnInt64(0) : 0;
    if (version < 2) {
      return absl::FailedPreconditionError(
          absl::StrCat("the store's schema version is ", version,
                       "; open it once with the daemon or `wandb-cpp runs` to migrate it"));
    }
    return absl::OkStatus();
  });
  if (!check.ok()) return check;
  return reader;
}

StoreReader::StoreReader(std::string dir, std::vector<Database> connections)
    : dir_(std::move(dir)), free_(std::move(connections)) {}

absl::Status StoreReader::WithConnection(absl::FunctionRef<absl::Status(Database&)> body) {
  std::optional<Database> db;
  {
    absl::MutexLock lock(&mu_);
    mu_.Await(absl::Condition(
        +[](std::vector<Database>* free) { return !free->empty(); }, &free_));
    db.emplace(std::move(free_.back()));
    free_.pop_back();
  }
  absl::Status status;
  {
    absl::StatusOr<Transaction> txn = Transaction::Begin(*db, Transaction::Mode::kDeferred);
    status = txn.ok() ? body(*db) : txn.status();
    if (txn.ok()) {
      absl::Status end = txn->Commit();  // a read transaction: commit only ends it
      if (status.ok()) status = end;
    }
  }
  absl::MutexLock lock(&mu_);
  free_.push_back(*std::move(db));
  return status;
}

absl::StatusOr<std::vector<ProjectInfo>> StoreReader::Projects() {
  std::vector<ProjectInfo> projects;
  absl::Status status = WithConnection([&](Database& db) -> absl::Status {
    absl::StatusOr<Statement> stmt = db.Prepare(
        "SELECT p.entity, p.name, count(r.id), "
        "coalesce(sum(r.state = 'running'), 0), coalesce(max(r.heartbeat_time), p.created_at) "
        "FROM projects p LEFT JOIN runs r ON r.project_id = p.id "
        "GROUP BY p.id ORDER BY 5 DESC");
    if (!stmt.ok()) return stmt.status();
    return ForEachRow(*stmt, [&](const Statement& s) {
      projects.push_back({s.ColumnText(0), s.ColumnText(1), s.ColumnInt64(2), s.ColumnInt64(3),
                          s.ColumnDouble(4)});
    });
  });
  if (!status.ok()) return status;
  return projects;
}

absl::StatusOr<std::vector<RunInfo>> StoreReader::Runs(absl::string_view entity,
                                                       absl::string_view project) {
  std::vector<RunInfo> runs;
  absl::Status status = WithConnection([&](Database& db) -> absl::Status {
    absl::StatusOr<Statement> stmt =
        PrepareBound(db,
                     absl::StrCat(kRunColumns,
                                  " WHERE p.entity = ?1 AND p.name = ?2 "
                                  "ORDER BY r.start_time, r.id"),
                     entity, project);
    if (!stmt.ok()) return stmt.status();
    return ForEachRow(*stmt, [&](const Statement& s) { runs.push_back(RunFromRow(s)); });
  });
  if (!status.ok()) return status;
  return runs;
}

absl::StatusOr<std::vector<StoreReader::RunVersion>> StoreReader::RunVersions(
    absl::string_view entity, absl::string_view project) {
  std::vector<RunVersion> versions;
  absl::Status status = WithConnection([&](Database& db) -> absl::Status {
    absl::StatusOr<Statement> stmt =
        PrepareBound(db,
                     "SELECT r.id, r.heartbeat_time, r.state, r.stop_requested FROM runs r "
                     "JOIN projects p ON p.id = r.project_id WHERE p.entity = ?1 AND p.name = ?2 "
                     "ORDER BY r.id",
                     entity, project);
    if (!stmt.ok()) return stmt.status();
    return ForEachRow(*stmt, [&](const Statement& s) {
      versions.push_back(
          {s.ColumnInt64(0), s.ColumnDouble(1), s.ColumnText(2), s.ColumnInt64(3) != 0});
    });
  });
  if (!status.ok()) return status;
  return versions;
}

absl::StatusOr<StoreReader::ProjectDigest> StoreReader::Digest(absl::string_view entity,
                                                               absl::string_view project) {
  ProjectDigest digest;
  absl::Status status = WithConnection([&](Database& db) -> absl::Status {
    absl::StatusOr<Statement> stmt = PrepareBound(
        db,
        "SELECT count(r.id), coalesce(sum(r.id), 0), total(r.heartbeat_time), "
        "coalesce(sum(r.stop_requested), 0) FROM runs r JOIN projects p ON p.id = r.project_id "
        "WHERE p.entity = ?1 AND p.name = ?2",
        entity, project);
    if (!stmt.ok()) return stmt.status();
    return ForEachRow(*stmt, [&](const Statement& s) {
      digest = {s.ColumnInt64(0), s.ColumnInt64(1), s.ColumnDouble(2), s.ColumnInt64(3)};
    });
  });
  if (!status.ok()) return status;
  return digest;
}

absl::StatusOr<std::vector<RunInfo>> StoreReader::RunsById(const std::vector<int64_t>& row_ids) {
  std::vector<RunInfo> runs;
  if (row_ids.empty()) return runs;
  absl::Status status = WithConnection([&](Database& db) -> absl::Status {
    // Row ids are integers we read from the store: safe to put in the statement's text.
    absl::StatusOr<Statement> stmt =
        db.Prepare(absl::StrCat(kRunColumns, " WHERE r.id IN (", absl::StrJoin(row_ids, ","), ")"));
    if (!stmt.ok()) return stmt.status();
    return ForEachRow(*stmt, [&](const Statement& s) { runs.push_back(RunFromRow(s)); });
  });
  if (!status.ok()) return status;
  return runs;
}

absl::StatusOr<RunInfo> StoreReader::Run(absl::string_view entity, absl::string_view project,
                                         absl::string_view id) {
  std::optional<RunInfo> run;
  absl::Status status = WithConnection([&](Database& db) -> absl::Status {
    absl::StatusOr<Statement> stmt = PrepareBound(
        db, absl::StrCat(kRunColumns, " WHERE p.entity = ?1 AND p.name = ?2 AND r.run_id = ?3"),
        entity, project, id);
    if (!stmt.ok()) return stmt.status();
    return ForEachRow(*stmt, [&](const Statement& s) { run = RunFromRow(s); });
  });
  if (!status.ok()) return status;
  if (!run.has_value()) {
    return absl::NotFoundError(
        absl::StrCat("no run ", entity, "/", project, "/", id, " in the store"));
  }
  return *std::move(run);
}

absl::StatusOr<RunPulse> StoreReader::Pulse(int64_t run_row) {
  RunPulse pulse;
  bool found = false;
  absl::Status status = WithConnection([&](Database& db) -> absl::Status {
    absl::StatusOr<Statement> stmt =
        PrepareBound(db,
                     "SELECT state, heartbeat_time, last_step, stop_requested, "
                     "(SELECT coalesce(max(id), 0) FROM console_lines WHERE run = ?1), "
                     "(SELECT coalesce(max(timestamp), 0) FROM system_metrics WHERE run = ?1), "
                     "(SELECT count(*) FROM file_versions WHERE run = ?1) "
                     "FROM runs WHERE id = ?1",
                     run_row);
    if (!stmt.ok()) return stmt.status();
    return ForEachRow(*stmt, [&](const Statement& s) {
      found = true;
      pulse = {s.ColumnText(0),  s.ColumnDouble(1), s.ColumnOptionalInt64(2), s.ColumnInt64(3) != 0,
               s.ColumnInt64(4), s.ColumnDouble(5), s.ColumnInt64(6)};
    });
  });
  if (!status.ok()) return status;
  if (!found) return absl::NotFoundError("the run is no longer in the store");
  return pulse;
}

absl::Status StoreReader::ScanHistory(
    int64_t run_row, int64_t after_step,
    absl::FunctionRef<void(int64_t step, absl::string_view row)> each) {
  return WithConnection([&](Database& db) -> absl::Status {
    absl::StatusOr<Statement> stmt =
        PrepareBound(db, "SELECT step, row FROM history WHERE run = ?1 AND step > ?2 ORDER BY step",
                     run_row, after_step);
    if (!stmt.ok()) return stmt.status();
    return ForEachRow(*stmt, [&](const Statement& s) { each(s.ColumnInt64(0), s.ColumnText(1)); });
  });
}

absl::StatusOr<std::vector<HistoryRowText>> StoreReader::History(int64_t run_row, int64_t from_step,
                                                                 int64_t limit) {
  std::vector<HistoryRowText> rows;
  absl::Status status = WithConnection([&](Database& db) -> absl::Status {
    absl::StatusOr<Statement> stmt = PrepareBound(
        db, "SELECT step, row FROM history WHERE run = ?1 AND step >= ?2 ORDER BY step LIMIT ?3",
        run_row, from_step, limit);
    if (!stmt.ok()) return stmt.status();
    return ForEachRow(*stmt, [&](const Statement& s) {
      rows.push_back({s.ColumnInt64(0), s.ColumnText(1)});
    });
  });
  if (!status.ok()) return status;
  return rows;
}

absl::StatusOr<std::vector<SystemRowText>> StoreReader::SystemMetrics(int64_t run_row) {
  std::vector<SystemRowText> rows;
  absl::Status status = WithConnection([&](Database& db) -> absl::Status {
    absl::StatusOr<Statement> stmt = PrepareBound(
        db, "SELECT timestamp, row FROM system_metrics WHERE run = ?1 ORDER BY timestamp", run_row);
    if (!stmt.ok()) return stmt.status();
    return ForEachRow(*stmt, [&](const Statement& s) {
      rows.push_back({s.ColumnDouble(0), s.ColumnText(1)});
    });
  });
  if (!status.ok()) return status;
  return rows;
}

absl::StatusOr<std::vector<ConsoleRow>> StoreReader::Console(int64_t run_row, int64_t after_id,
                                                             int64_t limit,
                                                             absl::string_view contains) {
  std::vector<ConsoleRow> lines;
  absl::Status status = WithConnection([&](Database& db) -> absl::Status {
    // Console ids rise with time within a run (rows are inserted in time order), so paging
    // by id is paging by time.
    absl::StatusOr<Statement> stmt = PrepareBound(
        db,
        "SELECT id, timestamp_ns, stream, line FROM console_lines WHERE run = ?1 AND id > ?2 "
        "AND (?4 = '' OR line LIKE ?5 ESCAPE '\\') ORDER BY id LIMIT ?3",
        run_row, after_id, limit, contains, ContainsPattern(contains));
    if (!stmt.ok()) return stmt.status();
    return ForEachRow(*stmt, [&](const Statement& s) {
      lines.push_back(
          {s.ColumnInt64(0), s.ColumnInt64(1), s.ColumnText(2) == "stderr", s.ColumnText(3)});
    });
  });
  if (!status.ok()) return status;
  return lines;
}

absl::StatusOr<std::vector<ConsoleRow>> StoreReader::ConsoleTail(int64_t run_row, int64_t limit) {
  std::vector<ConsoleRow> lines;
  absl::Status status = WithConnection([&](Database& db) -> absl::Status {
    absl::StatusOr<Statement> stmt = PrepareBound(
        db,
        "SELECT id, timestamp_ns, stream, line FROM (SELECT * FROM console_lines WHERE run = ?1 "
        "ORDER BY id DESC LIMIT ?2) ORDER BY id",
        run_row, limit);
    if (!stmt.ok()) return stmt.status();
    return ForEachRow(*stmt, [&](const Statement& s) {
      lines.push_back(
          {s.ColumnInt64(0), s.ColumnInt64(1), s.ColumnText(2) == "stderr", s.ColumnText(3)});
    });
  });
  if (!status.ok()) return status;
  return lines;
}

absl::StatusOr<std::vector<FileVersionInfo>> StoreReader::Files(int64_t run_row) {
  std::vector<FileVersionInfo> files;
  absl::Status status = WithConnection([&](Database& db) -> absl::Status {
    absl::StatusOr<Statement> stmt = PrepareBound(
        db,
        "SELECT path, version, md5, size, created_at, policy FROM file_versions WHERE run = ?1 "
        "ORDER BY path, version",
        run_row);
    if (!stmt.ok()) return stmt.status();
    return ForEachRow(*stmt, [&](const Statement& s) {
      files.push_back({s.ColumnText(0), s.ColumnInt64(1), s.ColumnText(2), s.ColumnInt64(3),
                       s.ColumnDouble(4), s.ColumnText(5)});
    });
  });
  if (!status.ok()) return status;
  return files;
}

absl::StatusOr<FileVersionInfo> StoreReader::File(int64_t run_row, absl::string_view path,
                                                  int64_t version) {
  std::optional<FileVersionInfo> file;
  absl::Status status = WithConnection([&](Database& db) -> absl::Status {
    absl::StatusOr<Statement> stmt = PrepareBound(
        db,
        "SELECT path, version, md5, size, created_at, policy FROM file_versions "
        "WHERE run = ?1 AND path = ?2 AND (?3 = 0 OR version = ?3) ORDER BY version DESC LIMIT 1",
        run_row, path, version);
    if (!stmt.ok()) return stmt.status();
    return ForEachRow(*stmt, [&](const Statement& s) {
      file = FileVersionInfo{s.ColumnText(0),  s.ColumnInt64(1),  s.ColumnText(2),
                             s.ColumnInt64(3), s.ColumnDouble(4), s.ColumnText(5)};
    });
  });
  if (!status.ok()) return status;
  if (!file.has_value()) {
    return absl::NotFoundError(
        version == 0 ? absl::StrCat("the run has no file '", path, "'")
                     : absl::StrCat("the run has no version ", version, " of file '", path, "'"));
  }
  return *std::move(file);
}

}  // namespace wandb::ui
