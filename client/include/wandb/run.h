#ifndef WANDB_RUN_H_
#define WANDB_RUN_H_

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "wandb/artifact.h"
#include "wandb/value.h"

#include "wandb/internal/api_begin.h"

namespace wandb {

class CustomChart;  // wandb/plot.h
class Table;        // wandb/table.h

namespace internal {
class ClientRun;
struct RunAccess;  // the library's own way to make a Run
}  // namespace internal

struct LogOptions {
  // The history step this data belongs to. Lower than the current step: the data is dropped
  // with a warning. Given alone, the row is written once a later call moves past the step.
  std::optional<int64_t> step{};
  // False merges the data into the pending row without writing it.
  std::optional<bool> commit{};
};

// When save() uploads a file to the run (wandb's policies).
enum class Policy {
  kLive,  // now, then again whenever it changes (throttled for files that change often)
  kNow,   // once, now
  kEnd,   // once, when the run finishes
};

struct SaveOptions {
  // The directory the saved names are relative to. Default: the current directory for a
  // relative glob; the glob's own directory for an absolute one (sub-directories are then
  // flattened, with a warning).
  std::optional<std::string> base_path{};
  Policy policy = Policy::kLive;
};

// The run's hyperparameters. A key, once set, keeps its value unless a change is allowed:
// changing it otherwise throws wandb::Error naming the key (wandb's allow_val_change rule).
class WANDB_API Config {
 public:
  void update(const Value::Map& values, bool allow_val_change = false);
  void set(const std::string& key, Value value, bool allow_val_change = false);
  std::optional<Value> get(const std::string& key) const;
  Value::Map as_map() const;

 private:
  friend class Run;
  explicit Config(std::shared_ptr<internal::ClientRun> state) : state_(std::move(state)) {}
  std::shared_ptr<internal::ClientRun> state_;
};

// A writable path into the summary: run.summary()["val"]["acc"] = 0.9;
class WANDB_API SummaryItem {
 public:
  SummaryItem operator[](const std::string& key) const;
  SummaryItem& operator=(Value value);
  void remove();

 private:
  friend class Summary;
  SummaryItem(std::shared_ptr<internal::ClientRun> state, std::vector<std::string> path)
      : state_(std::move(state)), path_(std::move(path)) {}
  std::shared_ptr<internal::ClientRun> state_;
  std::vector<std::string> path_{};
};

// The run's summary: every logged row updates its keys; explicit values can be set too (a
// later row that logs the same key overwrites them, as in wandb).
class WANDB_API Summary {
 public:
  SummaryItem operator[](const std::string& key) const;
  void update(const Value::Map& values);
  // The summary as the daemon has it, after everything logged so far.
  Value::Map get() const;

 private:
  friend class Run;
  explicit Summary(std::shared_ptr<internal::ClientRun> state) : state_(std::move(state)) {}
  std::shared_ptr<internal::ClientRun> state_;
};

// A handle to a run; copies share the run. Thread-safe: many threads may log to one run.
class WANDB_API Run {
 public:
  // A handle to no run: every call throws wandb::Error. wandb::init() makes real ones.
  Run() = default;

  // Queues a row for the daemon and returns: it never waits on disk, network or the daemon.
  // Throws std::invalid_argument for an invalid key or value (naming it), wandb::Error after
  // finish().
  void log(Value::Map data, const LogOptions& options = {});

  Config config() const;
  // wandb's run.plot_table: a chart of `table` drawn by the Vega spec `vega_spec_name`, to
  // log under a key (wandb/plot.h; include <wandb/wandb.h>):
  //   run.log({{"my_chart", run.plot_table("wandb/line/v0", table, {{"x", "step"}, {"y", "loss"}},
  //                                        {{"title", "Loss"}})}});
  static CustomChart plot_table(const std::string& vega_spec_name, const Table& table,
                                Value::Map fields, Value::Map string_fields = {});
  Summary summary() const;

