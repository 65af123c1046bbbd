// A stop requested from outside (the store's stop flag, which `wandb-cpp stop` sets) reaches
// a running training process by each of its three paths, and the run ends as stopped with
// every row it logged.
#include <sys/stat.h>

#include <catch2/catch.hpp>
#include <fstream>

#include "service/store/local_store.h"
#include "tests/support/test_env.h"

namespace wandb::testing {
namespace {

void RequestStop(const TestEnv& env, const std::string& id) {
  absl::StatusOr<std::unique_ptr<store::LocalStore>> store =
      store::LocalStore::Open(env.store_dir());
  REQUIRE(store.ok());
  absl::StatusOr<store::RunRow> run;
  // The run reaches the store shortly after init (the sender replays the log).
  REQUIRE(Eventually([&] {
    run = (*store)->FindRun(id);
    return run.ok();
  }));
  REQUIRE((*store)->RequestStop(run->key).ok());
}

}  // namespace

TEST_CASE("a stop request reaches the training process, and the run ends as stopped") {
  const char* how = GENERATE("callback", "flag", "sigint");
  INFO("path: " << how);
  TestEnv env;
  std::string id = std::string("stop-") + how;
  std::string ready = env.root_dir() + "/ready";
  std::string rows_file = env.root_dir() + "/rows";
  pid_t client = env.Spawn(
      "stop_client", {"--id", id, "--how", how, "--rows-file", rows_file, "--ready-file", ready});
  struct stat st;
  REQUIRE(Eventually([&] { return stat(ready.c_str(), &st) == 0; }));
  RequestStop(env, id);
  REQUIRE(WaitExit(client, std::chrono::seconds(60)) == 0);

  long rows = -1;
  std::ifstream(rows_file) >> rows;
  REQUIRE(rows >= 10);
  absl::StatusOr<std::unique_ptr<store::LocalStore>> store =
      store::LocalStore::Open(env.store_dir());
  REQUIRE(store.ok());
  absl::StatusOr<store::RunRow> run = (*store)->FindRun(id);
  REQUIRE(run.ok());
  CHECK(run->state == store::RunState::kStopped);
  CHECK(run->exit_code == 255);
  CHECK(run->last_step == rows - 1);  // every row logged is kept
  int history = 0;
  const records::RunExitRecord* exit = nullptr;
  LogContents log = ReadLog(env.RunDir(id) + "/run-" + id + ".wandb");
  for (const records::Record& r : log.records) {
    history += r.has_history();
    if (r.has_exit()) exit = &r.exit();
  }
  CHECK(history == rows);
  REQUIRE(exit != nullptr);
  CHECK(exit->exit_code() == 255);
}

}  // namespace wandb::testing
