// The daemon's live runs, by run id, and the watch on the processes that own them: a run
// whose training process died without finishing is finished as crashed.
#ifndef WANDB_SERVICE_SERVER_RUN_REGISTRY_H_
#define WANDB_SERVICE_SERVER_RUN_REGISTRY_H_

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"
#include "common/util/logger.h"
#include "service/backend/backend_factory.h"
#include "service/stream/stream.h"

namespace wandb::service {

class RunRegistry {
 public:
  RunRegistry(BackendFactory* backends, Logger* log) : backends_(backends), log_(log) {}

  absl::StatusOr<std::shared_ptr<Stream>> Open(const StartRunRequest& request);
  absl::StatusOr<std::shared_ptr<Stream>> Find(const std::string& run_id);
  // Finishes the run and forgets it. `exit_code`: the program's, nullopt when it never told
  // one (its process died); Stream::Finish decides how the run ended.
  absl::StatusOr<FinishRunResponse> Finish(const std::string& run_id, std::optional<int> exit_code,
                                           uint64_t last_seq, absl::Duration timeout);

  // A client's Publish stream of run `run_id` opened or ended: a run whose client has had no
  // stream open for kClientSilence is left by its client.
  void ClientStreamOpened(const std::string& run_id);
  void ClientStreamClosed(const std::string& run_id);
  static constexpr absl::Duration kClientSilence = absl::Seconds(10);

  // Finishes, as crashed, every run whose client is gone: its process is (where its pid tells,
  // a pid of this daemon's namespace that was not recycled), or it has had no record stream
  // open for kClientSilence (a pid of another namespace, or a StartRun that named a pid it does
  // not own, cannot keep a run, and the daemon, alive). Returns how many.
  int ReapOrphans();
  // Finishes every live run, as runs whose programs never told their exit (daemon shutdown
  // with finish_runs).
  void FinishAll();
  // Writes everything every live run has received, closes its log without an exit, releases
  // its directory and forgets it (daemon shutdown): its training process re-attaches it to the
  // next daemon, which goes on from the log as after a crash of this one.
  void DetachAll();
  // Destroys finished streams. Called off the request path: freeing a big run's memory can
  // take a while, and FinishRun should not wait for it.
  void ReleaseFinished();
  int size();
  BackendFactory& backends() { return *backends_; }

  // What the daemon knows of a live run without asking its stream (`wandb-cpp status`).
  struct LiveRunFacts {
    std::shared_ptr<Stream> stream;
    store::RunKey key;  // as the local store names it, defaults filled in
    std::string display_name;
    Mode mode = MODE_LOCAL;
    std::string store_dir;
    absl::Time started;
    bool finishing = false;  // a finish is under way
    // Online mode's W&B backend (its thread-safe part: where the run is on the server, a
    // connection of one's own); null for other modes.
    std::shared_ptr<WandbBackend> wandb;
  };
  // Every live run, oldest first.
  std::vector<LiveRunFacts> Snapshot();
  // One live run's; NotFound as Find.
  absl::StatusOr<LiveRunFacts> Facts(const std::string& run_id);

 private:
  struct Entry {
    std::shared_ptr<Stream> stream;
    uint64_t client_start_ticks = 0;  // tells a live client from a recycled pid
    LiveRunFacts facts;
    int client_streams = 0;   // Publish streams open now
    absl::Time silent_since;  // when the last one ended (or the run opened)
  };
  std::optional<std::string> ClientGone(const Entry& entry, absl::Time now) const
      ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);

  BackendFactory* backends_;
  Logger* log_;
  absl::Mutex mu_;
  absl::flat_hash_map<std::string, Entry> runs_ ABSL_GUARDED_BY(mu_);
  std::vector<std::shared_ptr<Stream>> finished_ ABSL_GUARDED_BY(mu_);
};

// The start time of process `pid` in clock ticks since boot (/proc/<pid>/stat field 22),
// 0 when there is no such process, nullopt when that cannot be told (e.g. no descriptors).
std::optional<uint64_t> ClientStartTicks(int64_t pid);

}  // namespace wandb::service

#endif  // WANDB_SERVICE_SERVER_RUN_REGISTRY_H_
