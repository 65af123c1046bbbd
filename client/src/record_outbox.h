// The client's hot path. log() hands a row to the outbox and returns; a background thread
// encodes queued rows to records, packs them into numbered batches and streams them to the
// daemon. The training thread never waits on the daemon, the disk or the encoder.
//
// The queue between log() and the thread holds rows and records as bytes (OutboxQueue) and is
// bounded (Options::queue_limit): past it, log() waits for the thread to drain it rather than
// let it grow (a burst of millions of rows would otherwise hold them all in memory); the
// waits are counted.
//
// The outbox also survives the daemon: it keeps the batches the daemon has not acknowledged
// as in its log (a ResendBuffer), and when the stream breaks it re-attaches the run to a new
// daemon (on its own thread, while log() goes on queueing) and sends them again.
#ifndef WANDB_CLIENT_SRC_RECORD_OUTBOX_H_
#define WANDB_CLIENT_SRC_RECORD_OUTBOX_H_

#include <atomic>
#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"
#include "client/src/media/media_resolver.h"
#include "client/src/outbox_queue.h"
#include "client/src/resend_buffer.h"
#include "client/src/service_connection.h"
#include "common/util/logger.h"
#include "wandb/records.pb.h"
#include "wandb/value.h"

namespace wandb::internal {

class RecordOutbox {
 public:
  // Records per batch, and the queue length at which log() wakes the thread early.
  static constexpr size_t kMaxBatchRecords = 2048;
  static constexpr size_t kMaxBatchBytes = 4 << 20;
  static constexpr size_t kWakeThreshold = 1024;
  static constexpr auto kPollInterval = std::chrono::milliseconds(5);
  // The summary key that counts the records a daemon crash lost (see docs/user-guide.md).
  static constexpr const char* kUndeliveredKey = "_undelivered_records";

  // A daemon that took the run over: its connection, and the last batch its log has whole.
  struct Attachment {
    std::shared_ptr<ServiceConnection> connection;
    uint64_t durable_seq = 0;
  };
  struct Options {
    size_t resend_buffer = 64 << 20;
    // Bytes of rows and records queued for the thread, those it is encoding included, beyond
    // which log() waits.
    size_t queue_limit = 4 << 20;
    // Back-pressure for media: Log() of a row with media waits while the media queued and
    // not yet written hold more than this many bytes (one row alone always gets in).
    size_t media_queue_bytes = size_t{256} << 20;
    // Re-attaches the run to a daemon, starting one when none answers. Empty: the outbox
    // gives up on a broken stream.
    std::function<absl::StatusOr<Attachment>()> reattach;
    // How long one re-attach keeps trying before the outbox gives up.
    std::chrono::milliseconds reattach_timeout{std::chrono::seconds(30)};
  };

  RecordOutbox(std::shared_ptr<ServiceConnection> connection, std::string run_id, Options options,
               Logger* debug_log);
  ~RecordOutbox();  // Close()s

  void Start();
  // Copies the call into the queue; the caller keeps (and frees) the map.
  // Where media values are written, and the step the run starts at (a resumed run's). Call
  // before the first Log() with media; `media` outlives the outbox.
  void SetMedia(MediaResolver* media, int64_t starting_step);
  // Copies the call into the queue; the caller keeps (and frees) the map. Sets the call's
  // media_step. A row with media also waits while the media queue is full (see Options).
  void Log(LogCall& call);
  void LogSummary(const SummaryCall& call);
  void Send(records::Record record);
  // Several records under one lock and one wake-up (the console's lines of one chunk).
  void Send(std::vector<records::Record> records);

  // Returns once everything queued before the call has been handed to gRPC; the result is
  // the sequence number of the last batch sent.
  uint64_t Flush();
  // Flushes, ends the stream and joins the thread. Idempotent.
  uint64_t Close();

  // The daemon's connection: a new one after a re-attach. Safe from any thread.
  std::shared_ptr<ServiceConnection> connection() const;
  // A call on `seen` failed as if its daemon were gone: re-attaches the run if the record
  // stream is broken too and nothing replaced `seen` yet, and waits for that. On the
  // calling thread once Close() has returned, else on the outbox's. True when connection()
  // is now another one than `seen`.
  bool Reconnect(const std::shared_ptr<ServiceConnection>& seen);

  // Records that could not be delivered: lost in a daemon crash (beyond the resend buffer),
  // or given up on when no daemon would take the run.
  int64_t undelivered() const { return undelivered_.load(); }
  // How many times the run was re-attached to a new daemon.
  int reattachments() const { return reattachments_.load(); }
  // How many log() calls waited for the queue to drain, and for how long in all.
  int64_t queue_waits() const { return queue_waits_.load(); }
  std::chrono::nanoseconds queue_wait_time() const {
    return std::chrono::nanoseconds(queue_wait_ns_.load());
  }

