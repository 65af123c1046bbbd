// Where a run's data goes once it is safe in the transaction log: the sender's only view of
// the outside world. One Backend serves one run. Offline mode sends nothing (the log is the
// whole record, for a later sync); the local store is the default; the W&B HTTP API is the
// next implementation of this interface.
//
// Threads. A live run's backend is called from its sender's thread only, and UploadFile also
// from the upload pool's threads, at the same time; never from a gRPC thread or the handler.
// So a call may block (a network round trip, a retry) and may fail without holding up the
// client or another run. The stop question is no exception: the sender asks StopRequested()
// every stop_poll_interval() and publishes the answer, which the client's StopStatus call
// reads (Sender::stop_requested()). Outside a live run (orphan recovery, re-attach, `import`)
// one thread at a time uses a backend.
#ifndef WANDB_SERVICE_BACKEND_BACKEND_H_
#define WANDB_SERVICE_BACKEND_BACKEND_H_

#include <cstdint>
#include <string>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "absl/types/span.h"
#include "service/backend/run_end.h"
#include "service/store/series_rows.h"
#include "wandb/records.pb.h"

namespace wandb::service {

// A file of the run's files/ directory to store as its next version.
struct FileUpload {
  std::string name;         // relative to files/, '/'-separated
  std::string source_path;  // where to read the content now
  records::FilesItem::PolicyType policy = records::FilesItem::END;
};

struct FileUploadResult {
  int64_t bytes = 0;
  bool unchanged = false;  // the same content as the stored latest version: nothing added
};

// An artifact version a backend committed (log_artifact).
struct ArtifactLogged {
  std::string version;  // "v0", "v1", ...
  std::string digest;
};

// The rows of a run's series (history, system metrics, console) are the store's row types
// (service/store/series_rows.h), handed from the log replayer to every backend as they are.
class Backend {
 public:
  virtual ~Backend() = default;

  // False when the backend takes nothing (offline): the stream then never reads its log back.
  virtual bool wants_data() const = 0;

  // Creates the run, or updates its description (a resumed run).
  virtual absl::Status UpsertRun(const records::RunRecord& run, absl::string_view run_dir) = 0;
  // Replace the run's whole config / whole summary with this JSON object.
  virtual absl::Status ReplaceConfig(absl::string_view config_json) = 0;
  virtual absl::Status ReplaceSummary(absl::string_view summary_json) = 0;
  // Rows already stored (a replay after a crash) are skipped.
  virtual absl::Status AppendHistory(absl::Span<const store::HistoryRow> rows) = 0;
  // The system-metric samples of the run's StatsRecords (already stored ones are skipped).
  virtual absl::Status AppendSystemMetrics(absl::Span<const store::SystemMetricsRow> rows) = 0;
  // The run's console lines, in order (lines already stored, by time, are skipped).
  virtual absl::Status AppendConsole(absl::Span<const store::ConsoleLine> lines) = 0;
  // How far into the transaction log the backend has everything, so a later daemon can
  // replay the rest after a crash.
  virtual absl::Status SetLogOffset(uint64_t offset) = 0;
  virtual absl::StatusOr<FileUploadResult> UploadFile(const FileUpload& file) = 0;
  // Commits an artifact the run logged (its files at the entries' local paths). An error
  // whose code IsPermanentArtifactError() will never succeed (a bad record, a file changed
  // or gone); others are worth retrying, as for any other call.
  virtual absl::StatusOr<ArtifactLogged> LogArtifact(const records::ArtifactRecord& artifact) = 0;
  // Whether someone asked for the run to stop. The answer takes as long as it takes (an HTTP
  // request): the sender asks, never the client's call.
  virtual absl::StatusOr<bool> StopRequested() = 0;
  // How often the sender asks StopRequested() while the run is live: what the answer costs
  // the backend decides. A stop reaches the training loop within this plus the client's
  // stop_poll_interval.
  virtual absl::Duration stop_poll_interval() const = 0;
  // A live run's sign of life, asked by its upload lane at every pass and stop poll: a
  // backend that must hear from a live run now and then (W&B's file_stream heartbeat) says so
  // here when it has had nothing else to say for a while.
  virtual absl::Status KeepAlive() { return absl::OkStatus(); }
  // The run is over: how it ended (run_end.h) and how long it ran.
  virtual absl::Status FinishRun(const RunEnd& end, absl::Duration runtime) = 0;
  // Where a person can see the run (a W&B run page), once known; empty for the others.
  virtual std::string run_url() const { return ""; }
  // Why the backend stopped keeping what it is given, for good (a refused API key); empty
  // while it keeps everything.
  virtual std::string gave_up() const { return ""; }
};

// Whether a LogArtifact failure is for good (the record or its files are bad, or the backend
// keeps no artifacts) rather than a passing trouble of the disk or the network.
inline bool IsPermanentArtifactError(const absl::Status& status) {
  switch (status.code()) {
    case absl::StatusCode::kInvalidArgument:
    case absl::StatusCode::kDataLoss:
    case absl::StatusCode::kNotFound:
    case absl::StatusCode::kFailedPrecondition:
    case absl::StatusCode::kUnimplemented:
    case absl::StatusCode::kPermissionDenied:
    case absl::StatusCode::kOutOfRange:
      return true;
    default:
      return false;
  }
}

// Takes everything and keeps nothing: offline mode's backend, and the base of backends that
// want only part of a run (they override what they keep).
class DiscardingBackend : public Backend {
 public:
  bool wants_data() const override { return true; }
  absl::Status UpsertRun(const records::RunRecord&, absl::string_view) override {
    return absl::OkStatus();
  }
  absl::Status ReplaceConfig(absl::string_view) override { return absl::OkStatus(); }
  absl::Status ReplaceSummary(absl::string_view) override { return absl::OkStatus(); }
  absl::Status AppendHistory(absl::Span<const store::HistoryRow>) override {
    return absl::OkStatus();
  }
  absl::Status AppendSystemMetrics(absl::Span<const store::SystemMetricsRow>) override {
    return absl::OkStatus();
  }
  absl::Status AppendConsole(absl::Span<const store::ConsoleLine>) override {
    return absl::OkStatus();
  }
  absl::Status SetLogOffset(uint64_t) override { return absl::OkStatus(); }
  absl::StatusOr<FileUploadResult> UploadFile(const FileUpload&) override {
    return FileUploadResult{};
  }
  absl::StatusOr<ArtifactLogged> LogArtifact(const records::ArtifactRecord&) override {
    return absl::UnimplementedError("this backend does not keep artifacts");
  }
  absl::StatusOr<bool> StopRequested() override { return false; }
  // Nobody can ask it to stop: never asked.
  absl::Duration stop_poll_interval() const override { return absl::InfiniteDuration(); }
  absl::Status FinishRun(const RunEnd&, absl::Duration) override { return absl::OkStatus(); }
};

// Offline mode: the transaction log is the whole record; nothing is sent anywhere, so the
// stream never reads its log back.
class OfflineBackend final : public DiscardingBackend {
 public:
  bool wants_data() const override { return false; }
};

}  // namespace wandb::service

#endif  // WANDB_SERVICE_BACKEND_BACKEND_H_
