// The runs table of one project: filter, sort and page its runs by any field, config value or
// summary value, fast enough for 10,000 runs.
//
// Each project's runs are kept parsed in memory (config and summary flattened to "config.lr",
// "summary.val.acc"). A query first asks the store which runs changed (their heartbeat,
// state and stop flag: one indexed read) and re-reads only those, so a table of 10,000 runs
// of which one is live costs one small query and a sort, and a table where nothing changed
// one aggregate query (StoreReader::Digest).
#ifndef WANDB_UI_SERVER_RUNS_TABLE_H_
#define WANDB_UI_SERVER_RUNS_TABLE_H_

#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/container/flat_hash_map.h"
#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"
#include "ui/server/store_reader.h"
#include "wandb/value.h"

namespace wandb::ui {

struct RunsQuery {
  std::vector<std::string> states;  // any of these; empty: all
  std::string tag;                  // runs with this tag
  std::string text;                 // in the id, name, group, job type, tags or notes
  // A numeric range on a value column ("config.lr", "summary.acc", "runtime", ...): runs
  // whose value is a number within [min, max].
  struct Range {
    std::string column;
    std::optional<double> min, max;
  };
  std::vector<Range> ranges;
  // A column name; "-" first sorts descending. Fields: state, name, id, group, job_type,
  // created, runtime, heartbeat, host; or config.KEY / summary.KEY.
  std::string sort = "-created";
  int64_t offset = 0;
  int64_t limit = 100;
};

// One run, parsed.
struct RunEntry {
  RunInfo info;  // config_json and summary_json are cleared: `values` holds them
  std::vector<std::string> tags;
  // "config.KEY" and "summary.KEY" (nested keys joined with '.'), sorted by name.
  std::map<std::string, Value> values;
};

struct RunsPage {
  int64_t total = 0;  // runs matching the query
  std::vector<std::shared_ptr<const RunEntry>> runs;
  // Every config and summary column any run of the project has, by name (capped).
  std::vector<std::string> columns;
  std::vector<std::string> tags;  // every tag in the project
};

class RunsTable {
 public:
  explicit RunsTable(StoreReader* reader) : reader_(reader) {}

  absl::StatusOr<RunsPage> Query(const std::string& entity, const std::string& project,
                                 const RunsQuery& query);

  // Parses one stored run (exposed for tests).
  static std::shared_ptr<RunEntry> Parse(RunInfo info);

 private:
  struct Project {
    absl::Mutex mu;
    std::vector<std::shared_ptr<const RunEntry>> runs ABSL_GUARDED_BY(mu);
    std::vector<StoreReader::RunVersion> versions ABSL_GUARDED_BY(mu);
    std::optional<StoreReader::ProjectDigest> digest ABSL_GUARDED_BY(mu);
    std::vector<std::string> columns ABSL_GUARDED_BY(mu);
    std::vector<std::string> tags ABSL_GUARDED_BY(mu);
  };

  // Brings the project's runs up to date with the store.
  absl::Status Refresh(const std::string& entity, const std::string& project, Project& cached)
      ABSL_EXCLUSIVE_LOCKS_REQUIRED(cached.mu);

  StoreReader* const reader_;
  absl::Mutex mu_;
  absl::flat_hash_map<std::string, std::unique_ptr<Project>> projects_ ABSL_GUARDED_BY(mu_);
};

// A value of a run's row by column name: a field ("state", "runtime", ...) or a config or
// summary value; null when the run has none.
Value RunColumnValue(const RunEntry& run, const std::string& column);

}  // namespace wandb::ui

#endif  // WANDB_UI_SERVER_RUNS_TABLE_H_
