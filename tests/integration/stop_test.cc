// A stop requested from outside (the store's stop flag, which `wandb-cpp stop` sets) reaches
// a running training process by each of its paths, and the run ends as stopped with every row
// it logged: when the program finishes the run (on_stop, stop_requested(), its own SIGINT
// handler), when it has no SIGINT handler (the library finishes the run, then ends the
// process), and when its daemon died and the run goes on with the next one.
#include <signal.h>
#include <sys/stat.h>
#include <sys/wait.h>

#include <catch2/catch.hpp>
#include <fstream>

#include "service/store/local_store.h"
#include "tests/support/test_env.h"

namespace wandb::testing {
namespace {

// The run reaches the store shortly after init (the sender replays the log; by then the log
// has a cut point, so the run can be re-attached).
store::RunKey AwaitInStore(const TestEnv& env, const std::string& id) {
  absl::StatusOr<std::unique_ptr<store::LocalStore>> store =
      store::LocalStore::Open(env.store_dir());
  REQUIRE(store.ok());
  absl::StatusOr<store::RunRow> run;
  REQUIRE(Eventually([&] {
    run = (*store)->runs().Find(id);
    return run.ok();
  }));
  return run->key;
}

void RequestStop(const TestEnv& env, const std::string& id) {
  store::RunKey key = AwaitInStore(env, id);
  absl::StatusOr<std::unique_ptr<store::LocalStore>> store =
      store::LocalStore::Open(env.store_dir());
  REQUIRE(store.ok());
  REQUIRE((*store)->runs().RequestStop(key).ok());
}

std::unique_ptr<store::LocalStore> OpenStore(const TestEnv& env) {
  absl::StatusOr<std::unique_ptr<store::LocalStore>> store =
      store::LocalStore::Open(env.store_dir());
  REQUIRE(store.ok());
  return *std::move(store);
}

// The run `id` once it has ended.
store::RunRow EndedRun(const TestEnv& env, const std::string& id) {
  std::unique_ptr<store::LocalStore> store = OpenStore(env);
  absl::StatusOr<store::RunRow> run;
  REQUIRE(Eventually([&] {
    run = store->runs().Find(id);
    return run.ok() && run->state != store::RunState::kRunning;
  }));
  return *run;
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
  absl::StatusOr<store::RunRow> run = (*store)->runs().Find(id);
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

TEST_CASE(
    "with no SIGINT handler, a stop finishes the run with every row, then ends the "
    "program as Ctrl-C would") {
  // SIGINT at its default action, or ignored (nohup, a shell script's background job): either
  // way the library finishes the run first, then ends the process with SIGINT.
  const char* how = GENERATE("die", "ignore");
  INFO("SIGINT: " << how);
  TestEnv env;
  std::string id = std::string("stop") + how;
  std::string ready = env.root_dir() + "/ready";
  std::string rows_file = env.root_dir() + "/rows";
  pid_t client = env.Spawn(
      "stop_client", {"--id", id, "--how", how, "--rows-file", rows_file, "--ready-file", ready});
  struct stat st;
  REQUIRE(Eventually([&] { return stat(ready.c_str(), &st) == 0; }));
  RequestStop(env, id);
  int status = WaitExit(client, std::chrono::seconds(60));
  REQUIRE(WIFSIGNALED(status));
  CHECK(WTERMSIG(status) == SIGINT);

  long logged = -1;
  std::ifstream(rows_file) >> logged;
  REQUIRE(logged >= 10);
  store::RunRow run = EndedRun(env, id);
  CHECK(run.state == store::RunState::kStopped);
  CHECK(run.exit_code == 255);
  // Every row whose log() returned is there: nothing was left in the client's queue. (The
  // file may lag by one row: the process can end between a log() and the file's update.)
  int history = 0;
  const records::RunExitRecord* exit = nullptr;
  LogContents log = ReadLog(env.RunDir(id) + "/run-" + id + ".wandb");
  for (const records::Record& r : log.records) {
    history += r.has_history();
    if (r.has_exit()) exit = &r.exit();
  }
  CHECK(history >= logged);
  CHECK(history <= logged + 1);
  CHECK(run.last_step == history - 1);
  REQUIRE(exit != nullptr);
  CHECK(exit->exit_code() == 255);
}

TEST_CASE("a stop requested after the daemon died reaches the run through the next daemon") {
  TestEnv env;
  std::string ready = env.root_dir() + "/ready";
  std::string rows_file = env.root_dir() + "/rows";
  pid_t client = env.Spawn("stop_client", {"--id", "stopnext", "--how", "flag", "--rows-file",
                                           rows_file, "--ready-file", ready});
  struct stat st;
  REQUIRE(Eventually([&] { return stat(ready.c_str(), &st) == 0; }));
  AwaitInStore(env, "stopnext");
  // The client starts the next daemon and re-attaches the run to it; the stop reaches the
  // program from there.
  REQUIRE(env.KillDaemonAndAwaitNext());
  RequestStop(env, "stopnext");
  REQUIRE(WaitExit(client, std::chrono::seconds(60)) == 0);
  long rows = -1;
  std::ifstream(rows_file) >> rows;
  store::RunRow run = EndedRun(env, "stopnext");
  CHECK(run.state == store::RunState::kStopped);
  CHECK(run.exit_code == 255);
  CHECK(run.last_step == rows - 1);  // every row logged is kept
}

}  // namespace wandb::testing