 private:
  // Waits until the queue is within its limit (or the outbox closes).
  void AwaitRoom() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  // The thread has encoded and freed items of `bytes`: callers waiting for room may go on.
  void Release(size_t bytes);
  // Waits for room in the media queue and takes `bytes` of it.
  void TakeMediaRoom(size_t bytes) ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  void ReleaseMediaRoom(size_t bytes);
  // Writes the call's media and appends the FilesRecord naming the files to `batch`.
  void WriteMedia(LogCall& call, service::RecordBatch* batch);
  void WriteMedia(SummaryCall& call, service::RecordBatch* batch);
  void AppendConfig(const std::vector<MediaContext::ConfigEntry>& entries,
                    service::RecordBatch* batch);
  void AppendRecords(const std::vector<records::Record>& records, service::RecordBatch* batch);
  void AppendFiles(const std::vector<std::string>& paths, service::RecordBatch* batch);
  void Loop();
  bool OpenStream();
  // Encodes the entries of `queue` into batches and sends them.
  void SendQueued(absl::string_view queue);
  void WriteBatch(service::PublishRequest& request);
  // Appends the call as a length-prefixed partial-history record to a batch's bytes.
  void Encode(const LogCall& call, std::string* out);
  // Ends the stream; false when it did not end cleanly (the daemon may lack batches).
  bool CloseStream();
  // Ends the stream, re-attaching and sending again (a few times) while it does not end
  // cleanly.
  void EndStream();
  // Cancels a stream that broke and forgets it.
  void AbandonStream();
  // Re-attaches the run to a daemon and sends every kept batch again; gives up (counting
  // what is lost) after reattach_timeout or a refusal.
  void Recover();
  // Recover(), then the loss it found, if any, reported to the new daemon.
  void RecoverAndReportLoss();
  // Brings the daemon up to date after Close(): re-attaches, sends again and ends the stream.
  void RecoverAndClose();
  // Sends the count of lost records as a summary record, once a daemon has the run again.
  void ReportLoss();
  bool StreamDead() const { return stream_ == nullptr || ack_reader_done_.load(); }
  // Waits until the stream has ended, at most `timeout`.
  void WaitStreamEnd(std::chrono::milliseconds timeout);

  mutable absl::Mutex conn_mu_;
  std::shared_ptr<ServiceConnection> connection_ ABSL_GUARDED_BY(conn_mu_);  // set by the thread
  const std::string run_id_;
  const Options options_;
  Logger* debug_log_;

  // Lock order: mu_ before conn_mu_.
  absl::Mutex mu_;
  absl::CondVar wake_;                            // the thread: work is waiting
  absl::CondVar progress_;                        // Flush(), Reconnect(): a round was sent
  absl::CondVar room_;                            // log(): the queue has room again
  std::string pending_ ABSL_GUARDED_BY(mu_);      // OutboxQueue entries
  MediaRefs pending_media_ ABSL_GUARDED_BY(mu_);  // the media values pending_ holds
  absl::CondVar media_room_;                      // Log(): media were written
  MediaResolver* media_ = nullptr;                // set before the first media
  int64_t media_step_ ABSL_GUARDED_BY(mu_) = 0;   // wandb's client-side step
  size_t media_queued_ ABSL_GUARDED_BY(mu_) = 0;  // bytes of media not yet written
  size_t pending_entries_ ABSL_GUARDED_BY(mu_) = 0;
  size_t queued_bytes_ ABSL_GUARDED_BY(mu_) = 0;  // of pending_ and the entries being sent
  int room_waiters_ ABSL_GUARDED_BY(mu_) = 0;
  uint64_t enqueued_ ABSL_GUARDED_BY(mu_) = 0;  // items ever queued
  uint64_t sent_ ABSL_GUARDED_BY(mu_) = 0;      // items ever sent (or given up on)
  uint64_t last_seq_ ABSL_GUARDED_BY(mu_) = 0;
  bool flush_requested_ ABSL_GUARDED_BY(mu_) = false;
  bool closing_ ABSL_GUARDED_BY(mu_) = false;
  bool closed_ ABSL_GUARDED_BY(mu_) = false;  // the thread has ended
  // Reconnect(): the connection it saw fail, and how many requests were served.
  std::shared_ptr<ServiceConnection> reconnect_from_ ABSL_GUARDED_BY(mu_);
  uint64_t reconnects_asked_ ABSL_GUARDED_BY(mu_) = 0;
  uint64_t reconnects_done_ ABSL_GUARDED_BY(mu_) = 0;
  std::thread thread_;

  // Owned by the outbox thread (by the caller of RecoverAndClose() after it).
  std::unique_ptr<grpc::ClientContext> context_;
  std::unique_ptr<grpc::ClientReaderWriter<service::PublishRequest, service::PublishResponse>>
      stream_;
  std::thread ack_reader_;
  std::atomic<bool> ack_reader_done_{false};
  bool broken_ = false;  // given up: nothing more reaches a daemon
  bool loss_to_report_ = false;
  uint64_t next_seq_ = 1;
  ResendBuffer resend_;
  std::string taken_;       // the entries of the round being sent; capacity kept
  MediaRefs taken_media_;   // the media values taken_ holds
  SummaryCall summary_;     // a summary call being written
  LogCall call_;            // the call being encoded; its map's capacity kept
  std::string items_;       // scratch for Encode(), reused from row to row
  std::string value_json_;  // likewise

  std::atomic<int64_t> undelivered_{0};
  std::atomic<uint64_t> durable_seq_{0};  // the daemon's latest acknowledgement
  std::atomic<int> reattachments_{0};
  std::atomic<int64_t> queue_waits_{0};
  std::atomic<int64_t> queue_wait_ns_{0};
};

}  // namespace wandb::internal

#endif  // WANDB_CLIENT_SRC_RECORD_OUTBOX_H_
