// The client's hot path. log() hands a row to the outbox and returns; a background thread
// encodes queued rows to records, packs them into numbered batches and streams them to the
// daemon. The training thread never waits on the daemon, the disk or the encoder.
#ifndef WANDB_CLIENT_SRC_RECORD_OUTBOX_H_
#define WANDB_CLIENT_SRC_RECORD_OUTBOX_H_

#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <variant>
#include <vector>

#include "client/src/service_connection.h"
#include "common/util/logger.h"
#include "wandb/records.pb.h"
#include "wandb/value.h"

namespace wandb::internal {

// One log() call, as the user gave it; encoded on the outbox thread.
struct LogCall {
  Value::Map data;
  std::optional<int64_t> step;
  bool flush = true;
  double timestamp = 0;  // seconds since the epoch, taken in log()
};

class RecordOutbox {
 public:
  // Records per batch, and the queue length at which log() wakes the thread early.
  static constexpr size_t kMaxBatchRecords = 2048;
  static constexpr size_t kMaxBatchBytes = 4 << 20;
  static constexpr size_t kWakeThreshold = 1024;
  static constexpr auto kPollInterval = std::chrono::milliseconds(5);

  RecordOutbox(std::shared_ptr<ServiceConnection> connection, std::string run_id,
               Logger* debug_log);
  ~RecordOutbox();  // Close()s

  void Start();
  void Log(LogCall call);
  void Send(records::Record record);

  // Returns once everything queued before the call has been handed to gRPC; the result is
  // the sequence number of the last batch sent.
  uint64_t Flush();
  // Flushes, ends the stream and joins the thread. Idempotent.
  uint64_t Close();

  // Rows and records that could not be delivered (the daemon went away).
  int64_t undelivered() const { return undelivered_.load(); }
  uint64_t durable_seq() const { return durable_seq_.load(); }

 private:
  using Item = std::variant<LogCall, records::Record>;

  void Loop();
  void OpenStream();
  void SendItems(std::vector<Item>& items);
  void WriteBatch(service::PublishRequest& request);
  // Appends the call as a length-prefixed partial-history record to a batch's bytes.
  void Encode(const LogCall& call, std::string* out);
  void CloseStream();

  std::shared_ptr<ServiceConnection> connection_;
  const std::string run_id_;
  Logger* debug_log_;

  std::mutex mu_;
  std::condition_variable wake_;      // the thread: work is waiting
  std::condition_variable progress_;  // Flush(): a round was sent
  std::vector<Item> pending_;         // guarded by mu_
  uint64_t enqueued_ = 0;             // items ever queued; guarded by mu_
  uint64_t sent_ = 0;                 // items ever sent (or given up on); guarded by mu_
  uint64_t last_seq_ = 0;             // guarded by mu_
  bool flush_requested_ = false;      // guarded by mu_
  bool closing_ = false;              // guarded by mu_
  std::thread thread_;

  // Owned by the outbox thread.
  std::unique_ptr<grpc::ClientContext> context_;
  std::unique_ptr<grpc::ClientReaderWriter<service::PublishRequest, service::PublishResponse>>
      stream_;
  std::thread ack_reader_;
  bool broken_ = false;
  uint64_t next_seq_ = 1;
  std::string items_;       // scratch for Encode(), reused from row to row
  std::string value_json_;  // likewise

  std::atomic<int64_t> undelivered_{0};
  std::atomic<uint64_t> durable_seq_{0};
};

}  // namespace wandb::internal

#endif  // WANDB_CLIENT_SRC_RECORD_OUTBOX_H_
