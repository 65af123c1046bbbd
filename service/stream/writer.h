// The stream's write-ahead stage: appends every persisted record to the transaction log
// before the sender sees it, and writes the run directory's files. It only writes: what is
// probed or computed reaches it ready to write (the handler's records, the MetadataProbe's
// files), so nothing delays a batch on its way into the log.
//
// A full disk or an I/O error stops nothing: the log writer holds what it could not write and
// the writer retries every kRetryInterval, so the log goes on, whole, once space returns.
// Batches count as durable only once written; past kHoldBytes held the writer takes no more
// items, and the clients' resend buffers hold the rest (Stream::Publish waits on
// durable_seq()). The problem is published (problem(), for the client's status polls) and
// recorded in the run's debug log, as is the recovery.
#ifndef WANDB_SERVICE_STREAM_WRITER_H_
#define WANDB_SERVICE_STREAM_WRITER_H_

#include <deque>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <thread>

#include "common/run/run_directory.h"
#include "common/txlog/log_writer.h"
#include "common/util/logger.h"
#include "common/util/work_queue.h"
#include "service/replay/log_cut_file.h"
#include "service/stream/sender.h"
#include "service/stream/stream_items.h"

namespace wandb::service {

class Writer {
 public:
  static constexpr absl::Duration kRetryInterval = absl::Milliseconds(250);
  // What the log writer may hold unwritten before the writer stops taking items.
  static constexpr size_t kHoldBytes = 32 << 20;
  // How long a finish waits at most for a failing log to take its last records.
  static constexpr absl::Duration kMaxCloseWait = absl::Minutes(2);

  struct Options {
    RunDirectory dir;
    std::unique_ptr<txlog::LogWriter> log;
    Sender* sender = nullptr;     // must outlive the writer
    Logger* debug_log = nullptr;  // likewise
    // fsync the log at the end of every pass, before the batches in it count as durable.
    bool fsync_batches = false;
    // Where the log's latest safe cut point is kept after every pass; null: nowhere.
    std::unique_ptr<LogCutFile> cut_file;
    // A re-attached run: where its log was cut back to; the writer goes on from there.
    std::optional<LogCut> resumed;
  };

  explicit Writer(Options options);
  ~Writer();  // joins

  void Start();
  void Submit(std::vector<WriterItem>* items) { queue_.PushAll(items); }

  // Highest batch sequence number whose records have all been handed to the OS.
  uint64_t durable_seq() const;
  // Waits until durable_seq() >= seq or `timeout` passes; true when it got there.
  bool WaitDurable(uint64_t seq, absl::Duration timeout);
  // The same for the batches the writer has taken: written, or held while the log cannot be
  // written (until it holds kHoldBytes). What the stream's backpressure waits for.
  bool WaitTaken(uint64_t seq, absl::Duration timeout);

  // The last batch wholly in the log before its latest recorded cut point: a client may
  // forget it and every batch before it.
  uint64_t resumable_seq() const;
  // Why the log cannot be written right now; empty when it can.
  std::string problem() const;

 private:
  void Loop();
  // Handles queued items in order, until the log holds kHoldBytes it cannot write.
  void HandleBacklog(std::vector<SenderItem>* to_send);
  bool Blocked() const;
  bool CloseOverdue() const;
  void Handle(WriterItem& item, std::vector<SenderItem>* to_send);
  // Writes what the log holds (and run files that failed before); true when all is written.
  bool WriteOut();
  void NoteStall(const absl::Status& status);
  void NoteResumed();
  void Open(OpenRun& open);
  void Persist(const SharedRecord& record);
  void Persist(const EncodedRecords& records);
  void WriteFile(const WriteRunFile& file);
  void Close(CloseLog& close, std::vector<SenderItem>* to_send);
  void NoteError(const absl::Status& status);
  void WriteCut();

  RunDirectory dir_;
  std::unique_ptr<txlog::LogWriter> log_;
  const bool fsync_batches_;
  Sender* sender_;
  Logger* debug_log_;
  WorkQueue<WriterItem> queue_;
  std::thread thread_;
  void PublishDurable();

  mutable absl::Mutex durable_mu_;
  uint64_t durable_seq_ ABSL_GUARDED_BY(durable_mu_) = 0;
  uint64_t taken_seq_ ABSL_GUARDED_BY(durable_mu_) = 0;
  uint64_t resumable_seq_ ABSL_GUARDED_BY(durable_mu_) = 0;
  uint64_t pending_seq_ = 0;
  std::unique_ptr<LogCutFile> cut_file_;
  std::optional<LogCut> cut_;  // the latest cut point seen
  LogCut written_cut_;         // the one in cut_file_
  bool cut_failing_ = false;
  bool lost_at_close_ = false;  // the log closed with records it could not write
  std::string serialized_;
  absl::Status first_error_;        // what could not be written in the end, for the finish
  std::deque<WriterItem> backlog_;  // taken from queue_, not yet handled
  std::map<std::string, std::string> unwritten_files_;  // run files to write again
  std::optional<absl::Time> stalled_since_;
  mutable absl::Mutex problem_mu_;
  std::string problem_ ABSL_GUARDED_BY(problem_mu_);
};

}  // namespace wandb::service

#endif  // WANDB_SERVICE_STREAM_WRITER_H_
