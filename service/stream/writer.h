// The stream's write-ahead stage: appends every persisted record to the transaction log
// before the sender sees it, and writes the run directory's files. It only writes: what is
// probed or computed reaches it ready to write (the handler's records, the MetadataProbe's
// files), so nothing delays a batch on its way into the log.
#ifndef WANDB_SERVICE_STREAM_WRITER_H_
#define WANDB_SERVICE_STREAM_WRITER_H_

#include <memory>
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
  Writer(RunDirectory dir, std::unique_ptr<txlog::LogWriter> log, Sender* sender,
         Logger* debug_log);
  ~Writer();  // joins

  // fsync the log at the end of every pass, before the batches in it count as durable.
  void set_fsync_batches(bool fsync) { fsync_batches_ = fsync; }

  void Start();
  void Submit(std::vector<WriterItem>* items) { queue_.PushAll(items); }

  // Highest batch sequence number whose records have all been handed to the OS.
  uint64_t durable_seq() const;
  // Waits until durable_seq() >= seq or `timeout` passes; true when it got there.
  bool WaitDurable(uint64_t seq, absl::Duration timeout);

  // Keeps the log's latest safe cut point in `file` after every pass. `resumed`: where a
  // re-attached run's log was cut back to; it goes on from there. Before Start().
  void set_log_cut(std::unique_ptr<LogCutFile> file, std::optional<LogCut> resumed);
  // The last batch wholly in the log before its latest recorded cut point: a client may
  // forget it and every batch before it.
  uint64_t resumable_seq() const;

 private:
  void Loop();
  void Handle(WriterItem& item, std::vector<SenderItem>* to_send);
  void Open(OpenRun& open);
  void Persist(const SharedRecord& record);
  void Persist(const EncodedRecords& records);
  void WriteFile(const WriteRunFile& file);
  void Close(CloseLog& close, std::vector<SenderItem>* to_send);
  void NoteError(const absl::Status& status);
  void WriteCut();

  RunDirectory dir_;
  std::unique_ptr<txlog::LogWriter> log_;
  bool fsync_batches_ = false;
  Sender* sender_;
  Logger* debug_log_;
  WorkQueue<WriterItem> queue_;
  std::thread thread_;
  void PublishDurable();

  mutable absl::Mutex durable_mu_;
  uint64_t durable_seq_ ABSL_GUARDED_BY(durable_mu_) = 0;
  uint64_t resumable_seq_ ABSL_GUARDED_BY(durable_mu_) = 0;
  uint64_t pending_seq_ = 0;
  std::unique_ptr<LogCutFile> cut_file_;
  std::optional<LogCut> cut_;  // the latest cut point seen
  LogCut written_cut_;         // the one in cut_file_
  std::string serialized_;
  absl::Status first_error_;
};

}  // namespace wandb::service

#endif  // WANDB_SERVICE_STREAM_WRITER_H_
