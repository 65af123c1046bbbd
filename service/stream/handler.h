// The stream's first stage: applies wandb's rules to what the client sent. It assigns
// _step, _runtime and _timestamp to history rows, keeps the consolidated summary and config,
// answers queries, and runs the finish sequence. It never blocks on I/O: everything to
// persist goes to the writer.
#ifndef WANDB_SERVICE_STREAM_HANDLER_H_
#define WANDB_SERVICE_STREAM_HANDLER_H_

#include <atomic>
#include <memory>
#include <thread>

#include <google/protobuf/arena.h>
#include <vector>

#include "absl/time/time.h"
#include "common/ipc/history_wire.h"
#include "common/util/logger.h"
#include "common/util/work_queue.h"
#include "service/state/config_state.h"
#include "service/state/sampled_history.h"
#include "service/state/summary_state.h"
#include "service/stream/history_accumulator.h"
#include "service/stream/stream_items.h"
#include "service/stream/telemetry_state.h"
#include "service/stream/writer.h"

namespace wandb::service {

class Handler {
 public:
  // How often wandb-summary.json and config.yaml are rewritten while the run is live.
  static constexpr absl::Duration kFileRefreshInterval = absl::Seconds(1);

  // A re-attached run: `rows` rows are in the log already (`sampled`, their sampled history),
  // and so are the first `skip` entries of batch `seq`.
  struct Resumed {
    int64_t rows = 0;
    SampledHistory sampled;
    uint64_t seq = 0;
    uint64_t skip = 0;
  };
  struct Options {
    records::RunRecord run;
    Writer* writer = nullptr;     // must outlive the handler
    Logger* debug_log = nullptr;  // likewise
    std::optional<Resumed> resumed;
  };

  explicit Handler(Options options);
  ~Handler();  // joins

  void Start();
  // False once the run has finished: the item was not taken.
  bool Submit(HandlerItem item) { return queue_.Push(std::move(item)); }

  // Safe from any thread (`wandb-cpp status` reads it while the run is live).
  int64_t rows_emitted() const { return rows_.load(std::memory_order_relaxed); }

 private:
  void Loop();
  void Handle(HandlerItem& item);
  void HandleBatch(const DecodedBatch& batch);
  void HandleRecord(records::Record& record);
  void HandleHistory(const history_wire::PartialHistoryView& call);
  void HandleTelemetry(const records::TelemetryRecord& telemetry);
  // Counts a client record the handler does not take, and says why in the run's debug log;
  // finish reports the count and the first reason to the client.
  void Refuse(absl::string_view what, const absl::Status& why);
  // Serializes a completed row straight into the log's bytes, with _step, _runtime and
  // _timestamp, and updates the summary and the sampled history from it.
  void EmitRow(int64_t step, const std::vector<history_wire::ItemView>& items);
  // The bytes of the EncodedRecords at the end of out_, started if need be, so rows keep
  // their order with the other items.
  std::string* EncodedOut();
  void HandleFinish(FinishRequest& finish);
  // Records are allocated on one arena per pass of the loop: a row then costs a few pointer
  // bumps instead of dozens of mallocs, and the whole pass is freed at once.
  google::protobuf::Arena* PassArena();
  records::Record* NewRecord();
  void Persist(records::Record* record);
  void RefreshFiles(bool force);

  double start_seconds_;
  Writer* writer_;
  Logger* debug_log_;
  WorkQueue<HandlerItem> queue_;
  std::thread thread_;

  HistoryAccumulator history_;
  SummaryState summary_;
  ConfigState config_;
  SampledHistory sampled_;
  TelemetryState telemetry_;
  Value wandb_meta_;
  std::atomic<int64_t> rows_{0};
  int64_t rejected_ = 0;
  std::string first_refusal_;  // why the first rejected record was refused
  uint64_t skip_seq_ = 0;      // see Resumed
  uint64_t skip_entries_ = 0;
  bool finished_ = false;
  bool summary_dirty_ = false;
  bool config_dirty_ = false;
  absl::Time last_refresh_ = absl::InfinitePast();
  std::shared_ptr<google::protobuf::Arena> arena_;
  std::vector<WriterItem> out_;
  // Scratch buffers, reused from row to row.
  history_wire::PartialHistoryView call_;    // a log() call that came as a message
  std::vector<history_wire::ItemView> row_;  // the row as written, _step and all
  std::string row_bytes_;                    // its items, serialized
  char step_json_[24];
  std::string runtime_json_;
  std::string timestamp_json_;
};

}  // namespace wandb::service

#endif  // WANDB_SERVICE_STREAM_HANDLER_H_
