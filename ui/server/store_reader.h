// The UI's read-only view of the local store (docs/formats.md, "The local store").
//
// It opens store.db with SQLite's read-only mode (a `file:...?mode=ro` URI), so nothing the
// UI does can change the store: the one write it makes, a stop request, goes through
// Runs::RequestStop (StopRequester). WAL lets these readers run while the daemon
// writes; each query is one read transaction, a consistent snapshot.
//
// Thread-safety: a small pool of connections, one per concurrent query; HTTP worker threads
// take one for the length of a query and give it back.
#ifndef WANDB_UI_SERVER_STORE_READER_H_
#define WANDB_UI_SERVER_STORE_READER_H_

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/functional/function_ref.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/synchronization/mutex.h"
#include "service/store/sqlite.h"

namespace wandb::ui {

struct ProjectInfo {
  std::string entity;
  std::string name;
  int64_t runs = 0;
  int64_t running = 0;
  double last_activity = 0;  // the latest heartbeat of its runs, seconds since the epoch
};

// One row of the runs table, as stored. Times are seconds since the epoch.
struct RunInfo {
  int64_t row_id = 0;  // runs.id: the key of the run's history, files, console
  std::string entity;
  std::string project;
  std::string id;
  std::string name;
  std::string notes;
  std::string group;
  std::string job_type;
  std::string tags_json = "[]";
  std::string config_json = "{}";
  std::string summary_json = "{}";
  std::string state;
  std::optional<int64_t> exit_code;
  double start_time = 0;
  double heartbeat_time = 0;
  std::optional<double> end_time;
  std::optional<double> runtime;
  std::string host;
  std::string program;
  std::optional<int64_t> last_step;
  bool stop_requested = false;
  std::string run_dir;

  std::string path() const { return entity + "/" + project + "/" + id; }
  bool running() const { return state == "running"; }
  // Runtime in seconds: the stored one once finished, heartbeat - start while running.
  double runtime_seconds() const;
};

// What changes while a run is live: cheap to read, compared by the live-update stream.
struct RunPulse {
  std::string state;
  double heartbeat_time = 0;
  std::optional<int64_t> last_step;
  bool stop_requested = false;
  int64_t console_last_id = 0;
  double system_last_time = 0;
  int64_t file_versions = 0;
  friend bool operator==(const RunPulse&, const RunPulse&) = default;
};

struct HistoryRowText {
  int64_t step = 0;
  std::string row_json;
};

struct SystemRowText {
  double timestamp = 0;
  std::string row_json;
};

struct ConsoleRow {
  int64_t id = 0;  // console_lines.id: increases with time within a run
  int64_t timestamp_ns = 0;
  bool is_stderr = false;
  std::string line;
};

struct FileVersionInfo {
  std::string path;
  int64_t version = 0;
  std::string md5;
  int64_t size = 0;
  double created_at = 0;
  std::string policy;
};

// The SQLite database at `db_path` opened read-only (SQLite's `mode=ro`), waiting up to 5 s
// for the daemon's writes.
absl::StatusOr<store::Database> OpenReadOnly(const std::string& db_path);

class StoreReader {
 public:
  static constexpr int kDefaultConnections = 8;

  // Opens `store_dir`/store.db read-only. NotFound when there is no store there.
  static absl::StatusOr<std::unique_ptr<StoreReader>> Open(const std::string& store_dir,
                                                           int connections = kDefaultConnections);

  StoreReader(const StoreReader&) = delete;
  StoreReader& operator=(const StoreReader&) = delete;

  absl::StatusOr<std::vector<ProjectInfo>> Projects();
  // Every run of entity/project (with config and summary), oldest first.
  absl::StatusOr<std::vector<RunInfo>> Runs(absl::string_view entity, absl::string_view project);
  // (row id, heartbeat, state) of every run of the project: what the runs table's cache
  // compares to learn which runs changed.
  struct RunVersion {
    int64_t row_id = 0;
    double heartbeat_time = 0;
    std::string state;
    bool stop_requested = false;
  };
  absl::StatusOr<std::vector<RunVersion>> RunVersions(absl::string_view entity,
                                                      absl::string_view project);
  // A digest of the project's runs that changes whenever any of them is written (every write
  // to a run moves its heartbeat; a stop request sets its flag), or a run is added or
  // removed: one aggregate over the project's rows, no sort, no rows sent back.
  struct ProjectDigest {
    int64_t runs = 0;
    int64_t id_sum = 0;
    double heartbeat_sum = 0;
    int64_t stop_requests = 0;
    friend bool operator==(const ProjectDigest&, const ProjectDigest&) = default;
  };
  absl::StatusOr<ProjectDigest> Digest(absl::string_view entity, absl::string_view project);
  // Runs by row id (config and summary included).
  absl::StatusOr<std::vector<RunInfo>> RunsById(const std::vector<int64_t>& row_ids);
  // NotFound naming the run when it is not in the store.
  absl::StatusOr<RunInfo> Run(absl::string_view entity, absl::string_view project,
                              absl::string_view id);
  absl::StatusOr<RunPulse> Pulse(int64_t run_row);

  // History rows with step > `after_step`, in step order, handed to `each` one by one (the
  // text is only valid during the call).
  absl::Status ScanHistory(int64_t run_row, int64_t after_step,
                           absl::FunctionRef<void(int64_t step, absl::string_view row)> each);
  // At most `limit` rows with step >= `from_step`, in step order.
  absl::StatusOr<std::vector<HistoryRowText>> History(int64_t run_row, int64_t from_step,
                                                      int64_t limit);
  absl::StatusOr<std::vector<SystemRowText>> SystemMetrics(int64_t run_row);
  // Lines with id > `after_id`, at most `limit`, oldest first; only those containing
  // `contains` (case-insensitive, ASCII) when it is not empty.
  absl::StatusOr<std::vector<ConsoleRow>> Console(int64_t run_row, int64_t after_id, int64_t limit,
                                                  absl::string_view contains);
  // The last `limit` lines (for a console opened at its end), oldest first.
  absl::StatusOr<std::vector<ConsoleRow>> ConsoleTail(int64_t run_row, int64_t limit);
  // Every version of every file, by path then version.
  absl::StatusOr<std::vector<FileVersionInfo>> Files(int64_t run_row);
  // One version of one file; version 0 means the latest. NotFound when there is none.
  absl::StatusOr<FileVersionInfo> File(int64_t run_row, absl::string_view path, int64_t version);

  const std::string& dir() const { return dir_; }

 private:
  StoreReader(std::string dir, std::vector<store::Database> connections);

  // Runs `body` on a free connection inside one read transaction.
  absl::Status WithConnection(absl::FunctionRef<absl::Status(store::Database&)> body);

  const std::string dir_;
  absl::Mutex mu_;
  std::vector<store::Database> free_ ABSL_GUARDED_BY(mu_);
};

}  // namespace wandb::ui

#endif  // WANDB_UI_SERVER_STORE_READER_H_
