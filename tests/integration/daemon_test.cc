// The daemon as a program: it outlives bad clients, refuses other protocol versions clearly,
// refuses records a client must not send, and exits by itself when idle.
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <grpcpp/grpcpp.h>
#include <wandb/wandb.h>
#include <catch2/catch.hpp>
#include <random>
#include <thread>

#include "common/ipc/record_batch_codec.h"
#include "common/protocol.h"
#include "tests/support/raw_client.h"
#include "tests/support/test_env.h"
#include "wandb/service.grpc.pb.h"

namespace wandb::testing {
namespace {

// Connects to the daemon's socket and writes `bytes` there, as a confused or hostile peer.
void SendRaw(const std::string& socket_path, const std::string& bytes) {
  int fd = socket(AF_UNIX, SOCK_STREAM, 0);
  REQUIRE(fd >= 0);
  sockaddr_un addr{};
  addr.sun_family = AF_UNIX;
  std::snprintf(addr.sun_path, sizeof(addr.sun_path), "%s", socket_path.c_str());
  if (connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof(addr)) == 0) {
    ssize_t n = write(fd, bytes.data(), bytes.size());
    (void)n;
  }
  close(fd);
}

std::unique_ptr<service::WandbService::Stub> Stub(const TestEnv& env) {
  return service::WandbService::NewStub(
      grpc::CreateChannel("unix:" + env.socket_path(), grpc::InsecureChannelCredentials()));
}

}  // namespace

TEST_CASE("random bytes on the socket harm neither the daemon nor a live run") {
  TestEnv env;
  Run run = wandb::init({.id = "survivor"});
  run.log({{"before", 1}});
  run.summary().get();  // the daemon is up and has the row
  std::vector<pid_t> daemons = env.DaemonPids();
  REQUIRE(daemons.size() == 1);

  std::mt19937 rng(1234);
  for (int i = 0; i < 200; ++i) {
    std::string junk(1 + rng() % 4096, '\0');
    for (char& c : junk) c = static_cast<char>(rng());
    // Every fourth peer starts like HTTP/2 so the junk reaches gRPC's frame parser.
    if (i % 4 == 0) junk = "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n" + junk;
    SendRaw(env.socket_path(), junk);
  }
  run.log({{"after", 2}});
  run.finish();
  CHECK(env.DaemonPids() == daemons);
  CHECK(CountHistoryRows(env, "survivor") == 2);
}

TEST_CASE("a client of another protocol version is refused with a clear error") {
  TestEnv env;
  Run run = wandb::init({.id = "version"});  // starts the daemon
  auto stub = Stub(env);
  grpc::ClientContext context;
  context.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(10));
  service::StartRunRequest request;
  request.set_protocol_version(kProtocolVersion + 41);
  request.mutable_run()->set_run_id("other-version");
  request.set_root_dir(env.root_dir());
  service::StartRunResponse response;
  grpc::Status status = stub->StartRun(&context, request, &response);
  CHECK(status.error_code() == grpc::StatusCode::FAILED_PRECONDITION);
  CHECK_THAT(status.error_message(), Catch::Contains("protocol version mismatch") &&
                                         Catch::Contains(std::to_string(kProtocolVersion + 41)) &&
                                         Catch::Contains(std::to_string(kProtocolVersion)));
  CHECK(env.RunDir("other-version").empty());
  run.finish();
}

