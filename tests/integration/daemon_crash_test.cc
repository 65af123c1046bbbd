// The daemon killed (kill -9) under a live training process: the process goes on, re-attaches
// its run to a new daemon and sends again what the dead one had not written; the finished run
// has every row exactly once, in order.
#include <signal.h>

#include <algorithm>
#include <catch2/catch.hpp>
#include <fstream>
#include <functional>
#include <set>
#include <string>
#include <thread>

#include "common/util/human_readable.h"
#include "nlohmann/json.hpp"
#include "service/store/local_store.h"
#include "tests/support/cli_runner.h"
#include "tests/support/test_env.h"

namespace wandb::testing {
namespace {

using nlohmann::json;

long Progress(const std::string& path) {
  long rows = 0;
  std::ifstream(path) >> rows;
  return rows;
}

size_t Count(const std::string& text, const std::string& what) {
  size_t n = 0;
  for (size_t at = text.find(what); at != std::string::npos; at = text.find(what, at + 1)) ++n;
  return n;
}

// Kills the environment's one daemon with SIGKILL and waits for the training process to
// bring up another and re-attach its run (the `reattached`-th time).
void KillDaemonAndWaitForReattach(const TestEnv& env, const std::string& run_dir,
                                  size_t reattached) {
  REQUIRE(env.KillDaemonAndAwaitNext());
  REQUIRE(Eventually([&] {
    return Count(ReadFile(run_dir + "/logs/debug-internal.log"), "stream: re-attached") >=
           reattached;
  }));
}

struct History {
  std::vector<int64_t> steps;
  std::vector<std::string> i;  // the "i" item of each row
  int exits = 0;
  int exit_code = -1;
};

History ReadHistory(const std::string& log_path) {
  LogContents log = ReadLog(log_path);
  CHECK(log.clean_end);
  History h;
  for (const records::Record& r : log.records) {
    if (r.has_history()) {
      h.steps.push_back(r.history().step().num());
      h.i.push_back(ItemValue(r.history(), "i"));
    }
    if (r.has_exit()) {
      ++h.exits;
      h.exit_code = r.exit().exit_code();
    }
  }
  return h;
}

// Rows 0..n-1, each once, in order, with i == step.
void CheckEveryRowOnce(const History& h, int64_t n) {
  REQUIRE(static_cast<int64_t>(h.steps.size()) == n);
  int64_t wrong = -1;
  for (int64_t s = 0; s < n && wrong < 0; ++s) {
    if (h.steps[s] != s || h.i[s] != std::to_string(s)) wrong = s;
  }
  INFO("first wrong row: " << wrong);
  CHECK(wrong == -1);
}

std::unique_ptr<store::LocalStore> OpenStore(const TestEnv& env) {
  absl::StatusOr<std::unique_ptr<store::LocalStore>> store =
      store::LocalStore::Open(env.store_dir());
  REQUIRE(store.ok());
  return *std::move(store);
}

}  // namespace

TEST_CASE("a daemon killed with kill -9 twice mid-run: the run has every row exactly once") {
  TestEnv env;
  const long kRows = 100000;
  std::string progress = env.root_dir() + "/progress";
  // About 10 s of logging, so that both kills land mid-run.
  pid_t client = env.Spawn(
      "reattach_client", {"--id", "dcrash1", "--rows", std::to_string(kRows), "--pace-every", "100",
                          "--pace-us", "10000", "--progress-file", progress});
  REQUIRE(Eventually([&] { return Progress(progress) >= 10000; }, std::chrono::seconds(60)));
  std::string dir = env.RunDir("dcrash1");
  REQUIRE_FALSE(dir.empty());

  KillDaemonAndWaitForReattach(env, dir, 1);
  long at_first = Progress(progress);
  REQUIRE(
      Eventually([&] { return Progress(progress) >= at_first + 10000; }, std::chrono::seconds(60)));
  KillDaemonAndWaitForReattach(env, dir, 2);
  CHECK(Progress(progress) < kRows);  // both kills landed mid-run
  REQUIRE(WaitExit(client) == 0);

  History h = ReadHistory(dir + "/run-dcrash1.wandb");
  CheckEveryRowOnce(h, kRows);
  CHECK(h.exits == 1);
  CHECK(h.exit_code == 0);
  json summary = json::parse(ReadFile(dir + "/files/wandb-summary.json"));
  CHECK(summary["i"] == kRows - 1);
  CHECK(summary["_step"] == kRows - 1);
  CHECK_FALSE(summary.contains("_undelivered_records"));
  // The telemetry goes on across the re-attaches, and names them (wandb's attach, 33).
  std::string yaml = ReadFile(dir + "/files/config.yaml");
  CHECK(yaml.find("        - 33\n") != std::string::npos);
  CHECK(yaml.find("        - 57\n") != std::string::npos);

  std::unique_ptr<store::LocalStore> store = OpenStore(env);
  absl::StatusOr<store::RunRow> row = store->runs().Find("dcrash1");
  REQUIRE(row.ok());
  CHECK(row->state == store::RunState::kFinished);
  CHECK(row->last_step == kRows - 1);
  absl::StatusOr<std::vector<store::HistoryRow>> stored = store->series().History(row->key);
  REQUIRE(stored.ok());
  REQUIRE(stored->size() == static_cast<size_t>(kRows));
  int64_t wrong = -1;
  for (int64_t s = 0; s < kRows && wrong < 0; ++s) {
    const store::HistoryRow& r = (*stored)[s];
    if (r.step != s || json::parse(r.row_json)["i"] != s) wrong = s;
  }
  INFO("first wrong stored row: " << wrong);
  CHECK(wrong == -1);
}

TEST_CASE("a daemon killed while every row is pending (log with a step) loses no call") {
  // Offline (no store), local, and local with fsync at every batch.
  std::vector<std::string> mode =
      GENERATE(std::vector<std::string>{"--offline"}, std::vector<std::string>{},
               std::vector<std::string>{"--fsync"});
  INFO("mode " << (mode.empty() ? "local" : mode[0]));
  TestEnv env;
  const long kRows = 20000;
  std::string progress = env.root_dir() + "/progress";
  std::vector<std::string> args = {
      "--id", "dcrash2",   "--rows", std::to_string(kRows), "--two-calls", "--pace-every",
      "50",   "--pace-us", "10000",  "--progress-file",     progress};
  args.insert(args.end(), mode.begin(), mode.end());
  pid_t client = env.Spawn("reattach_client", args);
  REQUIRE(Eventually([&] { return Progress(progress) >= 3000; }, std::chrono::seconds(60)));
  std::string dir = env.RunDir("dcrash2");
  REQUIRE_FALSE(dir.empty());
  KillDaemonAndWaitForReattach(env, dir, 1);
  CHECK(Progress(progress) < kRows);
  REQUIRE(WaitExit(client) == 0);

  LogContents log = ReadLog(dir + "/run-dcrash2.wandb");
  int64_t rows = 0;
  int64_t wrong = -1;
  for (const records::Record& r : log.records) {
    if (!r.has_history()) continue;
    // Both calls of each step merged into one row.
    bool right = r.history().step().num() == rows &&
                 ItemValue(r.history(), "i") == std::to_string(rows) &&
                 !ItemValue(r.history(), "loss").empty();
    if (!right && wrong < 0) wrong = rows;
    ++rows;
  }
  INFO("first wrong row: " << wrong);
  CHECK(wrong == -1);
  CHECK(rows == kRows);
}

TEST_CASE("a daemon killed while its run is idle: the run is re-attached and finishes whole") {
  TestEnv env;
  const long kRows = 5000;
  std::string progress = env.root_dir() + "/progress";
  std::string go = env.root_dir() + "/go";
  pid_t client = env.Spawn("reattach_client", {"--id", "dcrash6", "--rows", std::to_string(kRows),
                                               "--progress-file", progress, "--wait-file", go});
  // Every row is in the log, and the training process logs nothing more for now.
  REQUIRE(Eventually([&] { return Progress(progress) == kRows; }, std::chrono::seconds(60)));
  std::string dir = env.RunDir("dcrash6");
  KillDaemonAndWaitForReattach(env, dir, 1);
  std::ofstream(go) << "go\n";
  REQUIRE(WaitExit(client) == 0);

  History h = ReadHistory(dir + "/run-dcrash6.wandb");
  CheckEveryRowOnce(h, kRows);
  CHECK(h.exits == 1);
  CHECK(h.exit_code == 0);
  std::unique_ptr<store::LocalStore> store = OpenStore(env);
  absl::StatusOr<store::RunRow> row = store->runs().Find("dcrash6");
  REQUIRE(row.ok());
  CHECK(row->state == store::RunState::kFinished);
  CHECK(row->last_step == kRows - 1);
}

TEST_CASE("two training processes whose daemon was killed both go on, neither run crashed") {
  TestEnv env;
  const long kRows = 20000;
  std::vector<std::string> ids = {"dcrash5a", "dcrash5b"};
  std::vector<pid_t> clients;
  for (const std::string& id : ids) {
    clients.push_back(env.Spawn(
        "reattach_client", {"--id", id, "--rows", std::to_string(kRows), "--pace-every", "100",
                            "--pace-us", "10000", "--progress-file", env.root_dir() + "/" + id}));
  }
  for (const std::string& id : ids) {
    REQUIRE(Eventually([&] { return Progress(env.root_dir() + "/" + id) >= 3000; },
                       std::chrono::seconds(60)));
  }
  // The new daemon opens the store for whichever run re-attaches first, and completes the
  // runs a dead daemon left running there: not the other one, whose process is alive.
  std::vector<pid_t> daemons = env.DaemonPids();
  REQUIRE(daemons.size() == 1);
  REQUIRE(kill(daemons[0], SIGKILL) == 0);
  for (pid_t client : clients) CHECK(WaitExit(client) == 0);

  std::unique_ptr<store::LocalStore> store = OpenStore(env);
  for (const std::string& id : ids) {
    INFO(id);
    History h = ReadHistory(env.RunDir(id) + "/run-" + id + ".wandb");
    CheckEveryRowOnce(h, kRows);
    CHECK(h.exits == 1);
    absl::StatusOr<store::RunRow> row = store->runs().Find(id);
    REQUIRE(row.ok());
    CHECK(row->state == store::RunState::kFinished);
    CHECK(row->last_step == kRows - 1);
  }
}

TEST_CASE(
    "a daemon killed with more unwritten than the resend buffer holds: the loss is "
    "counted and reported and the run finishes") {
  TestEnv env;
  const long kRows = 20000;
  std::string progress = env.root_dir() + "/progress";
  CommandResult result;
  // A buffer of one byte keeps no batch.
  std::thread client([&] {
    result = RunProgram("reattach_client",
                        {"--id", "dcrash3", "--rows", std::to_string(kRows), "--pace-every", "100",
                         "--pace-us", "10000", "--progress-file", progress, "--resend-buffer", "1"},
                        std::chrono::seconds(180));
  });
  REQUIRE(Eventually([&] { return Progress(progress) >= 2000; }, std::chrono::seconds(60)));
  std::string dir = env.RunDir("dcrash3");
  // A frozen daemon takes batches off the socket no more: those sent meanwhile are lost.
  std::vector<pid_t> daemons = env.DaemonPids();
  REQUIRE(daemons.size() == 1);
  REQUIRE(kill(daemons[0], SIGSTOP) == 0);
  long at_stop = Progress(progress);
  REQUIRE(
      Eventually([&] { return Progress(progress) >= at_stop + 2000; }, std::chrono::seconds(60)));
  REQUIRE(kill(daemons[0], SIGKILL) == 0);
  client.join();
  INFO(result.err);
  REQUIRE(result.exit_code == 0);

  json summary = json::parse(ReadFile(dir + "/files/wandb-summary.json"));
  REQUIRE(summary.contains("_undelivered_records"));
  int64_t lost = summary["_undelivered_records"];
  CHECK(lost > 0);
  CHECK(result.err.find(CountOf(lost, "record") + " of run dcrash3 could not be delivered") !=
        std::string::npos);
  // What was not lost is there once, in order: i only grows, and steps follow each other.
  LogContents log = ReadLog(dir + "/run-dcrash3.wandb");
  int64_t rows = 0;
  int64_t last_i = -1;
  bool in_order = true;
  for (const records::Record& r : log.records) {
    if (!r.has_history()) continue;
    int64_t i = std::stoll(ItemValue(r.history(), "i"));
    in_order &= r.history().step().num() == rows && i > last_i;
    last_i = i;
    ++rows;
  }
  CHECK(in_order);
  CHECK(rows < kRows);
  CHECK(rows + lost >= kRows);
}

TEST_CASE(
    "a run that `daemon stop --finish-runs` finished is not revived by its training process") {
  TestEnv env;
  std::string progress = env.root_dir() + "/progress";
  CommandResult result;
  std::thread client([&] {
    result = RunProgram("reattach_client",
                        {"--id", "dcrash4", "--rows", "20000", "--pace-every", "100", "--pace-us",
                         "10000", "--progress-file", progress},
                        std::chrono::seconds(180));
  });
  REQUIRE(Eventually([&] { return Progress(progress) >= 2000; }, std::chrono::seconds(60)));
  CommandResult stop = RunCli({"daemon", "stop", "--finish-runs"});
  INFO(stop.err);
  CHECK(stop.exit_code == 0);
  client.join();
  INFO(result.err);
  CHECK(result.exit_code == 0);  // reported, never thrown
  CHECK(result.err.find("cannot go on") != std::string::npos);
  CHECK(result.err.find("could not be delivered") != std::string::npos);

  std::string dir = env.RunDir("dcrash4");
  History h = ReadHistory(dir + "/run-dcrash4.wandb");
  CHECK(h.exits == 1);  // the stop's, and nothing after it
  CHECK(h.exit_code == 1);
  CHECK(Count(ReadFile(dir + "/logs/debug-internal.log"), "stream: re-attached") == 0);
}

// A polite stop (SIGTERM, or `daemon stop`) mid-run: the daemon writes what it received and
// leaves the run to its training process, which re-attaches it to a new daemon; the run
// finishes normally with every row (issue 12, point 4: it used to end as crashed, rows lost).
void CheckPoliteStopLosesNothing(const std::string& id,
                                 const std::function<void(const TestEnv&)>& stop) {
  TestEnv env;
  const long kRows = 30000;
  std::string progress = env.root_dir() + "/progress";
  pid_t client =
      env.Spawn("reattach_client", {"--id", id, "--rows", std::to_string(kRows), "--pace-every",
                                    "100", "--pace-us", "10000", "--progress-file", progress});
  REQUIRE(Eventually([&] { return Progress(progress) >= 3000; }, std::chrono::seconds(60)));
  std::vector<pid_t> first = env.DaemonPids();
  REQUIRE(first.size() == 1);
  stop(env);
  std::string dir = env.RunDir(id);
  REQUIRE(Eventually([&] {
    return Count(ReadFile(dir + "/logs/debug-internal.log"), "stream: re-attached") >= 1;
  }));
  CHECK(Progress(progress) < kRows);  // the stop landed mid-run
  REQUIRE(WaitExit(client) == 0);
  CHECK(Eventually([&] { return ProcessGone(first[0]); }));  // the stopped daemon exited

  History h = ReadHistory(dir + "/run-" + id + ".wandb");
  CheckEveryRowOnce(h, kRows);
  CHECK(h.exits == 1);
  CHECK(h.exit_code == 0);
  std::unique_ptr<store::LocalStore> store = OpenStore(env);
  absl::StatusOr<store::RunRow> row = store->runs().Find(id);
  REQUIRE(row.ok());
  CHECK(row->state == store::RunState::kFinished);
  CHECK(row->last_step == kRows - 1);
}

TEST_CASE("SIGTERM to the daemon mid-run: the run goes on with a new daemon, every row kept") {
  CheckPoliteStopLosesNothing("term1", [](const TestEnv& env) {
    for (pid_t pid : env.DaemonPids()) kill(pid, SIGTERM);
  });
}

TEST_CASE("`daemon stop` mid-run: the run goes on with a new daemon, every row kept") {
  CheckPoliteStopLosesNothing("stop1", [](const TestEnv&) {
    CommandResult stop = RunCli({"daemon", "stop"});
    INFO(stop.err);
    CHECK(stop.exit_code == 0);
    CHECK_THAT(stop.out, Catch::Contains("left to their training processes"));
  });
}

}  // namespace wandb::testing
