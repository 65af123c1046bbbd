// The runs the local store keeps (tables projects and runs): each run's description, config
// and summary, state and exit, the stop flag the command line sets, and how far into the
// run's transaction log the store has everything.
#ifndef WANDB_SERVICE_STORE_RUNS_H_
#define WANDB_SERVICE_STORE_RUNS_H_

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "service/store/connection.h"
#include "service/store/run_key.h"

namespace wandb::store {

enum class RunState { kRunning, kFinished, kCrashed, kStopped };
// "running", "finished", "crashed", "stopped": the text stored in runs.state.
absl::string_view RunStateName(RunState state);
absl::StatusOr<RunState> ParseRunState(absl::string_view name);

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
  std::optional<int> exit_code;  // set by Finish
  // Upsert: InfinitePast means "now".
  absl::Time start_time = absl::InfinitePast();
  absl::Time heartbeat_time = absl::InfinitePast();  // the last write to the run
  std::optional<absl::Time> end_time;                // set by Finish
  // Once finished, the runtime Finish was given; while running, heartbeat - start.
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

enum class UpsertOutcome { kCreated, kUpdated };

class Runs {
 public:
  explicit Runs(Connection& connection) : connection_(connection) {}

  // Creates the run, or updates its descriptive fields: name, notes, group, job_type, tags,
  // host, program. A new run takes `config_json` as its initial config and `start_time`
  // (now when unset); an existing run keeps its config, summary, history, files and start
  // time. An existing run that had ended becomes running again (a resume): exit code and end
  // time are cleared, and so is a stop request left from before. Other fields are ignored.
  absl::StatusOr<UpsertOutcome> Upsert(const RunRow& run);
  // Replace the run's whole config / summary with this JSON text (stored as given: the
  // daemon's handler has already validated it).
  absl::Status ReplaceConfig(const RunKey& run, absl::string_view config_json);
  absl::Status ReplaceSummary(const RunKey& run, absl::string_view summary_json);
  absl::Status SetLogPosition(const RunKey& run, absl::string_view run_dir, uint64_t log_offset);
  // Ends the run: `state` must not be kRunning.
  absl::Status Finish(const RunKey& run, int exit_code, RunState state, absl::Duration runtime);

  // The stop flag the daemon's stop-status poller reads and the command line sets. A stop
  // can only be requested for a running run; a second request keeps the first one's time.
  absl::Status RequestStop(const RunKey& run);
  absl::StatusOr<bool> StopRequested(const RunKey& run);
  absl::Status ClearStop(const RunKey& run);

  absl::StatusOr<RunRow> Get(const RunKey& run);
  // `ref` is "id", "project/id" or "entity/project/id". A shorter form must name one run:
  // InvalidArgument lists the matches when it names several; NotFound when none.
  absl::StatusOr<RunRow> Find(absl::string_view ref);
  // Every run, or those of `project` ("project" in any entity, or "entity/project"), oldest
  // start first.
  absl::StatusOr<std::vector<RunRow>> List(absl::string_view project = "");

 private:
  // Runs with `where` over runs r JOIN projects p, binding `args` to ?1, ?2, ...
  absl::StatusOr<std::vector<RunRow>> Query(absl::string_view where,
                                            const std::vector<std::string>& args);
  // UPDATE runs SET `assignments` WHERE id = the run's row, with `args` bound to ?1, ?2, ...
  // and the row to the last parameter.
  template <typename... Args>
  absl::Status Update(const RunKey& run, absl::string_view what, absl::string_view sql,
                      const Args&... args);

  Connection& connection_;
};

}  // namespace wandb::store

#endif  // WANDB_SERVICE_STORE_RUNS_H_
