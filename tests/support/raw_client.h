// A client that speaks the daemon's gRPC protocol directly, without libwandb's checks: what a
// buggy or hostile program on the same account could send. For tests of the daemon's own
// checks.
#ifndef WANDB_TESTS_SUPPORT_RAW_CLIENT_H_
#define WANDB_TESTS_SUPPORT_RAW_CLIENT_H_

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include <grpcpp/grpcpp.h>

#include "wandb/records.pb.h"
#include "wandb/service.grpc.pb.h"

namespace wandb::testing {

class TestEnv;

// A log() call of `items` (key, value as JSON), as the client encodes it.
records::Record LogCall(const std::vector<std::pair<std::string, std::string>>& items);

class RawClient {
 public:
  explicit RawClient(const TestEnv& env);

  // A StartRun request for an offline run `run_id` of this process under the env's root.
  service::StartRunRequest StartRequest(const std::string& run_id) const;
  grpc::Status StartRun(const service::StartRunRequest& request);

  // Sends each batch of records (numbered by `seqs`, or 1, 2, 3... when empty) on one
  // Publish stream for `run_id`, closes it, and returns how the daemon ended it.
  grpc::Status Publish(const std::string& run_id,
                       const std::vector<std::vector<records::Record>>& batches,
                       const std::vector<uint64_t>& seqs = {});

  grpc::Status FinishRun(const std::string& run_id, uint64_t last_seq,
                         service::FinishRunResponse* response);

  service::WandbService::Stub& stub() { return *stub_; }

 private:
  const TestEnv& env_;
  std::unique_ptr<service::WandbService::Stub> stub_;
};

}  // namespace wandb::testing

#endif  // WANDB_TESTS_SUPPORT_RAW_CLIENT_H_
