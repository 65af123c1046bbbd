// The local store: one per user, a directory holding an SQLite database of runs (their
// config, summary, history, state, stop requests and file versions) and a content-addressed
// blob directory with the files' contents. The daemon writes it through the local backend;
// the command line reads it (and writes stop requests) at the same time. Layout and schema:
// docs/formats.md, "The local store".
//
//   <dir>/store.db (+ store.db-wal, store.db-shm)   SQLite, WAL mode
//   <dir>/blobs/md5/<hex[0:2]>/<hex[2:]>             file contents by MD5 (BlobStore)
//   <dir>/blobs/tmp/                                 puts in progress
//
// Durability: every write is one SQLite transaction, so a process killed at any moment
// (kill -9) leaves whole rows only. With synchronous=NORMAL in WAL mode a power loss may
// lose the last transactions but never corrupts the database. A file's blob is made durable
// before the row that names it is committed.
//
// Thread-safety: one connection, guarded by a mutex; every call takes it for the length of
// one transaction. The daemon's per-run sender threads share one LocalStore. Copying and
// hashing a file's bytes happen outside the mutex, so a large upload does not hold up other
// runs' history. Other processes open their own LocalStore on the same directory: WAL lets
// them read while this one writes, and their writes wait up to the busy timeout (5 s).
#ifndef WANDB_SERVICE_STORE_LOCAL_STORE_H_
#define WANDB_SERVICE_STORE_LOCAL_STORE_H_

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>
#include "absl/strings/string_view.h"

#include "absl/base/thread_annotations.h"
#include "absl/functional/function_ref.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "absl/types/span.h"
#include "common/run/store_location.h"
#include "service/store/blob_store.h"
#include "service/store/sqlite.h"

namespace wandb::store {

enum class RunState { kRunning, kFinished, kCrashed, kStopped };
// "running", "finished", "crashed", "stopped": the text stored in runs.state.
absl::string_view RunStateName(RunState state);
absl::StatusOr<RunState> ParseRunState(absl::string_view name);

// The save policies of reference section 7, stored as "now", "live", "end".
enum class FilePolicy { kNow, kLive, kEnd };
absl::string_view FilePolicyName(FilePolicy policy);
absl::StatusOr<FilePolicy> ParseFilePolicy(absl::string_view name);

// Names one run: unique per store. None of the parts may be empty or contain '/'.
struct RunKey {
  std::string entity;
  std::string project;
  std::string id;

  std::string ToString() const;  // "entity/project/id", as wandb writes a run path
  friend bool operator==(const RunKey&, const RunKey&) = default;
};

struct RunRow {
  RunKey key;
  std::string name;  // display name
  std::string notes;
  std::string group;
  std::string job_type;
  std::vector<std::string> tags;
  std::string config_json = "{}";   // the whole config, as JSON text (Python's dialect)
  std::string summary_json = "{}";  // the whole summary
  RunState state = RunState::kRunning;
  std::optional<int> exit_code;  // set by FinishRun
  // UpsertRun: InfinitePast means "now".
  absl::Time start_time = absl::InfinitePast();
  absl::Time heartbeat_time = absl::InfinitePast();  // the last write to the run
  std::optional<absl::Time> end_time;                // set by FinishRun
  // Once finished, the runtime FinishRun was given; while running, heartbeat - start.
  absl::Duration runtime = absl::ZeroDuration();
  std::string host;
  std::string program;
  std::optional<int64_t> last_step;  // the highest history step stored, if any
  bool stop_requested = false;
  std::optional<absl::Time> stop_requested_time;
  // Where the run's directory is, and how far into its transaction log the store has
  // everything: a later daemon replays the rest after a crash.
  std::string run_dir;
  uint64_t log_offset = 0;
};

struct HistoryRow {
  int64_t step = 0;
  std::string row_json;
};

// One sample of the run's system metrics (issue 5's sampler): {"system.cpu": 12.5, ...}.
struct SystemMetricsRow {
  absl::Time timestamp;
  std::string row_json;
};

// One line of a run's console output. A line is known by its time, which the client makes
// unique within the run (nanoseconds, strictly increasing): a line sent again (a replay after
// a daemon crash, a batch re-sent to a new daemon that rewrote the log's tail) is stored
// once, while the same text printed twice is two lines.
struct ConsoleLine {
  absl::Time timestamp;  // stored to the nanosecond
  bool is_stderr = false;
  std::string line;  // without its '\n'
};

enum class UpsertOutcome { kCreated, kUpdated };

struct PutFileResult {
  int version = 0;  // the file's latest version after the put (1 for a new file)
  std::string md5;  // hex
  int64_t size = 0;
  bool stored_new_blob = false;  // the content was not in the blob store before
  bool unchanged = false;        // same MD5 as the latest version: no version was added
};

struct FileVersion {
  std::string path;  // inside the run's files/, '/'-separated
  int version = 0;
  std::string md5;
  int64_t size = 0;
  absl::Time created_time;
  FilePolicy policy = FilePolicy::kLive;
  std::string blob_path;  // where the content is, in the blob store
};

class LocalStore {
 public:
  static constexpr int kSchemaVersion = 2;
  static constexpr int kBusyTimeoutMs = 5000;

