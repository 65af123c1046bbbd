#include "service/stream/writer.h"

#include <filesystem>

#include "absl/strings/str_cat.h"
#include "absl/time/time.h"
#include "common/ipc/record_batch_codec.h"

namespace wandb::service {
namespace {

SharedRecord MakeRecord(auto fill) {
  auto record = std::make_shared<records::Record>();
  fill(*record);
  return record;
}

}  // namespace

Writer::Writer(RunDirectory dir, std::unique_ptr<txlog::LogWriter> log, Sender* sender,
               Logger* debug_log)
    : dir_(std::move(dir)), log_(std::move(log)), sender_(sender), debug_log_(debug_log) {}

Writer::~Writer() {
  queue_.Close();
  if (thread_.joinable()) thread_.join();
}

void Writer::Start() {
  thread_ = std::thread([this] { Loop(); });
}

void Writer::Loop() {
  std::vector<WriterItem> items;
  std::vector<SenderItem> to_send;
  while (queue_.PopAll(&items)) {
    // The sender reads the log back (offline runs have nothing to send). It is told once the
    // pass's bytes are flushed below.
    if (sender_->wants_data()) to_send.emplace_back(LogAdvanced{});
    for (WriterItem& item : items) Handle(item, &to_send);
    // One write(2) per wake-up, not per record: the OS gets every batch at once.
    if (log_ != nullptr) {
      absl::Status written = fsync_batches_ ? log_->Sync() : log_->Flush();
      NoteError(written);
      if (written.ok()) WriteCut();  // never a cut beyond what the log holds
    }
    PublishDurable();
    if (!to_send.empty()) sender_->Submit(&to_send);
  }
}

uint64_t Writer::durable_seq() const {
  absl::MutexLock lock(&durable_mu_);
  return durable_seq_;
}

bool Writer::WaitDurable(uint64_t seq, absl::Duration timeout) {
  absl::MutexLock lock(&durable_mu_);
  auto reached = [this, seq]()
                     ABSL_EXCLUSIVE_LOCKS_REQUIRED(durable_mu_) { return durable_seq_ >= seq; };
  return durable_mu_.AwaitWithTimeout(absl::Condition(&reached), timeout);
}

void Writer::PublishDurable() {
  absl::MutexLock lock(&durable_mu_);
  durable_seq_ = pending_seq_;
  resumable_seq_ = written_cut_.whole_seq();
}

void Writer::set_log_cut(std::unique_ptr<LogCutFile> file, std::optional<LogCut> resumed) {
  cut_file_ = std::move(file);
  if (!resumed.has_value()) return;
  cut_ = written_cut_ = *resumed;
  pending_seq_ = resumed->whole_seq();
  PublishDurable();
}

uint64_t Writer::resumable_seq() const {
  absl::MutexLock lock(&durable_mu_);
  return resumable_seq_;
}

void Writer::WriteCut() {
  if (cut_file_ == nullptr || !cut_.has_value() || *cut_ == written_cut_) return;
  absl::Status s = cut_file_->Write(*cut_, fsync_batches_);
  NoteError(s);
  if (s.ok()) written_cut_ = *cut_;
}

void Writer::Handle(WriterItem& item, std::vector<SenderItem>* to_send) {
  if (auto* open = std::get_if<OpenRun>(&item)) {
    Open(*open);
    if (log_ != nullptr) cut_ = LogCut{.next_seq = 1, .skip = 0, .offset = log_->size()};
  } else if (auto* persist = std::get_if<PersistRecord>(&item)) {
    Persist(persist->record);
  } else if (auto* encoded = std::get_if<EncodedRecords>(&item)) {
    Persist(*encoded);
  } else if (auto* handled = std::get_if<BatchHandled>(&item)) {
    pending_seq_ = handled->seq;
  } else if (auto* clean = std::get_if<CleanPoint>(&item)) {
    if (log_ != nullptr) cut_ = LogCut{clean->next_seq, clean->skip, log_->size()};
  } else if (auto* file = std::get_if<WriteRunFile>(&item)) {
    WriteFile(*file);
  } else {
    Close(std::get<CloseLog>(item), to_send);
  }
}

void Writer::Open(OpenRun& open) {
  Persist(MakeRecord([](records::Record& r) { r.mutable_header(); }));
  Persist(MakeRecord([&](records::Record& r) { *r.mutable_run() = open.run; }));
  Persist(MakeRecord([](records::Record& r) {
    r.mutable_telemetry()->set_cli_version(absl::StrCat("wandb-cpp ", WANDB_CPP_VERSION));
  }));
}

void Writer::Persist(const SharedRecord& record) {
  if (log_ != nullptr) {
    record->SerializeToString(&serialized_);  // reuses the buffer's capacity
    NoteError(log_->Append(serialized_));
  }
}

void Writer::Persist(const EncodedRecords& records) {
  if (log_ != nullptr) {
    RecordBatchReader reader(records.bytes);
    absl::string_view record;
    while (reader.NextBytes(&record)) {
      NoteError(log_->Append(std::string_view(record.data(), record.size())));
    }
  }
}

void Writer::WriteFile(const WriteRunFile& file) {
  NoteError(WriteFileAtomically(dir_.files_dir + "/" + file.name, file.contents));
}

void Writer::Close(CloseLog& close, std::vector<SenderItem>* to_send) {
  if (log_ != nullptr) {
    // Handing the bytes to the OS is the default durability, as in wandb: an fsync here cost
    // finish() ~30 ms per 40 MB of log. (A durability setting that fsyncs is planned.)
    NoteError(log_->Close());
    log_.reset();
  }
  PublishDurable();
  to_send->push_back(
      SendFinish{close.end, std::move(close.response), close.reply, first_error_, close.deadline});
  queue_.Close();
}

void Writer::NoteError(const absl::Status& status) {
  if (status.ok()) return;
  // Report the first failure (a full disk repeats itself); keep going so later records still
  // have their chance once space returns.
  if (first_error_.ok()) {
    first_error_ = status;
    debug_log_->Error("writer: %s", status.ToString());
  }
}

}  // namespace wandb::service
