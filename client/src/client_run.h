// One run as the client holds it, behind the public wandb::Run: its settings, its link to the
// daemon (DaemonLink: the start, the outbox, re-attaching), the config mirror, the run-status
// checker and the console capture. Methods return absl::Status; the public Run turns them
// into exceptions. Thread-safe: many threads may log to one run.
#ifndef WANDB_CLIENT_SRC_CLIENT_RUN_H_
#define WANDB_CLIENT_SRC_CLIENT_RUN_H_

#include <atomic>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"
#include "client/src/artifact/artifact_state.h"
#include "client/src/console.h"
#include "client/src/console_capture.h"
#include "client/src/daemon_link.h"
#include "client/src/fork_generation.h"
#include "client/src/media/media_reporter.h"
#include "client/src/media/media_resolver.h"
#include "client/src/run_config.h"
#include "client/src/run_status_checker.h"
#include "client/src/settings_resolver.h"
#include "client/src/step_warnings.h"
#include "client/src/telemetry.h"
#include "client/src/upload_progress_printer.h"
#include "common/util/logger.h"
#include "wandb/run.h"

namespace wandb::internal {

class ClientRun {
 public:
  // Connects to (or starts) the daemon and starts the run there.
  static absl::StatusOr<std::shared_ptr<ClientRun>> Start(ResolvedSettings settings);
  // A run whose calls do nothing (mode disabled).
  static std::shared_ptr<ClientRun> Disabled(ResolvedSettings settings);
  ~ClientRun();

  absl::Status Log(Value::Map data, const LogOptions& options);
  absl::Status UpdateConfig(const Value::Map& values, bool allow_val_change);
  std::optional<Value> GetConfig(const std::string& key) const { return config_.Get(key); }
  Value::Map ConfigSnapshot() const { return config_.Snapshot(); }
  absl::Status SetSummary(const std::vector<std::string>& path, Value value);
  absl::Status RemoveSummary(const std::vector<std::string>& path);
  absl::StatusOr<Value::Map> GetSummary();
  // Waits until everything logged so far is in the run's log; false when the daemon could
  // not confirm it within finish_timeout.
  absl::StatusOr<bool> Flush();
  // Links what `glob` matches into files/ and tells the daemon to save it; the names linked.
  absl::StatusOr<std::vector<std::string>> Save(const std::string& glob,
                                                const SaveOptions& options);
  // Finalizes `artifact` and queues its record; returns at once. `self` is this run, for the
  // artifact's wait() to ask the daemon through (it may outlive the run).
  absl::Status LogArtifact(const std::shared_ptr<ArtifactState>& artifact,
                           const std::vector<std::string>& aliases, std::weak_ptr<ClientRun> self);
  // Resolves `name` through the daemon, which records the use; the version, ready to
  // download(). InvalidArgument for a malformed name or type, NotFound / FailedPrecondition
  // (the daemon's) for what the store lacks or a wrong type.
  absl::StatusOr<std::shared_ptr<ArtifactState>> UseArtifact(const std::string& name,
                                                             const std::string& type);
  // What the daemon says of a logged artifact (Artifact::wait()).
  absl::StatusOr<service::ArtifactStatusResponse> ArtifactStatus(const std::string& client_id);
  // Never fails the caller: a daemon problem is reported on stderr and in debug.log.
  // `called` is false when the run is finished at process exit rather than by finish().
  void Finish(int exit_code, bool called = false);

  const ResolvedSettings& settings() const { return settings_; }
  const std::string& dir() const { return link_ == nullptr ? kNoDir : link_->run_dir(); }
  bool disabled() const { return settings_.mode == Mode::kDisabled; }
  bool finished() const { return finished_.load(); }
  // Set once the run-status checker has seen a stop request.
  bool stop_requested() const;

 private:
  static const std::string kNoDir;

  explicit ClientRun(ResolvedSettings settings);
  absl::Status StartOnDaemon();
  void StartStatusChecker();
  // Console capture (settings_.console): output.log and OutputRecords.
  void StartConsoleCapture();
  void SendOutput(records::OutputRecord::OutputType type, absl::Time time,
                  std::vector<std::string>& lines);
  // resume="auto": the next run started in this directory continues this one unless it
  // finishes cleanly.
  void WriteResumeFile() const;
  // finish()'s warnings, footer and final lines.
  // Asks the daemon for the run's status (the upload's progress), for finish()'s printer.
  UploadProgressPrinter::PollFn UploadStatusPoll();
  void PrintFinish(const grpc::Status& status, const service::FinishRunResponse& response);
  absl::Status CheckLive(const char* what) const;
  void FinishOnce(int exit_code, bool called);
  // Hands finish's word on each logged artifact to it, so wait() works after finish.
  void ResolveArtifacts(const service::FinishRunResponse& response);
  // The default end of a stop request in a program without a SIGINT handler: finishes the
  // run as stopped (every row logged before is delivered) and ends the process as Ctrl-C
  // would. Runs on the run-status checker's thread; never returns.
  [[noreturn]] void FinishAndEndProcess();
  // True once FinishAndEndProcess began; finish() then waits for the process to end.
  bool Ending() const { return ending_.load(); }
  // Brackets each call from the program that sends to the daemon, so that the stop's finish
  // begins only when no call is half-way: every call that returned has its data delivered.
  // A call made once that finish began blocks until the process ends.
  void EnterCall();
  void LeaveCall() { in_calls_.fetch_sub(1); }
  struct CallScope {
    explicit CallScope(ClientRun* run) : run(run) { run->EnterCall(); }
    ~CallScope() { run->LeaveCall(); }
    CallScope(const CallScope&) = delete;
    CallScope& operator=(const CallScope&) = delete;
    ClientRun* run;
  };
  // True, with a warning (once per process), in a process forked from the one that started
  // the run: the call is ignored there, as wandb ignores it (the run is not the child's).
  bool IgnoredInChild(const char* what) const;
  // Sends the feature's telemetry the first time it is used.
  void NoteFeature(Feature feature);
  RecordOutbox& outbox() { return link_->outbox(); }

  const ResolvedSettings settings_;
  const uint64_t generation_ = ForkGeneration::Current();  // see fork_generation.h
  const int owner_pid_;
  const Console console_;
  Logger debug_log_;
  RunConfig config_;
  // Used by the outbox's thread: made before the link, so destroyed after it.
  std::unique_ptr<MediaReporter> media_reporter_;
  std::unique_ptr<MediaResolver> media_;
  std::unique_ptr<DaemonLink> link_;             // null when disabled
  std::unique_ptr<StepWarnings> step_warnings_;  // set at start; null when disabled
  std::unique_ptr<RunStatusChecker> status_checker_;
  std::unique_ptr<ConsoleCapture> capture_;  // sends through the outbox: stopped before it
  int64_t last_output_ns_ = 0;               // the capture's reader thread's alone
  std::atomic<bool> finished_{false};
  std::atomic<bool> ending_{false};
  std::atomic<int> in_calls_{0};  // calls inside a CallScope
  FeatureUsage features_;
  absl::Mutex artifacts_mu_;
  std::vector<std::weak_ptr<ArtifactState>> logged_artifacts_ ABSL_GUARDED_BY(artifacts_mu_);
};

// Makes the public handle of a run (Run's constructor is private to the library).
struct RunAccess {
  static Run Handle(std::shared_ptr<ClientRun> run) { return Run(std::move(run)); }
};

}  // namespace wandb::internal

#endif  // WANDB_CLIENT_SRC_CLIENT_RUN_H_