TEST_CASE("records a client must not send are refused, and the run goes on") {
  TestEnv env;
  Run keeper = wandb::init({.id = "keeper"});  // starts the daemon
  RawClient client(env);
  REQUIRE(client.StartRun(client.StartRequest("forged")).ok());
  records::Record exit;  // the daemon's to write
  exit.mutable_exit()->set_exit_code(3);
  records::Record history;  // the daemon's to write
  history.mutable_history();
  records::Record bad = LogCall({{"x", "{not json"}});
  records::Record reserved = LogCall({{"_step", "5"}});
  records::Record huge = LogCall({{"y", "1"}});  // a step that would overflow the step counter
  huge.mutable_request()->mutable_partial_history()->mutable_step()->set_num(INT64_MAX);
  std::vector<std::vector<records::Record>> batches = {{LogCall({{"real", "1"}})},
                                                       {exit, history, bad, reserved, huge}};
  REQUIRE(client.Publish("forged", batches).ok());
  // Bytes that are no record at all end the batch, with a warning.
  grpc::ClientContext context;
  context.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(10));
  auto stream = client.stub().Publish(&context);
  service::PublishRequest open;
  open.mutable_open()->set_protocol_version(kProtocolVersion);
  open.mutable_open()->set_run_id("forged");
  REQUIRE(stream->Write(open));
  service::PublishRequest garbage;
  garbage.mutable_batch()->set_seq(3);
  garbage.mutable_batch()->mutable_records()->append("\x05garbage");
  REQUIRE(stream->Write(garbage));
  stream->WritesDone();
  service::PublishResponse ack;
  while (stream->Read(&ack)) {
  }  // Finish() waits for every incoming message to be read
  CHECK(stream->Finish().ok());

  service::FinishRunResponse finished;
  REQUIRE(client.FinishRun("forged", 3, &finished).ok());
  LogContents log = ReadLog(env.RunDir("forged") + "/run-forged.wandb");
  int exits = 0;
  int rows = 0;
  for (const auto& r : log.records) {
    exits += r.has_exit();
    rows += r.has_history();
  }
  CHECK(exits == 1);
  CHECK(rows == 1);
  CHECK(finished.records_refused() == 6);
  CHECK_THAT(ReadFile(env.RunDir("forged") + "/logs/debug-internal.log"),
             Catch::Contains("refused a client record") && Catch::Contains("dropped a log()") &&
                 Catch::Contains("the rest of the batch is dropped"));
  keeper.finish();
}

TEST_CASE("a batch numbered out of order is refused, and the client's own batches go on") {
  TestEnv env;
  Run run = wandb::init({.id = "seqrun"});
  run.log({{"a", 1}});
  run.flush();
  RawClient client(env);
  for (uint64_t seq : {UINT64_MAX, uint64_t{0}, uint64_t{1'000'000}}) {
    grpc::Status status = client.Publish("seqrun", {{LogCall({{"a", "99"}})}}, {seq});
    CHECK(status.error_code() == grpc::StatusCode::INVALID_ARGUMENT);
    CHECK_THAT(status.error_message(), Catch::Contains("batch"));
  }
  for (int i = 2; i <= 100; ++i) run.log({{"a", i}});
  run.finish();
  CHECK(CountHistoryRows(env, "seqrun") == 100);
  CHECK_THAT(
      ReadFile(env.RunDir("seqrun") + "/logs/debug-internal.log"),
      Catch::Contains("refused a batch: INVALID_ARGUMENT: batch number 18446744073709551615"));
}

TEST_CASE("the daemon exits by itself once idle, and a new one starts on demand") {
  TestEnv env(/*idle_timeout_seconds=*/0.5);
  Run first = wandb::init({.id = "idle1"});
  first.finish();
  REQUIRE(Eventually([&] { return env.DaemonPids().empty(); }, std::chrono::seconds(10)));
  CHECK(ReadFile(env.service_dir() + "/service.log").find("idle for") != std::string::npos);
  Run second = wandb::init({.id = "idle2"});
  second.log({{"x", 1}});
  second.finish();
  CHECK(CountHistoryRows(env, "idle2") == 1);
}

}  // namespace wandb::testing

namespace wandb::testing {

TEST_CASE("a run started while the daemon idles out starts on a new daemon") {
  TestEnv env(/*idle_timeout_seconds=*/1.0);
  // Around the idle timeout (plus the supervisor's 250 ms tick) the next init meets a daemon
  // that is deciding to exit, draining, or gone: every one must end in a started run.
  int n = 0;
  for (int delay_ms : {900, 1100, 1200, 1300, 1400, 1500, 1700}) {
    std::string id = "race" + std::to_string(n++);
    Run run = wandb::init({.id = id});
    run.log({{"x", 1}});
    run.finish();
    std::this_thread::sleep_for(std::chrono::milliseconds(delay_ms));
    INFO("init " << delay_ms << " ms after finish");
    auto start = std::chrono::steady_clock::now();
    Run next = wandb::init({.id = id + "b"});
    CHECK(std::chrono::steady_clock::now() - start < std::chrono::seconds(5));
    next.log({{"x", 2}});
    next.finish();
    CHECK(CountHistoryRows(env, id + "b") == 1);
  }
}

}  // namespace wandb::testing
