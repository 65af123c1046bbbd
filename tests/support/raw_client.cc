#include "tests/support/raw_client.h"

#include <unistd.h>

#include <chrono>

#include "common/ipc/record_batch_codec.h"
#include "common/protocol.h"
#include "tests/support/test_env.h"

namespace wandb::testing {
namespace {

constexpr auto kCallTimeout = std::chrono::seconds(60);

void SetDeadline(grpc::ClientContext* context) {
  context->set_deadline(std::chrono::system_clock::now() + kCallTimeout);
}

}  // namespace

records::Record LogCall(const std::vector<std::pair<std::string, std::string>>& items) {
  records::Record record;
  auto* call = record.mutable_request()->mutable_partial_history();
  for (const auto& [key, value_json] : items) {
    auto* item = call->add_item();
    item->set_key(key);
    item->set_value_json(value_json);
  }
  call->mutable_action()->set_flush(true);
  return record;
}

RawClient::RawClient(const TestEnv& env)
    : env_(env),
      stub_(service::WandbService::NewStub(
          grpc::CreateChannel("unix:" + env.socket_path(), grpc::InsecureChannelCredentials()))) {}

service::StartRunRequest RawClient::StartRequest(const std::string& run_id) const {
  service::StartRunRequest request;
  request.set_protocol_version(kProtocolVersion);
  request.mutable_run()->set_run_id(run_id);
  request.mutable_run()->mutable_start_time()->set_seconds(time(nullptr));
  request.set_root_dir(env_.root_dir());
  request.set_mode(service::MODE_OFFLINE);
  request.mutable_process()->set_pid(getpid());
  request.mutable_system_metrics()->set_disabled(true);
  return request;
}

grpc::Status RawClient::StartRun(const service::StartRunRequest& request) {
  grpc::ClientContext context;
  SetDeadline(&context);
  service::StartRunResponse response;
  return stub_->StartRun(&context, request, &response);
}

grpc::Status RawClient::Publish(const std::string& run_id,
                                const std::vector<std::vector<records::Record>>& batches,
                                const std::vector<uint64_t>& seqs) {
  grpc::ClientContext context;
  SetDeadline(&context);
  auto stream = stub_->Publish(&context);
  service::PublishRequest open;
  open.mutable_open()->set_protocol_version(kProtocolVersion);
  open.mutable_open()->set_run_id(run_id);
  stream->Write(open);
  for (size_t i = 0; i < batches.size(); ++i) {
    service::PublishRequest request;
    request.mutable_batch()->set_seq(seqs.empty() ? i + 1 : seqs[i]);
    for (const records::Record& record : batches[i]) {
      AppendRecord(record, request.mutable_batch()->mutable_records());
    }
    request.mutable_batch()->set_record_count(static_cast<uint32_t>(batches[i].size()));
    if (!stream->Write(request)) break;  // the daemon ended the stream: Finish() says why
  }
  stream->WritesDone();
  service::PublishResponse ack;
  while (stream->Read(&ack)) {
  }  // Finish() waits for every incoming message to be read
  return stream->Finish();
}

grpc::Status RawClient::FinishRun(const std::string& run_id, uint64_t last_seq,
                                  service::FinishRunResponse* response) {
  service::FinishRunRequest request;
  request.set_protocol_version(kProtocolVersion);
  request.set_run_id(run_id);
  request.set_last_seq(last_seq);
  grpc::ClientContext context;
  SetDeadline(&context);
  return stub_->FinishRun(&context, request, response);
}

}  // namespace wandb::testing