  // Opens the store in `dir`, creating it (mode 0700) with store.db and blobs/ when missing,
  // migrating an older schema, and sweeping stale blob temporaries. Fails when the directory
  // belongs to another user or the schema is newer than this build knows.
  static absl::StatusOr<std::unique_ptr<LocalStore>> Open(const std::string& dir);

  LocalStore(const LocalStore&) = delete;
  LocalStore& operator=(const LocalStore&) = delete;

  // --- Runs

  // Creates the run, or updates its descriptive fields: name, notes, group, job_type, tags,
  // host, program. A new run takes `config_json` as its initial config and `start_time`
  // (now when unset); an existing run keeps its config, summary, history, files and start
  // time. An existing run that had ended becomes running again (a resume): exit code and end
  // time are cleared, and so is a stop request left from before. Other fields are ignored.
  absl::StatusOr<UpsertOutcome> UpsertRun(const RunRow& run);
  // Replaces the run's whole config / summary with this JSON text (stored as given: the
  // daemon's handler has already validated it).
  absl::Status UpdateConfig(const RunKey& run, absl::string_view config_json);
  absl::Status SetSummary(const RunKey& run, absl::string_view summary_json);
  // Stores the rows in one transaction and raises last_step to the highest step. A row whose
  // (run, step) is already stored is ignored, not replaced: history is append-only (wandb
  // drops a row whose step is not past the last), and a row sent again after a daemon crash
  // is the same record replayed from the transaction log, so keeping the first copy is both
  // correct and cheaper than a delete plus insert. Returns how many rows were new.
  absl::StatusOr<int> AppendHistory(const RunKey& run, absl::Span<const HistoryRow> rows);
  absl::Status SetLogPosition(const RunKey& run, absl::string_view run_dir, uint64_t log_offset);
  // Stores samples in one transaction; a sample already stored (same run and timestamp, as a
  // replay after a crash sends again) is skipped. Returns how many were new.
  absl::StatusOr<int> AppendSystemMetrics(const RunKey& run,
                                          absl::Span<const SystemMetricsRow> rows);
  absl::StatusOr<std::vector<SystemMetricsRow>> SystemMetrics(const RunKey& run);
  // Stores console lines in one transaction; a line whose time is already stored for the run
  // is skipped. Returns how many were new.
  absl::StatusOr<int> AppendConsole(const RunKey& run, absl::Span<const ConsoleLine> lines);
  // The run's console lines in the order they were written (by time).
  absl::StatusOr<std::vector<ConsoleLine>> ConsoleLines(const RunKey& run);
  // Ends the run: `state` must not be kRunning.
  absl::Status FinishRun(const RunKey& run, int exit_code, RunState state, absl::Duration runtime);

