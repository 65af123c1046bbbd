// The stream's last stage: hands what the writer made durable to the Backend, on its own
// thread, so a slow or failing backend never holds up the handler or the client.
#ifndef WANDB_SERVICE_STREAM_SENDER_H_
#define WANDB_SERVICE_STREAM_SENDER_H_

#include <memory>
#include <thread>

#include "common/util/logger.h"
#include "common/util/work_queue.h"
#include "service/backend/backend.h"
#include "service/stream/stream_items.h"

namespace wandb::service {

class Sender {
 public:
  Sender(std::shared_ptr<Backend> backend, Logger* log);
  ~Sender();  // joins

  void Start();
  void Submit(std::vector<SenderItem>* items) { queue_.PushAll(items); }
  bool wants_records() const { return backend_->wants_records(); }
  Backend& backend() { return *backend_; }

 private:
  void Loop();
  void Send(const records::Record& record);
  // Records the handler serialized itself, parsed again here, off the hot path.
  void SendEncoded(const EncodedRecords& records);
  void Finish(SendFinish& finish);

  std::shared_ptr<Backend> backend_;
  Logger* log_;
  WorkQueue<SenderItem> queue_;
  std::thread thread_;
};

}  // namespace wandb::service

#endif  // WANDB_SERVICE_STREAM_SENDER_H_
