// A run's series in the local store: history rows (table history), system-metric samples
// (system_metrics) and console lines (console_lines). The three are kept alike: append-only,
// each row known by a key (the step, the sample's time, the line's time), so a row sent again
// after a daemon crash (the same record replayed from the transaction log) is skipped, not
// replaced: keeping the first copy is both correct and cheaper than a delete plus insert.
// An append is one transaction: a batch is stored whole or not at all.
#ifndef WANDB_SERVICE_STORE_SERIES_H_
#define WANDB_SERVICE_STORE_SERIES_H_

#include <vector>

#include "absl/status/statusor.h"
#include "absl/types/span.h"
#include "service/store/connection.h"
#include "service/store/run_key.h"
#include "service/store/series_rows.h"

namespace wandb::store {

class Series {
 public:
  explicit Series(Connection& connection) : connection_(connection) {}

  // Each returns how many rows were new. History also raises the run's last_step to the
  // highest step; a negative step is InvalidArgument and stores nothing.
  absl::StatusOr<int> AppendHistory(const RunKey& run, absl::Span<const HistoryRow> rows);
  absl::StatusOr<int> AppendSystemMetrics(const RunKey& run,
                                          absl::Span<const SystemMetricsRow> rows);
  absl::StatusOr<int> AppendConsole(const RunKey& run, absl::Span<const ConsoleLine> lines);

  // In key order: history by step, samples and lines by time.
  absl::StatusOr<std::vector<HistoryRow>> History(const RunKey& run);
  absl::StatusOr<std::vector<SystemMetricsRow>> SystemMetrics(const RunKey& run);
  absl::StatusOr<std::vector<ConsoleLine>> Console(const RunKey& run);

 private:
  // The one mechanism behind the three: Row's table (SeriesTable<Row>, series.cc) says how
  // a row is inserted and read.
  template <typename Row>
  absl::StatusOr<int> Append(const RunKey& run, absl::Span<const Row> rows);
  template <typename Row>
  absl::StatusOr<std::vector<Row>> Read(const RunKey& run);

  Connection& connection_;
};

}  // namespace wandb::store

#endif  // WANDB_SERVICE_STORE_SERIES_H_
