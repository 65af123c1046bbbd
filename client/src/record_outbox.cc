#include "client/src/record_outbox.h"

#include <algorithm>
#include <utility>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "common/ipc/history_wire.h"
#include "common/ipc/record_batch_codec.h"
#include "common/protocol.h"
#include "common/value/json.h"

namespace wandb::internal {
namespace {

constexpr auto kFirstBackoff = std::chrono::milliseconds(20);
constexpr auto kMaxBackoff = std::chrono::seconds(1);
// How many times finishing a run re-attaches it when the stream does not end cleanly.
constexpr int kCloseAttempts = 3;
// How long a failed call's Reconnect() waits for the record stream to end too.
constexpr auto kStreamEndWait = std::chrono::seconds(1);

// A refusal that trying again will not change (the run has finished, or is live elsewhere).
bool Permanent(const absl::Status& s) {
  return absl::IsFailedPrecondition(s) || absl::IsInvalidArgument(s) || absl::IsAlreadyExists(s) ||
         absl::IsNotFound(s) || absl::IsPermissionDenied(s) || absl::IsUnimplemented(s);
}

}  // namespace

RecordOutbox::RecordOutbox(std::shared_ptr<ServiceConnection> connection, std::string run_id,
                           Options options, Logger* debug_log)
    : connection_(std::move(connection)),
      run_id_(std::move(run_id)),
      options_(std::move(options)),
      debug_log_(debug_log),
      resend_(options_.resend_buffer) {}

RecordOutbox::~RecordOutbox() { Close(); }

void RecordOutbox::Start() {
  thread_ = std::thread([this] { Loop(); });
}

void RecordOutbox::SetMedia(MediaResolver* media, int64_t starting_step) {
  absl::MutexLock lock(&mu_);
  media_ = media;
  media_step_ = starting_step;
}

void RecordOutbox::TakeMediaRoom(size_t bytes) {
  if (bytes == 0) return;
  while (!closing_ && media_queued_ > 0 && media_queued_ + bytes > options_.media_queue_bytes) {
    media_room_.Wait(&mu_);
  }
  if (!closing_) media_queued_ += bytes;  // a closed outbox takes nothing more
}

void RecordOutbox::ReleaseMediaRoom(size_t bytes) {
  if (bytes == 0) return;
  {
    absl::MutexLock lock(&mu_);
    media_queued_ -= bytes;
  }
  media_room_.SignalAll();
}

void RecordOutbox::Log(LogCall& call) {
  bool wake;
  {
    absl::MutexLock lock(&mu_);
    TakeMediaRoom(call.media_bytes);
    if (closing_) {
      undelivered_.fetch_add(1);
      return;
    }
    // wandb's client names a row's media files by its own step counter: the step before this
    // call; a higher explicit step moves it, and a call that commits the row advances it.
    call.media_step = media_step_;
    if (call.step.has_value() && *call.step > media_step_) media_step_ = *call.step;
    if (call.flush) ++media_step_;
    size_t before = pending_.size();
    AppendLogCall(call, &pending_, &pending_media_);
    queued_bytes_ += pending_.size() - before;
    ++enqueued_;
    // Waking the thread costs a system call, so log() does it only once per full batch (or
    // for media, whose writing should start at once); otherwise the thread picks rows up on
    // its next poll.
    wake = ++pending_entries_ == kWakeThreshold || call.has_media;
    if (queued_bytes_ > options_.queue_limit) AwaitRoom();
  }
  if (wake) wake_.Signal();
}

void RecordOutbox::LogSummary(const SummaryCall& call) {
  {
    absl::MutexLock lock(&mu_);
    TakeMediaRoom(call.media_bytes);
    if (closing_) {
      undelivered_.fetch_add(1);
      return;
    }
    size_t before = pending_.size();
    AppendSummaryCall(call, &pending_, &pending_media_);
    queued_bytes_ += pending_.size() - before;
    ++pending_entries_;
    ++enqueued_;
  }
  wake_.Signal();
}

void RecordOutbox::AwaitRoom() {
  auto start = std::chrono::steady_clock::now();
  ++room_waiters_;
  wake_.Signal();  // drain now, not at the next poll
  while (queued_bytes_ > options_.queue_limit && !closing_) room_.Wait(&mu_);
  --room_waiters_;
  queue_waits_.fetch_add(1);
  queue_wait_ns_.fetch_add(
      std::chrono::duration_cast<std::chrono::nanoseconds>(std::chrono::steady_clock::now() - start)
          .count());
}

void RecordOutbox::Release(size_t bytes) {
  if (bytes == 0) return;
  bool waiting;
  {
    absl::MutexLock lock(&mu_);
    queued_bytes_ -= bytes;
    waiting = room_waiters_ > 0;
  }
  if (waiting) room_.SignalAll();
}

void RecordOutbox::Send(records::Record record) {
  std::vector<records::Record> one;
  one.push_back(std::move(record));
  Send(std::move(one));
}

void RecordOutbox::Send(std::vector<records::Record> records) {
  // Counted against the limit but never waiting for room: records come from the run's own
  // threads too (the console capture, which the outbox thread's warnings may feed), and are
  // few beside rows.
  {
    absl::MutexLock lock(&mu_);
    if (closing_) {
      undelivered_.fetch_add(static_cast<int64_t>(records.size()));
      return;
    }
    size_t before = pending_.size();
    for (const records::Record& record : records) AppendRecordEntry(record, &pending_);
    queued_bytes_ += pending_.size() - before;
    pending_entries_ += records.size();
    enqueued_ += records.size();
  }
  wake_.Signal();
}

uint64_t RecordOutbox::Flush() {
  absl::MutexLock lock(&mu_);
  if (!thread_.joinable()) return last_seq_;
  uint64_t target = enqueued_;
  flush_requested_ = true;
  wake_.Signal();
  while (sent_ < target && !closed_) progress_.Wait(&mu_);
  return last_seq_;
}

uint64_t RecordOutbox::Close() {
  {
    absl::MutexLock lock(&mu_);
    closing_ = true;
  }
  wake_.Signal();
  room_.SignalAll();
  media_room_.SignalAll();
  if (thread_.joinable()) thread_.join();
  absl::MutexLock lock(&mu_);
  return last_seq_;
}

std::shared_ptr<ServiceConnection> RecordOutbox::connection() const {
  absl::MutexLock lock(&conn_mu_);
  return connection_;
}

bool RecordOutbox::Reconnect(const std::shared_ptr<ServiceConnection>& seen) {
  {
    absl::MutexLock lock(&mu_);
    if (thread_.joinable() && !closed_) {
      uint64_t ticket = ++reconnects_asked_;
      reconnect_from_ = seen;
      wake_.Signal();
      // The thread looks at its stream in its next round, and re-attaches if it broke.
      absl::Time deadline =
          absl::Now() + absl::FromChrono(options_.reattach_timeout + std::chrono::seconds(5));
      while (reconnects_done_ < ticket && !closed_) {
        if (progress_.WaitWithDeadline(&mu_, deadline)) break;
      }
      return connection() != seen;
    }
  }
  // The thread has ended (finish()): the caller brings the new daemon up to date itself.
  if (connection() == seen) RecoverAndClose();
  return connection() != seen;
}

void RecordOutbox::Loop() {
  if (!OpenStream()) Recover();
  while (true) {
    uint64_t target;
    uint64_t reconnects;
    uint64_t reconnects_done;
    std::shared_ptr<ServiceConnection> failed;  // the connection a Reconnect() saw fail
    bool closing;
    {
      absl::MutexLock lock(&mu_);
      absl::Time deadline = absl::Now() + absl::FromChrono(kPollInterval);
      while (pending_entries_ < kWakeThreshold && !flush_requested_ && !closing_ &&
             room_waiters_ == 0 && reconnects_asked_ == reconnects_done_) {
        if (wake_.WaitWithDeadline(&mu_, deadline)) break;
      }
      taken_.clear();  // keeps its capacity: the queue's memory is reused, round after round
      taken_.swap(pending_);
      taken_media_.clear();
      taken_media_.swap(pending_media_);
      pending_entries_ = 0;
      target = enqueued_;
      reconnects = reconnects_asked_;
      reconnects_done = reconnects_done_;
      failed = reconnect_from_;
      closing = closing_;
      flush_requested_ = false;
    }
    // A daemon that died ends the stream at once: re-attach without waiting for the next
    // batch, so that queries and the stop poll find the run again soon. A call that found the
    // daemon gone may have got there first: the stream's end follows within moments.
    if (!broken_ && reconnects > reconnects_done && failed == connection()) {
      WaitStreamEnd(kStreamEndWait);
    }
    if (!broken_ && StreamDead()) Recover();
    SendQueued(taken_);
    // Written: their buffers go back to the pool now, for the next image the caller builds
    // (before flush() returns), not a round later.
    taken_media_.clear();
    if (loss_to_report_) ReportLoss();
    {
      absl::MutexLock lock(&mu_);
      sent_ = target;
      last_seq_ = next_seq_ - 1;
      reconnects_done_ = reconnects;
      if (reconnects_done_ == reconnects_asked_) reconnect_from_.reset();
    }
    progress_.SignalAll();
    if (closing) break;
  }
  EndStream();
  {
    absl::MutexLock lock(&mu_);
    last_seq_ = next_seq_ - 1;
    closed_ = true;
  }
  progress_.SignalAll();
}

bool RecordOutbox::OpenStream() {
  context_ = std::make_unique<grpc::ClientContext>();
  stream_ = connection()->stub().Publish(context_.get());
  service::PublishRequest open;
  open.mutable_open()->set_protocol_version(kProtocolVersion);
  open.mutable_open()->set_run_id(run_id_);
  ack_reader_done_.store(false);
  if (!stream_->Write(open)) {
    debug_log_->Error("outbox: cannot open the record stream to wandb-service");
    AbandonStream();
    return false;
  }
  ack_reader_ = std::thread([this] {
    service::PublishResponse ack;
    while (stream_->Read(&ack)) {
      uint64_t seen = durable_seq_.load();
      while (ack.durable_seq() > seen &&
             !durable_seq_.compare_exchange_weak(seen, ack.durable_seq())) {
      }
    }
    ack_reader_done_.store(true);
  });
  return true;
}

void RecordOutbox::SendQueued(absl::string_view queue) {
  service::PublishRequest request;
  service::RecordBatch* batch = request.mutable_batch();
  OutboxQueueReader reader(queue, &taken_media_);
  size_t released = 0;  // bytes of `queue` given back to Log()'s limit
  OutboxQueueReader::Kind kind;
  absl::string_view record;
  while (reader.Next(&kind, &call_, &record, &summary_)) {
    if (kind == OutboxQueueReader::Kind::kLogCall) {
      if (call_.has_media) WriteMedia(call_, batch);
      Encode(call_, batch->mutable_records());
    } else if (kind == OutboxQueueReader::Kind::kSummaryCall) {
      WriteMedia(summary_, batch);
    } else {
      batch->mutable_records()->append(record.data(), record.size());
    }
    batch->set_record_count(batch->record_count() + 1);
    if (batch->record_count() >= kMaxBatchRecords || batch->records().size() >= kMaxBatchBytes) {
      size_t consumed = reader.consumed(queue);
      Release(consumed - std::exchange(released, consumed));
      WriteBatch(request);
      batch->Clear();
    }
  }
  Release(queue.size() - released);
  if (batch->record_count() > 0) WriteBatch(request);
}

void RecordOutbox::WriteMedia(LogCall& call, service::RecordBatch* batch) {
  if (media_ != nullptr) {
    AppendFiles(media_->ResolveRow(call.data, call.media_step), batch);
    AppendConfig(media_->TakeConfig(), batch);
    AppendRecords(media_->TakeRecords(), batch);
  }
  ReleaseMediaRoom(call.media_bytes);
}

void RecordOutbox::WriteMedia(SummaryCall& call, service::RecordBatch* batch) {
  if (media_ != nullptr) {
    AppendFiles(media_->ResolveSummary(call.path, call.value), batch);
    AppendConfig(media_->TakeConfig(), batch);
    AppendRecords(media_->TakeRecords(), batch);
  }
  ReleaseMediaRoom(call.media_bytes);
  records::Record record;
  records::SummaryItem* item = record.mutable_summary()->add_update();
  if (call.path.size() == 1) {
    item->set_key(call.path[0]);
  } else {
    for (const std::string& key : call.path) item->add_nested_key(key);
  }
  item->set_value_json(json::Encode(call.value));
  AppendRecord(record, batch->mutable_records());  // SendQueued() counts it
}

// The files are in place before the record naming them, and that before the row: so the
// daemon stores them (policy now) before the row that points at them is in the log.
void RecordOutbox::AppendFiles(const std::vector<std::string>& paths, service::RecordBatch* batch) {
  if (paths.empty()) return;
  records::Record record;
  for (const std::string& path : paths) {
    records::FilesItem* item = record.mutable_files()->add_files();
    item->set_path(EscapeGlob(path));
    item->set_policy(records::FilesItem::NOW);
  }
  AppendRecord(record, batch->mutable_records());
  batch->set_record_count(batch->record_count() + 1);
}

// The config the media need (their class labels), like their files before the row.
void RecordOutbox::AppendConfig(const std::vector<MediaContext::ConfigEntry>& entries,
                                service::RecordBatch* batch) {
  if (entries.empty()) return;
  records::Record record;
  for (const MediaContext::ConfigEntry& entry : entries) {
    records::ConfigItem* item = record.mutable_config()->add_update();
    for (const std::string& part : entry.nested_key) item->add_nested_key(part);
    item->set_value_json(json::Encode(entry.value));
  }
  AppendRecord(record, batch->mutable_records());
  batch->set_record_count(batch->record_count() + 1);
}

// The records the media need beside them (their tables' artifacts).
void RecordOutbox::AppendRecords(const std::vector<records::Record>& records,
                                 service::RecordBatch* batch) {
  for (const records::Record& record : records) {
    AppendRecord(record, batch->mutable_records());
    batch->set_record_count(batch->record_count() + 1);
  }
}

void RecordOutbox::WriteBatch(service::PublishRequest& request) {
  service::RecordBatch* batch = request.mutable_batch();
  uint32_t records = batch->record_count();
  if (broken_) {
    undelivered_.fetch_add(records);
    return;
  }
  uint64_t seq = next_seq_++;
  batch->set_seq(seq);
  bool written = !StreamDead() && stream_->Write(request);
  // Kept until the daemon says its log has it: a new daemon would need it again.
  resend_.Acknowledge(durable_seq_.load());
  size_t bytes = batch->records().size();
  resend_.Keep(seq, std::move(*batch->mutable_records()), records);
  *batch->mutable_records() = resend_.TakeSpare();
  batch->mutable_records()->reserve(bytes);  // the next batch is about as big: no regrowth
  if (!written) {
    debug_log_->Warning("outbox: the record stream to wandb-service broke at batch %d", seq);
    Recover();
  }
}

void RecordOutbox::WaitStreamEnd(std::chrono::milliseconds timeout) {
  auto deadline = std::chrono::steady_clock::now() + timeout;
  while (!StreamDead() && std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
}

void RecordOutbox::Recover() {
  AbandonStream();
  if (broken_) return;
  absl::Status problem = absl::UnavailableError("no way to re-attach the run");
  auto deadline = std::chrono::steady_clock::now() + options_.reattach_timeout;
  auto backoff = std::chrono::milliseconds(kFirstBackoff);
  while (options_.reattach) {
    absl::StatusOr<Attachment> attached = options_.reattach();
    if (attached.ok()) {
      {
        absl::MutexLock lock(&conn_mu_);
        connection_ = attached->connection;
      }
      durable_seq_.store(std::max(durable_seq_.load(), attached->durable_seq));
      reattachments_.fetch_add(1);
      if (int64_t lost = resend_.LostAfter(attached->durable_seq); lost > 0) {
        undelivered_.fetch_add(lost);
        loss_to_report_ = true;
        debug_log_->Error(
            "outbox: %d records were lost with wandb-service: more than the resend buffer "
            "(%d bytes) was waiting for it",
            lost, options_.resend_buffer);
      }
      debug_log_->Info(
          "outbox: run re-attached to wandb-service pid %d after batch %d; sending "
          "%d batches again",
          attached->connection->hello().pid(), attached->durable_seq, resend_.batches().size());
      bool resent = OpenStream();
      for (const ResendBuffer::Batch& kept : resend_.batches()) {
        if (!resent) break;
        service::PublishRequest again;
        again.mutable_batch()->set_seq(kept.seq);
        again.mutable_batch()->set_records(kept.records);
        again.mutable_batch()->set_record_count(kept.record_count);
        resent = stream_->Write(again);
      }
      if (resent) return;
      problem = absl::UnavailableError("the new wandb-service went away too");
      AbandonStream();
    } else {
      problem = attached.status();
      debug_log_->Warning("outbox: re-attaching the run failed: %s", problem.ToString());
      if (Permanent(problem)) break;
    }
    if (std::chrono::steady_clock::now() + backoff > deadline) break;
    std::this_thread::sleep_for(backoff);
    backoff = std::min<std::chrono::milliseconds>(backoff * 2, kMaxBackoff);
  }
  broken_ = true;
  int64_t lost = resend_.Abandon();
  undelivered_.fetch_add(lost);
  debug_log_->Error("outbox: gave up on run %s: %s; %d records not confirmed in its log", run_id_,
                    problem.ToString(), lost);
}

void RecordOutbox::RecoverAndReportLoss() {
  Recover();
  if (loss_to_report_) ReportLoss();
}

void RecordOutbox::EndStream() {
  for (int attempt = 0; !CloseStream() && !broken_ && attempt < kCloseAttempts; ++attempt) {
    RecoverAndReportLoss();
  }
}

void RecordOutbox::RecoverAndClose() {
  RecoverAndReportLoss();
  EndStream();
  absl::MutexLock lock(&mu_);
  last_seq_ = next_seq_ - 1;
}

void RecordOutbox::ReportLoss() {
  loss_to_report_ = false;
  records::Record record;
  records::SummaryItem* item = record.mutable_summary()->add_update();
  item->set_key(kUndeliveredKey);
  item->set_value_json(std::to_string(undelivered_.load()));
  service::PublishRequest request;
  AppendRecord(record, request.mutable_batch()->mutable_records());
  request.mutable_batch()->set_record_count(1);
  WriteBatch(request);
}

void RecordOutbox::Encode(const LogCall& call, std::string* out) {
  // Written straight in protobuf's wire form: no message, no allocation per string.
  items_.clear();
  bool has_timestamp = false;
  for (const auto& [key, value] : call.data) {
    has_timestamp |= key == "_timestamp";
    value_json_.clear();
    json::AppendEncoded(value, &value_json_);
    history_wire::AppendItem(key, value_json_, &items_);
  }
  if (!has_timestamp) {
    value_json_.clear();
    json::AppendDouble(call.timestamp, &value_json_);
    history_wire::AppendItem("_timestamp", value_json_, &items_);
  }
  history_wire::AppendPartialHistoryRecord(items_, call.step, call.flush, out);
}

bool RecordOutbox::CloseStream() {
  if (stream_ == nullptr) return true;  // given up: nothing more to end
  stream_->WritesDone();
  if (ack_reader_.joinable()) ack_reader_.join();
  grpc::Status status = stream_->Finish();
  stream_.reset();
  context_.reset();
  if (!status.ok()) {
    debug_log_->Warning("outbox: record stream ended with %s", status.error_message());
    return false;
  }
  return true;
}

void RecordOutbox::AbandonStream() {
  if (stream_ == nullptr) return;
  context_->TryCancel();
  if (ack_reader_.joinable()) ack_reader_.join();
  stream_->Finish();  // CANCELLED: the call is over either way
  stream_.reset();
  context_.reset();
}

}  // namespace wandb::internal
