// The default mode tracks each run into the user's local store: the daemon's sender replays
// the transaction log into it. These tests read the store the way the command line will.
#include <signal.h>
#include <sys/stat.h>

#include <catch2/catch.hpp>
#include <filesystem>
#include <optional>

#include "service/store/local_store.h"
#include "tests/support/test_env.h"
#include "wandb/wandb.h"

namespace wandb::testing {
namespace {

absl::StatusOr<store::RunRow> FindRun(const std::string& store_dir, const std::string& id) {
  absl::StatusOr<std::unique_ptr<store::LocalStore>> store = store::LocalStore::Open(store_dir);
  if (!store.ok()) return store.status();
  return (*store)->runs().Find(id);
}

store::RunRow MustFindRun(const std::string& store_dir, const std::string& id) {
  absl::StatusOr<store::RunRow> run = FindRun(store_dir, id);
  INFO(run.status().ToString());
  REQUIRE(run.ok());
  return *run;
}

// Waits until run `id` is in the store and no longer running (the sender may not have stored
// it yet when the wait begins: not finding it is not a failure yet). Its row, or none.
std::optional<store::RunRow> AwaitEndedRun(const std::string& store_dir, const std::string& id) {
  std::optional<store::RunRow> ended;
  Eventually(
      [&] {
        absl::StatusOr<store::RunRow> run = FindRun(store_dir, id);
        if (run.ok() && run->state != store::RunState::kRunning) ended = *run;
        return ended.has_value();
      },
      std::chrono::seconds(30));
  return ended;
}

}  // namespace

TEST_CASE("a run in the default mode is tracked in the local store, whole") {
  TestEnv env;
  Run run = init({.project = "store-proj",
                  .entity = "team",
                  .name = "first",
                  .tags = std::vector<std::string>{"a", "b"},
                  .config = {{"lr", 0.001}},
                  .id = "stored1"});
  for (int i = 0; i < 1000; ++i) run.log({{"loss", 1.0 / (i + 1)}, {"i", i}});
  run.summary()["best"] = 0.5;
  run.config().update({{"epochs", 3}});
  run.finish();

  store::RunRow row = MustFindRun(env.store_dir(), "stored1");
  CHECK(row.key == store::RunKey{"team", "store-proj", "stored1"});
  CHECK(row.name == "first");
  CHECK(row.tags == std::vector<std::string>{"a", "b"});
  CHECK(row.state == store::RunState::kFinished);
  CHECK(row.exit_code == 0);
  CHECK(row.last_step == 999);
  CHECK(row.config_json == R"({"lr": 0.001, "epochs": 3})");
  CHECK_THAT(row.summary_json, Catch::Contains(R"("i": 999)"));
  CHECK_THAT(row.summary_json, Catch::Contains(R"("best": 0.5)"));
  CHECK_THAT(row.summary_json, Catch::Contains(R"("_step": 999)"));
  CHECK(row.run_dir == env.RunDir("stored1"));
  // Everything in the log reached the store.
  CHECK(row.log_offset == std::filesystem::file_size(row.run_dir + "/run-stored1.wandb"));

  absl::StatusOr<std::unique_ptr<store::LocalStore>> store =
      store::LocalStore::Open(env.store_dir());
  REQUIRE(store.ok());
  absl::StatusOr<std::vector<store::HistoryRow>> history = (*store)->series().History(row.key);
  REQUIRE(history.ok());
  REQUIRE(history->size() == 1000);
  for (int i = 0; i < 1000; ++i) CHECK((*history)[i].step == i);
  CHECK_THAT((*history)[0].row_json, Catch::StartsWith(R"({"loss": 1.0, "i": 0, "_step": 0, )"));
}

TEST_CASE("an offline run leaves the local store alone") {
  TestEnv env;
  Run run = init({.id = "offline1", .mode = Mode::kOffline});
  run.log({{"loss", 0.5}});
  run.finish();
  std::string name = std::filesystem::path(env.RunDir("offline1")).filename();
  CHECK(name.starts_with("offline-run-"));
  CHECK_FALSE(std::filesystem::exists(env.store_dir()));
}

TEST_CASE("a client killed with kill -9 leaves a crashed run in the store, every row kept") {
  TestEnv env;
  std::string ready = env.root_dir() + "/ready";
  pid_t client = env.Spawn("log_client",
                           {"--id", "crashst", "--rows", "3000", "--hang", "--ready-file", ready});
  struct stat st;
  REQUIRE(Eventually([&] { return stat(ready.c_str(), &st) == 0; }));
  kill(client, SIGKILL);
  WaitExit(client);
  std::optional<store::RunRow> ended = AwaitEndedRun(env.store_dir(), "crashst");
  REQUIRE(ended.has_value());
  const store::RunRow& row = *ended;
  CHECK(row.state == store::RunState::kCrashed);
  CHECK(row.exit_code != 0);
  CHECK(row.last_step == 2999);
}

}  // namespace wandb::testing

namespace wandb::testing {

TEST_CASE(
    "a daemon killed mid-run leaves a store that opens clean, and the next one completes "
    "the run from its log") {
  TestEnv env;
  std::string ready = env.root_dir() + "/ready";
  pid_t client = env.Spawn("log_client",
                           {"--id", "orphan1", "--rows", "3000", "--hang", "--ready-file", ready});
  struct stat st;
  REQUIRE(Eventually([&] { return stat(ready.c_str(), &st) == 0; }));
  // Every row is in the log; the store may have some of them, or none.
  std::string log_path = env.RunDir("orphan1") + "/run-orphan1.wandb";
  REQUIRE(Eventually([&] {
    int rows = 0;
    for (const records::Record& r : ReadLog(log_path).records) rows += r.has_history();
    return rows == 3000;
  }));
  for (pid_t daemon : env.DaemonPids()) kill(daemon, SIGKILL);
  kill(client, SIGKILL);
  WaitExit(client);
  REQUIRE(Eventually([&] { return env.DaemonPids().empty(); }));
  {
    absl::StatusOr<std::unique_ptr<store::LocalStore>> store =
        store::LocalStore::Open(env.store_dir());
    REQUIRE(store.ok());
    CHECK((*store)->IntegrityCheck().ok());
  }

  // The next run starts a new daemon, which finds the orphan in the store and completes it.
  Run next = init({.id = "next1"});
  next.finish();
  std::optional<store::RunRow> ended = AwaitEndedRun(env.store_dir(), "orphan1");
  REQUIRE(ended.has_value());
  const store::RunRow& row = *ended;
  CHECK(row.state == store::RunState::kCrashed);
  CHECK(row.last_step == 2999);
  CHECK_THAT(row.summary_json, Catch::Contains(R"("i": 2999)"));
  absl::StatusOr<std::unique_ptr<store::LocalStore>> store =
      store::LocalStore::Open(env.store_dir());
  REQUIRE(store.ok());
  absl::StatusOr<std::vector<store::HistoryRow>> history = (*store)->series().History(row.key);
  REQUIRE(history.ok());
  CHECK(history->size() == 3000);
  CHECK((*store)->IntegrityCheck().ok());
}

}  // namespace wandb::testing
