// Where a run's data goes after it is safe in the transaction log: the sender's only view
// of the outside world. Offline mode keeps everything in the log for a later sync; the local
// store and the W&B HTTP API are further implementations of this interface.
#ifndef WANDB_SERVICE_BACKEND_BACKEND_H_
#define WANDB_SERVICE_BACKEND_BACKEND_H_

#include "absl/strings/string_view.h"

#include "absl/status/status.h"
#include "wandb/records.pb.h"

namespace wandb::service {

class Backend {
 public:
  virtual ~Backend() = default;

  // False when the backend needs no records (offline), so the pipeline skips the hand-over.
  virtual bool wants_records() const = 0;

  virtual absl::Status UpsertRun(const records::RunRecord& run) = 0;
  virtual absl::Status UpdateConfig(const records::ConfigRecord& config) = 0;
  virtual absl::Status AppendHistory(const records::HistoryRecord& row) = 0;
  virtual absl::Status SetSummary(absl::string_view summary_json) = 0;
  virtual absl::Status FinishRun(int exit_code) = 0;
  // Whether someone asked for the run to stop (the run-status checker polls this).
  virtual bool StopRequested() = 0;
};

// Offline mode: the transaction log is the whole record; nothing is sent anywhere.
class OfflineBackend final : public Backend {
 public:
  bool wants_records() const override { return false; }
  absl::Status UpsertRun(const records::RunRecord&) override { return absl::OkStatus(); }
  absl::Status UpdateConfig(const records::ConfigRecord&) override { return absl::OkStatus(); }
  absl::Status AppendHistory(const records::HistoryRecord&) override { return absl::OkStatus(); }
  absl::Status SetSummary(absl::string_view) override { return absl::OkStatus(); }
  absl::Status FinishRun(int) override { return absl::OkStatus(); }
  bool StopRequested() override { return false; }
};

}  // namespace wandb::service

#endif  // WANDB_SERVICE_BACKEND_BACKEND_H_
