#include "service/store/series.h"

#include <algorithm>

#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"

namespace wandb::store {
namespace {

// How each series is kept: its statements, how a row is bound and read back, what its rows
// must satisfy, and what else one append changes in the same transaction.
template <typename Row>
struct SeriesTable;

template <>
struct SeriesTable<HistoryRow> {
  static constexpr absl::string_view kNoun = "history";
  static constexpr absl::string_view kInsert =
      "INSERT OR IGNORE INTO history (run, step, row) VALUES (?1, ?2, ?3)";
  static constexpr absl::string_view kSelect =
      "SELECT step, row FROM history WHERE run = ?1 ORDER BY step";

  static absl::Status Bind(Statement& insert, int64_t run_row, const HistoryRow& row) {
    return insert.BindAll(run_row, row.step, row.row_json);
  }
  static HistoryRow FromColumns(const Statement& select) {
    return HistoryRow{select.ColumnInt64(0), select.ColumnText(1)};
  }
  static absl::Status Validate(const RunKey& run, const HistoryRow& row) {
    if (row.step >= 0) return absl::OkStatus();
    return absl::InvalidArgumentError(
        absl::StrCat("history step ", row.step, " for run ", run.ToString(), " is negative"));
  }
  // The run's last_step rises with its rows, and the run was written to now.
  static absl::Status AfterAppend(Database& db, int64_t run_row,
                                  absl::Span<const HistoryRow> rows) {
    int64_t max_step = -1;
    for (const HistoryRow& row : rows) max_step = std::max(max_step, row.step);
    return db.Run(
        "UPDATE runs SET last_step = max(coalesce(last_step, -1), ?1), heartbeat_time = ?2 "
        "WHERE id = ?3",
        max_step, ToDbTime(absl::Now()), run_row);
  }
};

template <>
struct SeriesTable<SystemMetricsRow> {
  static constexpr absl::string_view kNoun = "system metrics";
  static constexpr absl::string_view kInsert =
      "INSERT OR IGNORE INTO system_metrics (run, timestamp, row) VALUES (?1, ?2, ?3)";
  static constexpr absl::string_view kSelect =
      "SELECT timestamp, row FROM system_metrics WHERE run = ?1 ORDER BY timestamp";

  static absl::Status Bind(Statement& insert, int64_t run_row, const SystemMetricsRow& row) {
    return insert.BindAll(run_row, ToDbTime(row.timestamp), row.row_json);
  }
  static SystemMetricsRow FromColumns(const Statement& select) {
    return SystemMetricsRow{FromDbTime(select.ColumnDouble(0)), select.ColumnText(1)};
  }
  static absl::Status Validate(const RunKey&, const SystemMetricsRow&) { return absl::OkStatus(); }
  static absl::Status AfterAppend(Database&, int64_t, absl::Span<const SystemMetricsRow>) {
    return absl::OkStatus();
  }
};

template <>
struct SeriesTable<ConsoleLine> {
  static constexpr absl::string_view kNoun = "console lines";
  static constexpr absl::string_view kInsert =
      "INSERT OR IGNORE INTO console_lines (run, timestamp_ns, stream, line) "
      "VALUES (?1, ?2, ?3, ?4)";
  static constexpr absl::string_view kSelect =
      "SELECT timestamp_ns, stream, line FROM console_lines WHERE run = ?1 "
      "ORDER BY timestamp_ns";

  static absl::Status Bind(Statement& insert, int64_t run_row, const ConsoleLine& line) {
    return insert.BindAll(run_row, absl::ToUnixNanos(line.timestamp),
                          line.is_stderr ? "stderr" : "stdout", line.line);
  }
  static ConsoleLine FromColumns(const Statement& select) {
    return ConsoleLine{absl::FromUnixNanos(select.ColumnInt64(0)), select.ColumnText(1) == "stderr",
                       select.ColumnText(2)};
  }
  static absl::Status Validate(const RunKey&, const ConsoleLine&) { return absl::OkStatus(); }
  static absl::Status AfterAppend(Database&, int64_t, absl::Span<const ConsoleLine>) {
    return absl::OkStatus();
  }
};

}  // namespace

template <typename Row>
absl::StatusOr<int> Series::Append(const RunKey& run, absl::Span<const Row> rows) {
  using Table = SeriesTable<Row>;
  for (const Row& row : rows) {
    if (absl::Status status = Table::Validate(run, row); !status.ok()) return status;
  }
  int added = 0;
  absl::Status status = connection_.WithRun(
      run, Transaction::Mode::kImmediate, absl::StrCat("cannot append ", Table::kNoun, " to run"),
      [&](Database& db, int64_t run_row) {
        if (rows.empty()) return absl::OkStatus();
        {
          absl::StatusOr<CachedStatement> insert = db.Query(Table::kInsert);
          if (!insert.ok()) return insert.status();
          for (const Row& row : rows) {
            absl::Status status = (*insert)->Reset();
            if (status.ok()) status = Table::Bind(**insert, run_row, row);
            if (status.ok()) status = (*insert)->Run();
            if (!status.ok()) return status;
            added += static_cast<int>(db.changes());
          }
        }
        return Table::AfterAppend(db, run_row, rows);
      });
  if (!status.ok()) return status;
  return added;
}

template <typename Row>
absl::StatusOr<std::vector<Row>> Series::Read(const RunKey& run) {
  using Table = SeriesTable<Row>;
  std::vector<Row> rows;
  absl::Status status = connection_.WithRun(
      run, Transaction::Mode::kDeferred, absl::StrCat("cannot read the ", Table::kNoun, " of run"),
      [&](Database& db, int64_t run_row) {
        absl::StatusOr<CachedStatement> select = db.Query(Table::kSelect, run_row);
        if (!select.ok()) return select.status();
        while (true) {
          absl::StatusOr<bool> more = (*select)->Step();
          if (!more.ok()) return more.status();
          if (!*more) return absl::OkStatus();
          rows.push_back(Table::FromColumns(**select));
        }
      });
  if (!status.ok()) return status;
  return rows;
}

absl::StatusOr<int> Series::AppendHistory(const RunKey& run, absl::Span<const HistoryRow> rows) {
  return Append(run, rows);
}

absl::StatusOr<int> Series::AppendSystemMetrics(const RunKey& run,
                                                absl::Span<const SystemMetricsRow> rows) {
  return Append(run, rows);
}

absl::StatusOr<int> Series::AppendConsole(const RunKey& run, absl::Span<const ConsoleLine> lines) {
  return Append(run, lines);
}

absl::StatusOr<std::vector<HistoryRow>> Series::History(const RunKey& run) {
  return Read<HistoryRow>(run);
}

absl::StatusOr<std::vector<SystemMetricsRow>> Series::SystemMetrics(const RunKey& run) {
  return Read<SystemMetricsRow>(run);
}

absl::StatusOr<std::vector<ConsoleLine>> Series::Console(const RunKey& run) {
  return Read<ConsoleLine>(run);
}

}  // namespace wandb::store