  // Returns once everything logged so far is in the run's transaction log: handed to the OS
  // (a crash of this process or of the daemon loses none of it), or fsynced with
  // Durability::kFsync. False when the daemon could not confirm it within finish_timeout (a
  // warning says why); nothing is lost then either, and finish() tries again. It costs a
  // round trip and waits for the daemon to catch up, so call it at checkpoints, not per step.
  bool flush();
  // Saves the files that `glob` matches with the run, under their path relative to the base
  // path: each is linked into the run's files/ directory and stored in the local store by
  // `policy`. Files that match later are picked up when they appear in files/ (call save()
  // again to link them). Returns the names linked now. Throws std::invalid_argument for a
  // cloud path (s3://, gs://) or a glob that climbs above its base path.
  //   run.save("checkpoints/*.pt", {.policy = wandb::Policy::kEnd});
  std::vector<std::string> save(const std::string& glob, const SaveOptions& options = {});
  // Logs `artifact` as the next version of its name in the run's project, with `aliases`
  // (default {"latest"}; `latest` always names the newest version). Returns at once: the
  // daemon commits the artifact once it is in the run's log; artifact.wait() returns the
  // version. The artifact can take no more entries after this. Throws wandb::Error for a bad
  // alias, or a file of the artifact still open (new_file).
  //   run.log_artifact(checkpoint, {"best"});
  Artifact log_artifact(const Artifact& artifact, const std::vector<std::string>& aliases = {});
  // wandb's log_artifact(path): a file, a directory or a reference URI (s3://...) as an
  // artifact named `name` (default "run-<run id>-<base name>") of `type`.
  Artifact log_artifact(const std::string& path, const std::string& name, const std::string& type,
                        const std::vector<std::string>& aliases = {});
  // Declares a stored artifact version an input of this run (wandb's use_artifact) and
  // returns it; download() then copies its files out. `name`: "name:alias", "name:vN",
  // "project/name:...", "entity/project/name:..." (entity and project default to the run's)
  // or a 32-digit artifact digest. The store records the use (the run's inputs: lineage).
  // Throws wandb::Error for a malformed name, an artifact, version or alias the store does not
  // have, a `type` that is not the artifact's, an offline run, or a daemon that cannot answer.
  //   wandb::Artifact data = run.use_artifact("mnist:latest", "dataset");
  //   std::string dir = data.download();
  Artifact use_artifact(const std::string& name, const std::string& type = "");
  // wandb's use_artifact(artifact, aliases): a stored version (from use_artifact() or
  // wandb::Api) is declared this run's input; a new artifact is logged with `aliases`, and once
  // committed declared an input too, so the run both made and used it (this waits for the
  // commit: artifact.wait()). An offline run only logs it: it has no store to record a use in.
  Artifact use_artifact(const Artifact& artifact, const std::vector<std::string>& aliases = {});
  // Finishes the run: everything logged is written, then the exit code. Runs still open at
  // normal process exit are finished with code 0. A second call does nothing.
  void finish(int exit_code = 0);

  const std::string& id() const;
  const std::string& name() const;
  const std::string& project() const;
  const std::string& entity() const;
  // The run directory (wandb/offline-run-YYYYMMDD_HHMMSS-<id>); empty when disabled.
  const std::string& dir() const;
  bool disabled() const;
  bool finished() const;
  // True once someone asked for this run to stop (`wandb-cpp stop RUN`); the run-status
  // checker polls for it every stop_poll_interval. A training loop can test it each step:
  //   for (int step = 0; !run.stop_requested(); ++step) { ... }
  // The run is then recorded as stopped (exit code 255, as wandb does), every row kept.
  bool stop_requested() const;

 private:
  friend struct internal::RunAccess;
  explicit Run(std::shared_ptr<internal::ClientRun> state) : state_(std::move(state)) {}
  internal::ClientRun& state() const;
  std::shared_ptr<internal::ClientRun> state_;
};

}  // namespace wandb

#include "wandb/internal/api_end.h"

#endif  // WANDB_RUN_H_
