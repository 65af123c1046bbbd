#include "service/stream/sender.h"

#include "common/ipc/record_batch_codec.h"

namespace wandb::service {

Sender::Sender(std::shared_ptr<Backend> backend, Logger* log)
    : backend_(std::move(backend)), log_(log) {}

Sender::~Sender() {
  queue_.Close();
  if (thread_.joinable()) thread_.join();
}

void Sender::Start() {
  thread_ = std::thread([this] { Loop(); });
}

void Sender::Loop() {
  std::vector<SenderItem> items;
  while (queue_.PopAll(&items)) {
    for (SenderItem& item : items) {
      if (auto* record = std::get_if<SharedRecord>(&item)) {
        Send(**record);
      } else if (auto* encoded = std::get_if<EncodedRecords>(&item)) {
        SendEncoded(*encoded);
      } else {
        Finish(std::get<SendFinish>(item));
        queue_.Close();  // a finished run sends nothing more
      }
    }
  }
}

void Sender::Send(const records::Record& record) {
  absl::Status s;
  switch (record.record_type_case()) {
    case records::Record::kRun:
      s = backend_->UpsertRun(record.run());
      break;
    case records::Record::kConfig:
      s = backend_->UpdateConfig(record.config());
      break;
    case records::Record::kHistory:
      s = backend_->AppendHistory(record.history());
      break;
    default:
      break;
  }
  if (!s.ok()) log_->Warning("sender: %s", s.ToString());
}

void Sender::SendEncoded(const EncodedRecords& records) {
  google::protobuf::Arena arena;
  RecordBatchReader reader(records.bytes);
  while (records::Record* record = reader.Next(&arena)) Send(*record);
  if (!reader.status().ok()) log_->Error("sender: %s", reader.status().ToString());
}

void Sender::Finish(SendFinish& finish) {
  absl::Status s = backend_->FinishRun(finish.exit_code);
  if (!s.ok()) log_->Warning("sender: finishing the run: %s", s.ToString());
  if (!finish.writer_status.ok()) {
    finish.reply->set_value(finish.writer_status);
  } else {
    finish.reply->set_value(std::move(finish.response));
  }
}

}  // namespace wandb::service
