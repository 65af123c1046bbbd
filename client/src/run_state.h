// Everything one run holds in the client: its settings, the config mirror, the outbox to the
// daemon. Methods return absl::Status; the public Run turns them into exceptions.
#ifndef WANDB_CLIENT_SRC_RUN_STATE_H_
#define WANDB_CLIENT_SRC_RUN_STATE_H_

#include <atomic>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "client/src/console.h"
#include "client/src/console_capture.h"
#include "client/src/record_outbox.h"
#include "client/src/run_status_checker.h"
#include "client/src/service_connection.h"
#include "client/src/settings_resolver.h"
#include "client/src/telemetry.h"
#include "common/util/logger.h"
#include "wandb/run.h"

namespace wandb::internal {

class RunState {
 public:
  // Connects to (or starts) the daemon and starts the run there.
  static absl::StatusOr<std::shared_ptr<RunState>> Start(ResolvedSettings settings);
  // A run whose calls do nothing (mode disabled).
  static std::shared_ptr<RunState> Disabled(ResolvedSettings settings);
  ~RunState();

  absl::Status Log(Value::Map data, const LogOptions& options);
  absl::Status UpdateConfig(const Value::Map& values, bool allow_val_change);
  std::optional<Value> GetConfig(const std::string& key);
  Value::Map ConfigSnapshot();
  absl::Status SetSummary(const std::vector<std::string>& path, Value value);
  absl::Status RemoveSummary(const std::vector<std::string>& path);
  absl::StatusOr<Value::Map> GetSummary();
  // Waits until everything logged so far is in the run's log; false when the daemon could
  // not confirm it within finish_timeout.
  absl::StatusOr<bool> Flush();
  // Links what `glob` matches into files/ and tells the daemon to save it; the names linked.
  absl::StatusOr<std::vector<std::string>> Save(const std::string& glob,
                                                const SaveOptions& options);
  // Never fails the caller: a daemon problem is reported on stderr and in debug.log.
  // `called` is false when the run is finished at process exit rather than by finish().
  void Finish(int exit_code, bool called = false);

  const ResolvedSettings& settings() const { return settings_; }
  const std::string& dir() const { return run_dir_; }
  bool disabled() const { return settings_.mode == Mode::kDisabled; }
  bool finished() const { return finished_.load(); }
  // Set once the run-status checker has seen a stop request.
  bool stop_requested() const;

 private:
  explicit RunState(ResolvedSettings settings);
  absl::Status StartOnDaemon(bool reconnect);
  // Continues the run on a new daemon after its daemon died (on the outbox's thread).
  absl::StatusOr<RecordOutbox::Attachment> Reattach();
  // `call` on the daemon's connection; when the daemon is gone, once more after the outbox
  // re-attached the run to a new one.
  grpc::Status CallDaemon(const std::function<grpc::Status(ServiceConnection& connection)>& call);
  void StartStatusChecker();
  // Console capture (settings_.console): output.log and OutputRecords.
  void StartConsoleCapture();
  void SendOutput(records::OutputRecord::OutputType type, absl::Time time,
                  std::vector<std::string>& lines);
  // A resumed run's config is what the daemon stored, under the one init() was given.
  void AdoptResumedConfig(const records::ConfigRecord& config);
  absl::Status CheckLive(const char* what) const;
  // Sends the feature's telemetry the first time it is used.
  void NoteFeature(Feature feature);

  ResolvedSettings settings_;
  Console console_;
  Logger debug_log_;
  std::shared_ptr<ServiceConnection> connection_;
  std::unique_ptr<RecordOutbox> outbox_;
  service::StartRunRequest start_request_;  // as the run started; a re-attach sends it again
  std::unique_ptr<RunStatusChecker> status_checker_;
  std::unique_ptr<ConsoleCapture> capture_;  // sends through outbox_: stopped before it
  int64_t last_output_ns_ = 0;               // the capture's reader thread's alone
  std::string run_dir_;
  std::atomic<bool> finished_{false};
  FeatureUsage features_;

  std::mutex config_mu_;
  Value config_;  // guarded by config_mu_
};

}  // namespace wandb::internal

#endif  // WANDB_CLIENT_SRC_RUN_STATE_H_
