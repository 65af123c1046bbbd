// What the stages of a run's stream hand each other: handler -> writer -> sender.
#ifndef WANDB_SERVICE_STREAM_STREAM_ITEMS_H_
#define WANDB_SERVICE_STREAM_STREAM_ITEMS_H_

#include <cstdint>
#include <future>
#include <memory>
#include <optional>
#include <string>
#include <variant>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "service/backend/run_end.h"
#include "service/stream/batch_decoder.h"
#include "wandb/records.pb.h"
#include "wandb/service.pb.h"

namespace wandb::service {

using FinishPromise = std::promise<absl::StatusOr<FinishRunResponse>>;

// --- into the handler ---------------------------------------------------------------------
struct IncomingBatch {
  std::unique_ptr<DecodedBatch> batch;
};
struct SummaryQuery {
  std::shared_ptr<std::promise<GetSummaryResponse>> reply;
};
struct SampledHistoryQuery {
  std::shared_ptr<std::promise<SampledHistoryResponse>> reply;
};
struct FinishRequest {
  RunEnd end;  // decided by Stream::Finish
  std::shared_ptr<FinishPromise> reply;
  absl::Time deadline = absl::InfiniteFuture();  // for the backend to have everything
  // The system-metrics thread's last record; written right after the exit record, where
  // wandb's FLUSH_STATS puts it.
  std::optional<records::StatsRecord> final_stats;
};
// An averaged sample from the run's system-metrics thread, to persist.
struct SystemStats {
  records::StatsRecord stats;
};
using HandlerItem =
    std::variant<IncomingBatch, SummaryQuery, SampledHistoryQuery, FinishRequest, SystemStats>;

// --- into the writer ----------------------------------------------------------------------
using SharedRecord = std::shared_ptr<const records::Record>;

// The first item: the run's opening records (header, run, telemetry). What the daemon probes
// about the program comes later, from the MetadataProbe.
struct OpenRun {
  records::RunRecord run;
};
struct PersistRecord {
  SharedRecord record;
};
// Records the handler serialized itself (history rows, the hot path), each prefixed with its
// length as in a RecordBatch.
struct EncodedRecords {
  std::string bytes;
};
// Every record of batch `seq` is before this marker; once written, the batch is durable.
struct BatchHandled {
  uint64_t seq = 0;
};
// A safe cut point of the log (see log_cut_file.h): the handler holds no pending row, every
// batch before `next_seq` and the first `skip` entries of batch `next_seq` are before this
// marker, and nothing after them is.
struct CleanPoint {
  uint64_t next_seq = 1;
  uint64_t skip = 0;
};
// A file under files/, replaced atomically.
struct WriteRunFile {
  std::string name;
  std::string contents;
};
struct CloseLog {
  RunEnd end;
  FinishRunResponse response;
  std::shared_ptr<FinishPromise> reply;
  absl::Time deadline = absl::InfiniteFuture();
};
using WriterItem = std::variant<OpenRun, PersistRecord, EncodedRecords, BatchHandled, CleanPoint,
                                WriteRunFile, CloseLog>;

// --- into the sender ----------------------------------------------------------------------
struct SendFinish {
  RunEnd end;
  FinishRunResponse response;
  std::shared_ptr<FinishPromise> reply;
  absl::Status writer_status;
  absl::Time deadline = absl::InfiniteFuture();
};
// The writer has appended to the log: the sender reads on.
struct LogAdvanced {};
using SenderItem = std::variant<LogAdvanced, SendFinish>;

}  // namespace wandb::service

#endif  // WANDB_SERVICE_STREAM_STREAM_ITEMS_H_
