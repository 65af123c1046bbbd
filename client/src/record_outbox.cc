#include "client/src/record_outbox.h"

#include "common/ipc/history_wire.h"
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
  service::PublishRequest request;
  service::RecordBatch* batch = request.mutable_batch();
  for (Item& item : items) {
    if (auto* call = std::get_if<LogCall>(&item)) {
      Encode(*call, batch->mutable_records());
    } else {
      AppendRecord(std::get<records::Record>(item), batch->mutable_records());
    }
    batch->set_record_count(batch->record_count() + 1);
    if (batch->record_count() >= kMaxBatchRecords || batch->records().size() >= kMaxBatchBytes) {
      WriteBatch(request);
      batch->Clear();  // keeps the bytes' capacity for the next batch
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
