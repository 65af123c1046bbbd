// Turns a run's transaction log into backend calls: the run, its config, summary and history,
// and the files it saved. The sender runs one on the live log, reading on from where it
// stopped each time the writer has appended. After a daemon crash a later daemon runs one over
// the whole log (rows the backend has are skipped), and `wandb-cpp import` does the same.
//
// Everything the backend gets is derived from the log alone, so a replay gives the backend
// what the live run would have: config and summary are rebuilt from their records and from
// the history rows, as the handler built them.
#ifndef WANDB_SERVICE_REPLAY_LOG_REPLAYER_H_
#define WANDB_SERVICE_REPLAY_LOG_REPLAYER_H_

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "common/ipc/history_wire.h"
#include "common/txlog/corruption_tally.h"
#include "common/txlog/log_reader.h"
#include "service/backend/backend.h"
#include "service/state/config_state.h"
#include "service/state/summary_state.h"

namespace wandb::service {

class LogReplayer {
 public:
  // Called for each FilesRecord read (what save() asked for).
  using FilesFn = std::function<void(const records::FilesRecord&)>;

  // Called for each ArtifactRecord the backend committed or refused for good, with its
  // client id (a failure that may heal stops the replay there, to be tried again).
  using ArtifactFn =
      std::function<void(const std::string& client_id, const absl::StatusOr<ArtifactLogged>&)>;

  LogReplayer(std::string log_path, std::string run_dir, Backend* backend, FilesFn on_files);
  void set_on_artifact(ArtifactFn on_artifact) { on_artifact_ = std::move(on_artifact); }
  // How far into the log the backend has everything (bytes; 0 before the first commit).
  uint64_t offset() const { return offset_; }
  // Called each time the backend took a RunRecord (the run exists there from then on).
  void set_on_run_stored(std::function<void()> on_run_stored) {
    on_run_stored_ = std::move(on_run_stored);
  }

  // Sends every complete record after the last one sent. A record still being written is
  // left for the next call, which reads on with the same reader. Corrupt bytes are skipped
  // (see corruption()). Returns the first backend or read error; the offset then stays at the
  // last batch the backend took, and the next call reads again from there.
  absl::Status CatchUp() { return CatchUpUntil(absl::InfiniteFuture()).status(); }
  // As CatchUp(), but returns at the first slice boundary (kRowsPerSend rows) at or after
  // `until`: true when it read to the log's end, false when there is more to read. A live log
  // can grow faster than the backend takes it (a program logging as fast as it can), and
  // the sender must get back to its other duties (the stop poll) meanwhile.
  absl::StatusOr<bool> CatchUpUntil(absl::Time until);
  // Sends the whole summary when it changed since the last time.
  absl::Status SendSummary();

  // From the exit record, once read.
  std::optional<int> exit_code() const { return exit_code_; }
  std::optional<int> exit_runtime() const { return exit_runtime_; }
  // What the log's reader skipped as corrupt so far.
  const txlog::CorruptionTally& corruption() const { return corruption_; }

 private:
  static constexpr size_t kRowsPerSend = 4096;

  // Sends the rows and config read so far and records `offset` as sent.
  absl::Status Commit(uint64_t offset);
  absl::Status Apply(const std::string& record);
  absl::Status ApplyMessage(const records::Record& record);
  void AddHistoryRow(const history_wire::PartialHistoryView& row);
  void AddStatsRow(const records::StatsRecord& stats);
  void AddConsoleLine(const records::OutputRecord& output);
  absl::Status SendHistory();
  absl::Status LogArtifact(const records::ArtifactRecord& artifact);

  const std::string log_path_;
  const std::string run_dir_;
  Backend* backend_;
  FilesFn on_files_;
  ArtifactFn on_artifact_;
  std::function<void()> on_run_stored_;
  uint64_t offset_ = 0;  // 0: from the start
  // Open across calls, so that following the live log costs no open(2) per pass.
  std::unique_ptr<txlog::LogReader> reader_;
  txlog::CorruptionTally corruption_;

  ConfigState config_;
  bool config_dirty_ = false;
  SummaryState summary_;
  bool summary_dirty_ = false;
  std::vector<store::HistoryRow> rows_;
  size_t rows_used_ = 0;
  std::vector<store::SystemMetricsRow> stats_;
  std::vector<store::ConsoleLine> console_;
  history_wire::PartialHistoryView view_;
  std::optional<int> exit_code_;
  std::optional<int> exit_runtime_;
};

}  // namespace wandb::service

#endif  // WANDB_SERVICE_REPLAY_LOG_REPLAYER_H_
