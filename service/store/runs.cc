#include "service/store/runs.h"

#include <algorithm>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "common/value/json.h"
#include "nlohmann/json.hpp"

namespace wandb::store {
namespace {

// The columns Query reads, in RunFromRow's order.
constexpr absl::string_view kRunColumns =
    "SELECT p.entity, p.name, r.run_id, r.name, r.notes, r.run_group, r.job_type, r.tags, "
    "r.config, r.summary, r.state, r.exit_code, r.start_time, r.heartbeat_time, r.end_time, "
    "r.runtime, r.host, r.program, r.last_step, r.stop_requested, r.stop_requested_at, "
    "r.run_dir, r.log_offset "
    "FROM runs r JOIN projects p ON p.id = r.project_id";

std::string TagsToJson(const std::vector<std::string>& tags) {
  nlohmann::json array = nlohmann::json::array();
  for (const std::string& tag : tags) array.push_back(tag);
  // replace: invalid UTF-8 becomes U+FFFD instead of throwing.
  return array.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

absl::StatusOr<std::vector<std::string>> TagsFromJson(const std::string& text,
                                                      const std::string& run) {
  // nlohmann-json recurses a level per bracket: deep nesting is refused before it parses.
  nlohmann::json array = json::CheckNesting(text).ok()
                             ? nlohmann::json::parse(text, nullptr, /*allow_exceptions=*/false)
                             : nlohmann::json();
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

absl::StatusOr<RunRow> RunFromRow(const Statement& stmt) {
  RunRow run;
  run.key = RunKey{stmt.ColumnText(0), stmt.ColumnText(1), stmt.ColumnText(2)};
  run.name = stmt.ColumnText(3);
  run.notes = stmt.ColumnText(4);
  run.group = stmt.ColumnText(5);
  run.job_type = stmt.ColumnText(6);
  absl::StatusOr<std::vector<std::string>> tags =
      TagsFromJson(stmt.ColumnText(7), run.key.ToString());
  if (!tags.ok()) return tags.status();
  run.tags = *std::move(tags);
  run.config_json = stmt.ColumnText(8);
  run.summary_json = stmt.ColumnText(9);
  run.state = ParseRunState(stmt.ColumnText(10)).value_or(RunState::kCrashed);
  if (std::optional<int64_t> code = stmt.ColumnOptionalInt64(11)) {
    run.exit_code = static_cast<int>(*code);
  }
  run.start_time = FromDbTime(stmt.ColumnDouble(12));
  run.heartbeat_time = FromDbTime(stmt.ColumnDouble(13));
  if (std::optional<double> end = stmt.ColumnOptionalDouble(14)) run.end_time = FromDbTime(*end);
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
    run.stop_requested_time = FromDbTime(*at);
  }
  run.run_dir = stmt.ColumnText(21);
  run.log_offset = static_cast<uint64_t>(stmt.ColumnInt64(22));
  return run;
}

// Whether any part of a '/'-separated reference is empty.
bool HasEmptyPart(const std::vector<std::string>& parts) {
  return std::any_of(parts.begin(), parts.end(), [](const std::string& p) { return p.empty(); });
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

absl::StatusOr<UpsertOutcome> Runs::Upsert(const RunRow& run) {
  absl::Status status = run.key.Validate();
  if (!status.ok()) return status;
  const double now = ToDbTime(absl::Now());
  const double start = run.start_time == absl::InfinitePast() ? now : ToDbTime(run.start_time);
  const std::string tags = TagsToJson(run.tags);
  UpsertOutcome outcome = UpsertOutcome::kCreated;
  status = connection_.Transact(Transaction::Mode::kImmediate, [&](Database& db) {
    absl::Status status = db.Run(
        "INSERT INTO projects (entity, name, created_at) VALUES (?1, ?2, ?3) "
        "ON CONFLICT (entity, name) DO NOTHING",
        run.key.entity, run.key.project, now);
    if (!status.ok()) return status;
    std::optional<int64_t> project_id;
    std::optional<int64_t> run_row;
    {
      absl::StatusOr<CachedStatement> find = db.Query(
          "SELECT p.id, r.id FROM projects p LEFT JOIN runs r "
          "ON r.project_id = p.id AND r.run_id = ?3 WHERE p.entity = ?1 AND p.name = ?2",
          run.key.entity, run.key.project, run.key.id);
      if (!find.ok()) return find.status();
      absl::StatusOr<bool> found = (*find)->Step();
      if (!found.ok()) return found.status();
      if (!*found) return absl::InternalError("its project vanished");
      project_id = (*find)->ColumnInt64(0);
      run_row = (*find)->ColumnOptionalInt64(1);
    }  // no statement may be left running at COMMIT
    if (!run_row.has_value()) {
      outcome = UpsertOutcome::kCreated;
      return db.Run(
          "INSERT INTO runs (project_id, run_id, name, notes, run_group, job_type, tags, config, "
          "start_time, heartbeat_time, host, program) "
          "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)",
          *project_id, run.key.id, run.name, run.notes, run.group, run.job_type, tags,
          run.config_json.empty() ? "{}" : run.config_json, start, now, run.host, run.program);
    }
    // A run that had ended and is upserted again is being resumed: it runs again, and a stop
    // request aimed at its earlier life must not stop it at once.
    outcome = UpsertOutcome::kUpdated;
    return db.Run(
        "UPDATE runs SET name = ?1, notes = ?2, run_group = ?3, job_type = ?4, tags = ?5, "
        "host = ?6, program = ?7, heartbeat_time = ?8, "
        "stop_requested = CASE WHEN state = 'running' THEN stop_requested ELSE 0 END, "
        "stop_requested_at = CASE WHEN state = 'running' THEN stop_requested_at END, "
        "state = 'running', exit_code = NULL, end_time = NULL "
        "WHERE id = ?9",
        run.name, run.notes, run.group, run.job_type, tags, run.host, run.program, now, *run_row);
  });
  if (!status.ok()) {
    return Context(status, absl::StrCat("cannot record run ", run.key.ToString()));
  }
  return outcome;
}

template <typename... Args>
absl::Status Runs::Update(const RunKey& run, absl::string_view what, absl::string_view sql,
                          const Args&... args) {
  return connection_.WithRun(run, Transaction::Mode::kImmediate, what,
                             [&](Database& db, int64_t row) { return db.Run(sql, args..., row); });
}

absl::Status Runs::ReplaceConfig(const RunKey& run, absl::string_view config_json) {
  return Update(run, "cannot replace the config of run",
                "UPDATE runs SET config = ?1, heartbeat_time = ?2 WHERE id = ?3", config_json,
                ToDbTime(absl::Now()));
}

absl::Status Runs::ReplaceSummary(const RunKey& run, absl::string_view summary_json) {
  return Update(run, "cannot replace the summary of run",
                "UPDATE runs SET summary = ?1, heartbeat_time = ?2 WHERE id = ?3", summary_json,
                ToDbTime(absl::Now()));
}

absl::Status Runs::SetLogPosition(const RunKey& run, absl::string_view run_dir,
                                  uint64_t log_offset) {
  return Update(run, "cannot record the log position of run",
                "UPDATE runs SET run_dir = ?1, log_offset = ?2 WHERE id = ?3", run_dir,
                static_cast<int64_t>(log_offset));
}

absl::Status Runs::Finish(const RunKey& run, int exit_code, RunState state,
                          absl::Duration runtime) {
  if (state == RunState::kRunning) {
    return absl::InvalidArgumentError(
        absl::StrCat("cannot finish run ", run.ToString(), " in state 'running'"));
  }
  return Update(run, "cannot finish run",
                "UPDATE runs SET state = ?1, exit_code = ?2, runtime = ?3, "
                "end_time = ?4, heartbeat_time = ?4 WHERE id = ?5",
                RunStateName(state), exit_code, absl::ToDoubleSeconds(runtime),
                ToDbTime(absl::Now()));
}

absl::Status Runs::RequestStop(const RunKey& run) {
  const double now = ToDbTime(absl::Now());
  return connection_.WithRun(
      run, Transaction::Mode::kImmediate, "cannot request a stop of run",
      [&](Database& db, int64_t row) {
        {
          absl::StatusOr<CachedStatement> state =
              db.Query("SELECT state FROM runs WHERE id = ?1", row);
          if (!state.ok()) return state.status();
          absl::StatusOr<bool> found = (*state)->Step();
          if (!found.ok()) return found.status();
          if (*found && (*state)->ColumnText(0) != "running") {
            return absl::FailedPreconditionError(
                absl::StrCat("it is not running (", (*state)->ColumnText(0), ")"));
          }
        }
        // A second request keeps the time of the first.
        return db.Run(
            "UPDATE runs SET stop_requested_at = "
            "CASE WHEN stop_requested = 1 THEN stop_requested_at ELSE ?1 END, "
            "stop_requested = 1 WHERE id = ?2",
            now, row);
      });
}

absl::StatusOr<bool> Runs::StopRequested(const RunKey& run) {
  bool requested = false;
  absl::Status status =
      connection_.WithRun(run, Transaction::Mode::kDeferred, "cannot read the stop status of run",
                          [&](Database& db, int64_t row) {
                            absl::StatusOr<CachedStatement> stmt =
                                db.Query("SELECT stop_requested FROM runs WHERE id = ?1", row);
                            if (!stmt.ok()) return stmt.status();
                            absl::StatusOr<bool> found = (*stmt)->Step();
                            if (!found.ok()) return found.status();
                            requested = *found && (*stmt)->ColumnInt64(0) != 0;
                            return absl::OkStatus();
                          });
  if (!status.ok()) return status;
  return requested;
}

absl::Status Runs::ClearStop(const RunKey& run) {
  return Update(run, "cannot clear the stop request of run",
                "UPDATE runs SET stop_requested = 0, stop_requested_at = NULL WHERE id = ?1");
}

absl::StatusOr<std::vector<RunRow>> Runs::Query(absl::string_view where,
                                                const std::vector<std::string>& args) {
  std::string sql = absl::StrCat(kRunColumns, where.empty() ? "" : " WHERE ", where,
                                 " ORDER BY r.start_time, r.id");
  std::vector<RunRow> runs;
  absl::Status status = connection_.Transact(Transaction::Mode::kDeferred, [&](Database& db) {
    absl::StatusOr<CachedStatement> stmt = db.Query(sql);
    if (!stmt.ok()) return stmt.status();
    for (size_t i = 0; i < args.size(); ++i) {
      absl::Status status = (*stmt)->Bind(static_cast<int>(i + 1), args[i]);
      if (!status.ok()) return status;
    }
    while (true) {
      absl::StatusOr<bool> row = (*stmt)->Step();
      if (!row.ok()) return row.status();
      if (!*row) return absl::OkStatus();
      absl::StatusOr<RunRow> run = RunFromRow(**stmt);
      if (!run.ok()) return run.status();
      runs.push_back(*std::move(run));
    }
  });
  if (!status.ok()) return status;
  return runs;
}

absl::StatusOr<RunRow> Runs::Get(const RunKey& run) {
  absl::Status status = run.Validate();
  if (!status.ok()) return status;
  absl::StatusOr<std::vector<RunRow>> runs =
      Query("p.entity = ?1 AND p.name = ?2 AND r.run_id = ?3", {run.entity, run.project, run.id});
  if (!runs.ok()) return Context(runs.status(), absl::StrCat("cannot read run ", run.ToString()));
  if (runs->empty()) {
    return absl::NotFoundError(absl::StrCat("run ", run.ToString(), " is not in the local store ",
                                            connection_.store_dir()));
  }
  return std::move(runs->front());
}

absl::StatusOr<RunRow> Runs::Find(absl::string_view ref) {
  std::vector<std::string> parts = absl::StrSplit(ref, '/');
  if (parts.size() > 3 || HasEmptyPart(parts)) {
    return absl::InvalidArgumentError(absl::StrCat(
        "run reference '", ref, "' must be 'id', 'project/id' or 'entity/project/id'"));
  }
  if (parts.size() == 3) return Get(RunKey{parts[0], parts[1], parts[2]});

  absl::StatusOr<std::vector<RunRow>> runs = parts.size() == 1
                                                 ? Query("r.run_id = ?1", parts)
                                                 : Query("p.name = ?1 AND r.run_id = ?2", parts);
  if (!runs.ok()) return Context(runs.status(), absl::StrCat("cannot look up run '", ref, "'"));
  if (runs->empty()) {
    return absl::NotFoundError(
        absl::StrCat("no run '", ref, "' in the local store ", connection_.store_dir()));
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

absl::StatusOr<std::vector<RunRow>> Runs::List(absl::string_view project) {
  std::vector<std::string> parts;
  if (!project.empty()) parts = absl::StrSplit(project, '/');
  if (parts.size() > 2 || HasEmptyPart(parts)) {
    return absl::InvalidArgumentError(
        absl::StrCat("project '", project, "' must be 'project' or 'entity/project'"));
  }
  absl::StatusOr<std::vector<RunRow>> runs = parts.empty() ? Query("", parts)
                                             : parts.size() == 1
                                                 ? Query("p.name = ?1", parts)
                                                 : Query("p.entity = ?1 AND p.name = ?2", parts);
  if (!runs.ok()) return Context(runs.status(), "cannot list runs");
  return runs;
}

}  // namespace wandb::store
