// The daemon trusts no client: what libwandb refuses, the daemon refuses too when a client
// sends it anyway, with the reason recorded in the run's debug log and reported by finish.
// Deep or wide input never crashes it (issue 12, point 1: a 100,000-level summary path once
// crashed every daemon that the client re-attached to).
#include <wandb/wandb.h>
#include <catch2/catch.hpp>

#include "tests/support/invalid_argument_message.h"
#include "tests/support/raw_client.h"
#include "tests/support/test_env.h"

namespace wandb::testing {
namespace {

constexpr int kHugeDepth = 100 * 1000;

records::Record DeepSummaryUpdate() {
  records::Record record;
  auto* item = record.mutable_summary()->add_update();
  for (int i = 0; i < kHugeDepth; ++i) item->add_nested_key("p");
  item->set_value_json("1");
  return record;
}

records::Record DeepConfigUpdate() {
  records::Record record;
  auto* item = record.mutable_config()->add_update();
  for (int i = 0; i < kHugeDepth; ++i) item->add_nested_key("c");
  item->set_value_json("2");
  return record;
}

// 100,000 config items, each at a 33-level path: nested too deep, and many.
records::Record WideNestedConfigUpdate() {
  records::Record record;
  for (int i = 0; i < kHugeDepth; ++i) {
    auto* item = record.mutable_config()->add_update();
    for (int level = 0; level < 33; ++level) item->add_nested_key("k" + std::to_string(i));
    item->set_value_json("3");
  }
  return record;
}

records::Record DeepJsonSummary() {
  records::Record record;
  auto* item = record.mutable_summary()->add_update();
  item->set_key("j");
  item->set_value_json(std::string(200 * 1000, '[') + std::string(200 * 1000, ']'));
  return record;
}

records::Record WideLogCall() {
  std::vector<std::pair<std::string, std::string>> items;
  for (int i = 0; i <= 200 * 1000; ++i) items.emplace_back("w" + std::to_string(i), "1");
  return LogCall(items);
}

}  // namespace

TEST_CASE("deep and wide records from a client are refused, and the daemon and the run go on") {
  TestEnv env;
  Run keeper = wandb::init({.id = "keeper"});  // starts the daemon
  std::vector<pid_t> daemons = env.DaemonPids();
  REQUIRE(daemons.size() == 1);

  // Built before the run starts: on a loaded machine building them takes seconds, and a run
  // whose client opens no record stream for RunRegistry::kClientSilence is taken for dead.
  std::vector<std::vector<records::Record>> batches = {
      {LogCall({{"a", "1"}}), LogCall({{"a", "2"}}), LogCall({{"a", "3"}})},
      {DeepSummaryUpdate()},
      {DeepConfigUpdate()},
      {WideNestedConfigUpdate()},
      {DeepJsonSummary(), WideLogCall()},
      {LogCall({{"a", "4"}})},
  };
  RawClient client(env);
  REQUIRE(client.StartRun(client.StartRequest("raw")).ok());
  CHECK(client.Publish("raw", batches).ok());
  service::FinishRunResponse finished;
  grpc::Status status = client.FinishRun("raw", batches.size(), &finished);
  REQUIRE(status.ok());

  CHECK(env.DaemonPids() == daemons);
  CHECK(finished.history_rows() == 4);
  CHECK(CountHistoryRows(env, "raw") == 4);
  CHECK(finished.records_refused() == 5);
  CHECK_THAT(finished.first_refusal(),
             Catch::Contains("summary") && Catch::Contains("deeper than 32 levels"));
  std::string debug = ReadFile(env.RunDir("raw") + "/logs/debug-internal.log");
  CHECK_THAT(debug, Catch::Contains("refused a config update") &&
                        Catch::Contains("nested too deeply") &&
                        Catch::Contains("keys in one call"));
  keeper.log({{"x", 1}});
  keeper.finish();
}

TEST_CASE("a StartRun with a config or summary too deep is refused, and the daemon stays up") {
  TestEnv env;
  Run keeper = wandb::init({.id = "keeper"});
  std::vector<pid_t> daemons = env.DaemonPids();
  RawClient client(env);

  service::StartRunRequest deep_config = client.StartRequest("deepconfig");
  *deep_config.mutable_run()->mutable_config() = DeepConfigUpdate().config();
  grpc::Status status = client.StartRun(deep_config);
  CHECK(status.error_code() == grpc::StatusCode::INVALID_ARGUMENT);
  CHECK_THAT(status.error_message(), Catch::Contains("config") && Catch::Contains("deeper"));

  service::StartRunRequest deep_summary = client.StartRequest("deepsummary");
  *deep_summary.mutable_run()->mutable_summary() = DeepSummaryUpdate().summary();
  CHECK(client.StartRun(deep_summary).error_code() == grpc::StatusCode::INVALID_ARGUMENT);

  CHECK(env.DaemonPids() == daemons);
  CHECK(env.RunDir("deepconfig").empty());
  keeper.log({{"x", 1}});
  keeper.finish();
}

TEST_CASE("libwandb refuses a summary path or config deeper or wider than the limits") {
  TestEnv env;
  Run run = wandb::init({.id = "deeppath"});
  run.log({{"a", 1}});
  // 1,000 levels: each operator[] copies the path, so 100,000 would take minutes here (the
  // raw client above sends that many).
  SummaryItem item = run.summary()["p"];
  for (int i = 1; i < 1000; ++i) item = item["p"];  // copy-assigns the handle, sets nothing
  CHECK_THAT(InvalidArgumentMessage([&] { item = 1; }),
             Catch::Contains("'p'") && Catch::Contains("deeper than 32"));
  Value::Map wide;
  for (int i = 0; i <= 100 * 1000; ++i) wide.emplace_back("k" + std::to_string(i), i);
  CHECK_THAT(InvalidArgumentMessage([&] { run.config().update(wide); }),
             Catch::Contains("keys in one call"));
  CHECK_THAT(InvalidArgumentMessage([&] { run.log(wide); }), Catch::Contains("keys in one call"));
  run.log({{"a", 2}});
  run.finish();
  CHECK(CountHistoryRows(env, "deeppath") == 2);
}

}  // namespace wandb::testing
