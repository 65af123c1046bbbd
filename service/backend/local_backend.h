// The default backend: the user's local store (service/store). Every run of the daemon
// shares one LocalStore; each run has its own LocalBackend naming it.
#ifndef WANDB_SERVICE_BACKEND_LOCAL_BACKEND_H_
#define WANDB_SERVICE_BACKEND_LOCAL_BACKEND_H_

#include <memory>
#include <string>

#include "service/backend/backend.h"
#include "service/store/local_store.h"

namespace wandb::service {

// The store's name for how a run ended.
store::RunState StoreRunState(RunOutcome outcome);

class LocalBackend final : public Backend {
 public:
  LocalBackend(std::shared_ptr<store::LocalStore> store, store::RunKey run,
               std::string run_dir = "")
      : store_(std::move(store)), run_(std::move(run)), run_dir_(std::move(run_dir)) {}

  bool wants_data() const override { return true; }
  absl::Status UpsertRun(const records::RunRecord& run, absl::string_view run_dir) override;
  absl::Status ReplaceConfig(absl::string_view config_json) override;
  absl::Status ReplaceSummary(absl::string_view summary_json) override;
  absl::Status AppendHistory(absl::Span<const store::HistoryRow> rows) override;
  absl::Status AppendSystemMetrics(absl::Span<const store::SystemMetricsRow> rows) override;
  absl::Status AppendConsole(absl::Span<const store::ConsoleLine> lines) override;
  absl::Status SetLogOffset(uint64_t offset) override;
  absl::StatusOr<FileUploadResult> UploadFile(const FileUpload& file) override;
  absl::StatusOr<ArtifactLogged> LogArtifact(const records::ArtifactRecord& artifact) override;
  absl::StatusOr<bool> StopRequested() override;
  // The store's flag is one indexed read (tens of microseconds): asked often, so a stop
  // reaches the training loop well within half a second.
  absl::Duration stop_poll_interval() const override { return absl::Milliseconds(100); }
  absl::Status FinishRun(const RunEnd& end, absl::Duration runtime) override;

 private:
  std::shared_ptr<store::LocalStore> store_;
  const store::RunKey run_;
  std::string run_dir_;
};

}  // namespace wandb::service

#endif  // WANDB_SERVICE_BACKEND_LOCAL_BACKEND_H_
