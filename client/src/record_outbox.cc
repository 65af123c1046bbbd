#include "client/src/record_outbox.h"

#include <google/protobuf/arena.h>

#include "common/ipc/record_batch_codec.h"
#include "common/protocol.h"
#include "common/value/json.h"

namespace wandb::internal {

RecordOutbox::RecordOutbox(std::shared_ptr<ServiceConnection> connection, std::string run_id,
                           Logger* debug_log)
    : connection_(std::move(connection)), run_id_(std::move(run_id)), debug_log_(debug_log) {}

RecordOutbox::~RecordOutbox() { Close(); }

void RecordOutbox::Start() {
  thread_ = std::thread([this] { Loop(); });
}

void RecordOutbox::Log(LogCall call) {
  bool wake;
  {
    std::lock_guard lock(mu_);
    if (closing_) {
      undelivered_.fetch_add(1);
      return;
    }
    pending_.emplace_back(std::move(call));
    ++enqueued_;
    // Waking the thread costs a system call, so log() does it only once per full batch;
    // otherwise the thread picks rows up on its next poll.
    wake = pending_.size() == kWakeThreshold;
  }
  if (wake) wake_.notify_one();
}

void RecordOutbox::Send(records::Record record) {
  {
    std::lock_guard lock(mu_);
    if (closing_) {
      undelivered_.fetch_add(1);
      return;
    }
    pending_.emplace_back(std::move(record));
    ++enqueued_;
  }
  wake_.notify_one();
}

uint64_t RecordOutbox::Flush() {
  std::unique_lock lock(mu_);
  if (!thread_.joinable()) return last_seq_;
  uint64_t target = enqueued_;
  flush_requested_ = true;
  wake_.notify_one();
  progress_.wait(lock, [&] { return sent_ >= target; });
  return last_seq_;
}

uint64_t RecordOutbox::Close() {
  {
    std::lock_guard lock(mu_);
    closing_ = true;
  }
  wake_.notify_one();
  if (thread_.joinable()) thread_.join();
  std::lock_guard lock(mu_);
  return last_seq_;
}

void RecordOutbox::Loop() {
  OpenStream();
  std::vector<Item> items;
  while (true) {
    uint64_t target;
    bool closing;
    {
      std::unique_lock lock(mu_);
      wake_.wait_for(lock, kPollInterval, [&] {
        return pending_.size() >= kWakeThreshold || flush_requested_ || closing_;
      });
      items.swap(pending_);
      target = enqueued_;
      closing = closing_;
      flush_requested_ = false;
    }
    SendItems(items);
    items.clear();
    {
      std::lock_guard lock(mu_);
      sent_ = target;
      last_seq_ = next_seq_ - 1;
    }
    progress_.notify_all();
    if (closing) break;
  }
  CloseStream();
}

void RecordOutbox::OpenStream() {
  context_ = std::make_unique<grpc::ClientContext>();
  stream_ = connection_->stub().Publish(context_.get());
  service::PublishRequest open;
  open.mutable_open()->set_protocol_version(kProtocolVersion);
  open.mutable_open()->set_run_id(run_id_);
  if (!stream_->Write(open)) {
    broken_ = true;
    debug_log_->Error("outbox: cannot open the record stream to wandb-service");
    return;
  }
  ack_reader_ = std::thread([this] {
    service::PublishResponse ack;
    while (stream_->Read(&ack)) durable_seq_.store(ack.durable_seq());
  });
}

void RecordOutbox::SendItems(std::vector<Item>& items) {
  // Each record is built on an arena (reset after every batch, so encoding costs pointer
  // bumps rather than a malloc per string), then appended to the batch's bytes.
  google::protobuf::ArenaOptions options;
  options.start_block_size = 64 << 10;
  options.max_block_size = 1 << 20;
  google::protobuf::Arena arena(options);
  service::PublishRequest request;
  service::RecordBatch* batch = request.mutable_batch();
  for (Item& item : items) {
    auto* record = google::protobuf::Arena::CreateMessage<records::Record>(&arena);
    if (auto* call = std::get_if<LogCall>(&item)) {
      Encode(*call, record);
    } else {
      *record = std::move(std::get<records::Record>(item));
    }
    AppendRecord(*record, batch->mutable_records());
    batch->set_record_count(batch->record_count() + 1);
    if (batch->record_count() >= kMaxBatchRecords || batch->records().size() >= kMaxBatchBytes) {
      WriteBatch(request);
      batch->Clear();
      arena.Reset();
    }
  }
  if (batch->record_count() > 0) WriteBatch(request);
}

void RecordOutbox::WriteBatch(service::PublishRequest& request) {
  int records = static_cast<int>(request.batch().record_count());
  if (broken_) {
    undelivered_.fetch_add(records);
    return;
  }
  request.mutable_batch()->set_seq(next_seq_);
  if (stream_->Write(request)) {
    ++next_seq_;
  } else {
    broken_ = true;
    undelivered_.fetch_add(records);
    debug_log_->Error("outbox: the record stream to wandb-service broke at batch %d", next_seq_);
  }
}

void RecordOutbox::Encode(LogCall& call, records::Record* record) const {
  records::PartialHistoryRequest* history = record->mutable_request()->mutable_partial_history();
  bool has_timestamp = false;
  for (auto& [key, value] : call.data) {
    records::HistoryItem* item = history->add_item();
    has_timestamp |= key == "_timestamp";
    json::AppendEncoded(value, item->mutable_value_json());
    item->set_key(std::move(key));
  }
  if (!has_timestamp) {
    records::HistoryItem* item = history->add_item();
    item->set_key("_timestamp");
    json::AppendDouble(call.timestamp, item->mutable_value_json());
  }
  if (call.step.has_value()) history->mutable_step()->set_num(*call.step);
  history->mutable_action()->set_flush(call.flush);
}

void RecordOutbox::CloseStream() {
  if (stream_ == nullptr) return;
  stream_->WritesDone();
  if (ack_reader_.joinable()) ack_reader_.join();
  grpc::Status status = stream_->Finish();
  if (!status.ok()) {
    debug_log_->Warning("outbox: record stream ended with %s", status.error_message());
  }
  stream_.reset();
}

}  // namespace wandb::internal