  // The stop flag the daemon's stop-status poller reads and the command line sets.
  absl::Status RequestStop(const RunKey& run);
  absl::StatusOr<bool> StopRequested(const RunKey& run);
  absl::Status ClearStop(const RunKey& run);

  absl::StatusOr<RunRow> GetRun(const RunKey& run);
  // `ref` is "id", "project/id" or "entity/project/id". A shorter form must name one run:
  // InvalidArgument lists the matches when it names several; NotFound when none.
  absl::StatusOr<RunRow> FindRun(absl::string_view ref);
  // Every run, or those of `project` ("project" in any entity, or "entity/project"), oldest
  // start first.
  absl::StatusOr<std::vector<RunRow>> ListRuns(absl::string_view project = "");
  // The run's history in step order.
  absl::StatusOr<std::vector<HistoryRow>> HistoryRows(const RunKey& run);

  // --- Files (reference sections 7 and 10)

  // Stores the content of the file at `source_path` as the next version of `path` (relative
  // to the run's files/, no '..' or empty parts). Content equal to the latest version's adds
  // no version (`unchanged`).
  absl::StatusOr<PutFileResult> PutFile(const RunKey& run, absl::string_view path,
                                        const std::string& source_path, FilePolicy policy);
  absl::StatusOr<PutFileResult> PutFileBytes(const RunKey& run, absl::string_view path,
                                             absl::string_view bytes, FilePolicy policy);
  // The latest version of `path`; NotFound naming the file and the run when it has none.
  absl::StatusOr<FileVersion> LatestFile(const RunKey& run, absl::string_view path);
  // The latest version of each of the run's files, by path.
  absl::StatusOr<std::vector<FileVersion>> ListFiles(const RunKey& run);
  // Every version of `path`, oldest first (empty when there is none).
  absl::StatusOr<std::vector<FileVersion>> FileVersions(const RunKey& run, absl::string_view path);

  // --- Maintenance

  // PRAGMA integrity_check and foreign_key_check: OK, or DataLoss with what they found.
  absl::Status IntegrityCheck();
  // PRAGMA user_version of the open database.
  absl::StatusOr<int> SchemaVersion();

  const std::string& dir() const { return dir_; }
  std::string database_path() const { return dir_ + "/store.db"; }
  const BlobStore& blobs() const { return blobs_; }

 private:
  LocalStore(std::string dir, Database db, BlobStore blobs)
      : dir_(std::move(dir)), db_(std::move(db)), blobs_(std::move(blobs)) {}

  // The runs.id of `run`, NotFound naming it when it is not in the store.
  absl::StatusOr<int64_t> RunRowId(const RunKey& run) ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  // Validates `run`, takes the mutex, opens a transaction in `mode`, finds the run's row and
  // runs `body` on it, committing when it succeeds. Failures are prefixed with `what` and the
  // run's path ("cannot finish run e/p/id: ...").
  absl::Status WithRun(const RunKey& run, Transaction::Mode mode, absl::string_view what,
                       absl::FunctionRef<absl::Status(Database& db, int64_t run_row)> body)
      ABSL_LOCKS_EXCLUDED(mu_);
  absl::StatusOr<PutFileResult> RecordFile(const RunKey& run, absl::string_view path,
                                           const BlobInfo& blob, FilePolicy policy);
  // Runs with `where` over runs r JOIN projects p, binding `args` to ?1, ?2, ...
  absl::StatusOr<std::vector<RunRow>> QueryRuns(absl::string_view where,
                                                absl::Span<const std::string> args)
      ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  // File versions selected by `sql` with ?1 = the run's row and ?2 = `path` (when not empty).
  absl::StatusOr<std::vector<FileVersion>> QueryFiles(Database& db, absl::string_view sql,
                                                      int64_t run_row,
                                                      absl::string_view path) const;

  const std::string dir_;
  absl::Mutex mu_;
  Database db_ ABSL_GUARDED_BY(mu_);
  const BlobStore blobs_;  // thread-safe on its own
};

}  // namespace wandb::store

#endif  // WANDB_SERVICE_STORE_LOCAL_STORE_H_
