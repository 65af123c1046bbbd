// The rows of a run's series, as the sender hands them to its backends and the local store
// keeps them: one type each, from the log replayer through every backend into the store.
#ifndef WANDB_SERVICE_STORE_SERIES_ROWS_H_
#define WANDB_SERVICE_STORE_SERIES_ROWS_H_

#include <cstdint>
#include <string>

#include "absl/time/time.h"

namespace wandb::store {

// One history row: its items as a JSON object. Known by its step.
struct HistoryRow {
  int64_t step = 0;
  std::string row_json;
};

// One sample of the run's system metrics, its items under wandb's "system." names as a JSON
// object ({"system.cpu": 12.5, ...}). Known by its time.
struct SystemMetricsRow {
  absl::Time timestamp;
  std::string row_json;
};

// One line of a run's console output (an OutputRecord). A line is known by its time, which
// the client makes unique within the run (nanoseconds, strictly increasing): a line sent
// again (a replay after a daemon crash, a batch re-sent to a new daemon that rewrote the
// log's tail) is stored once, while the same text printed twice is two lines.
struct ConsoleLine {
  absl::Time timestamp;  // stored to the nanosecond
  bool is_stderr = false;
  std::string line;  // without its '\n'
};

}  // namespace wandb::store

#endif  // WANDB_SERVICE_STORE_SERIES_ROWS_H_
