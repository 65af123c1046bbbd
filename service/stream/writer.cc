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

Writer::Writer(Options options)
    : dir_(std::move(options.dir)),
      log_(std::move(options.log)),
      fsync_batches_(options.fsync_batches),
      sender_(options.sender),
      debug_log_(options.debug_log),
      cut_file_(std::move(options.cut_file)) {
  if (options.resumed.has_value()) {
    cut_ = written_cut_ = *options.resumed;
    pending_seq_ = options.resumed->whole_seq();
    PublishDurable();
  }
}

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
  for (;;) {
    if (!Blocked()) {
      // While the log is failing, wake up to retry even when nothing arrives.
      const bool open = stalled_since_.has_value() ? queue_.PopAllFor(&items, kRetryInterval)
                                                   : queue_.PopAll(&items);
      if (!open && backlog_.empty()) return;
      for (WriterItem& item : items) backlog_.push_back(std::move(item));
    } else {
      absl::SleepFor(kRetryInterval);
    }
    // The sender reads the log back (offline runs have nothing to send). It is told once the
    // pass's bytes are written below.
    if (sender_->wants_data()) to_send.emplace_back(LogAdvanced{});
    HandleBacklog(&to_send);
    // One write(2) per wake-up, not per record: the OS gets every batch at once.
    if (log_ != nullptr && WriteOut()) WriteCut();  // never a cut beyond what the log holds
    PublishDurable();
    if (!to_send.empty()) sender_->Submit(&to_send);
  }
}

void Writer::HandleBacklog(std::vector<SenderItem>* to_send) {
  // Past the deadline of a finish that waits behind a full disk, everything is handled: what
  // the log cannot take is then reported lost rather than waited for.
  const bool overdue = CloseOverdue();
  while (!backlog_.empty() && (overdue || !Blocked())) {
    WriterItem item = std::move(backlog_.front());
    backlog_.pop_front();
    Handle(item, to_send);
  }
}

bool Writer::Blocked() const {
  return log_ != nullptr && !log_->write_error().ok() && log_->held() >= kHoldBytes;
}

bool Writer::CloseOverdue() const {
  const absl::Time now = absl::Now();
  for (const WriterItem& item : backlog_) {
    if (const auto* close = std::get_if<CloseLog>(&item)) {
      return now >= std::min(close->deadline, *stalled_since_ + kMaxCloseWait);
    }
  }
  return false;
}

bool Writer::WriteOut() {
  absl::Status written = fsync_batches_ ? log_->Sync() : log_->Flush();
  for (auto it = unwritten_files_.begin(); written.ok() && it != unwritten_files_.end();) {
    written = WriteFileAtomically(dir_.files_dir + "/" + it->first, it->second);
    if (written.ok()) it = unwritten_files_.erase(it);
  }
  if (written.ok()) {
    NoteResumed();
    return true;
  }
  NoteStall(written);
  return false;
}

void Writer::NoteStall(const absl::Status& status) {
  const std::string problem =
      absl::StrCat(status.message(), "; holding ", log_->held(), " bytes of records, retrying");
  if (!stalled_since_.has_value()) {
    stalled_since_ = absl::Now();
    debug_log_->Error("writer: the run's log cannot be written: %s", problem);
  }
  absl::MutexLock lock(&problem_mu_);
  problem_ = problem;
}

void Writer::NoteResumed() {
  if (!stalled_since_.has_value()) return;
  debug_log_->Warning("writer: the run's log is written again after %s; nothing was lost",
                      absl::FormatDuration(absl::Now() - *stalled_since_));
  stalled_since_.reset();
  absl::MutexLock lock(&problem_mu_);
  problem_.clear();
}

std::string Writer::problem() const {
  absl::MutexLock lock(&problem_mu_);
  return problem_;
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

bool Writer::WaitTaken(uint64_t seq, absl::Duration timeout) {
  absl::MutexLock lock(&durable_mu_);
  auto reached = [this, seq]()
                     ABSL_EXCLUSIVE_LOCKS_REQUIRED(durable_mu_) { return taken_seq_ >= seq; };
  return durable_mu_.AwaitWithTimeout(absl::Condition(&reached), timeout);
}

void Writer::PublishDurable() {
  absl::MutexLock lock(&durable_mu_);
  taken_seq_ = pending_seq_;
  // A batch is durable once its records are written, not while the log holds them.
  const bool all_written = log_ != nullptr ? log_->held() == 0 : !lost_at_close_;
  if (all_written) durable_seq_ = pending_seq_;
  resumable_seq_ = written_cut_.whole_seq();
}

uint64_t Writer::resumable_seq() const {
  absl::MutexLock lock(&durable_mu_);
  return resumable_seq_;
}

void Writer::WriteCut() {
  if (cut_file_ == nullptr || !cut_.has_value() || *cut_ == written_cut_) return;
  absl::Status s = cut_file_->Write(*cut_, fsync_batches_);
  // The cut only lags (a re-attach would need more resent) until it can be written again.
  if (!s.ok() && !cut_failing_) debug_log_->Warning("writer: %s", s.ToString());
  cut_failing_ = !s.ok();
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
  // After a failure the file is written again with the log (its latest contents win).
  if (!stalled_since_.has_value() &&
      WriteFileAtomically(dir_.files_dir + "/" + file.name, file.contents).ok()) {
    unwritten_files_.erase(file.name);
    return;
  }
  unwritten_files_[file.name] = file.contents;
}

void Writer::Close(CloseLog& close, std::vector<SenderItem>* to_send) {
  if (log_ != nullptr) {
    // A full disk may yet clear: the finish waits for its deadline (kMaxCloseWait at most).
    const absl::Time give_up = std::min(close.deadline, absl::Now() + kMaxCloseWait);
    while (!WriteOut() && absl::Now() + kRetryInterval < give_up) absl::SleepFor(kRetryInterval);
    // Handing the bytes to the OS is the default durability, as in wandb: an fsync here cost
    // finish() ~30 ms per 40 MB of log. (A durability setting that fsyncs is planned.)
    lost_at_close_ = log_->held() > 0;
    NoteError(log_->Close());
    log_.reset();
  }
  for (const auto& [name, contents] : unwritten_files_) {
    NoteError(absl::DataLossError(absl::StrCat("cannot write ", dir_.files_dir, "/", name)));
  }
  PublishDurable();
  to_send->push_back(
      SendFinish{close.end, std::move(close.response), close.reply, first_error_, close.deadline});
  queue_.Close();
}

void Writer::NoteError(const absl::Status& status) {
  if (status.ok()) return;
  // What is lost for good (a write that failed is retried and is no error yet): the first
  // such failure is the finish's answer.
  if (first_error_.ok()) {
    first_error_ = status;
    debug_log_->Error("writer: %s", status.ToString());
  }
}

}  // namespace wandb::service
