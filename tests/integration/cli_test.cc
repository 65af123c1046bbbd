// The wandb-cpp command line, run as the real binary against a real daemon and store:
// status, runs, stop, import and daemon stop, their output (tables and JSON) and their errors.
#include <pwd.h>
#include <signal.h>
#include <sys/stat.h>
#include <unistd.h>

#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "common/ipc/file_lock.h"
#include "common/protocol.h"
#include "common/txlog/log_reader.h"
#include "service/store/local_store.h"
#include "tests/support/cli_runner.h"
#include "tests/support/test_env.h"
#include "wandb/wandb.h"

namespace wandb::testing {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;

std::unique_ptr<store::LocalStore> OpenStore(const TestEnv& env) {
  absl::StatusOr<std::unique_ptr<store::LocalStore>> store =
      store::LocalStore::Open(env.store_dir());
  INFO(store.status().ToString());
  REQUIRE(store.ok());
  return *std::move(store);
}

store::RunRow MustFindRun(store::LocalStore& store, const std::string& ref) {
  absl::StatusOr<store::RunRow> run = store.runs().Find(ref);
  INFO(run.status().ToString());
  REQUIRE(run.ok());
  return *run;
}

std::string UserName() {
  passwd* pw = getpwuid(getuid());
  return pw != nullptr ? pw->pw_name : "local";
}

json ParseJson(const std::string& text) {
  INFO(text);
  json parsed = json::parse(text, nullptr, /*allow_exceptions=*/false);
  REQUIRE_FALSE(parsed.is_discarded());
  return parsed;
}

std::vector<json> ParseJsonLines(const std::string& text) {
  std::vector<json> lines;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) lines.push_back(ParseJson(line));
  return lines;
}

// The daemon's view of the live runs, once `ready` holds for it.
json StatusWhen(const std::function<bool(const json&)>& ready) {
  json status;
  bool held = Eventually([&] {
    CommandResult r = RunCli({"status", "--json"});
    if (r.exit_code != 0) return false;
    status = json::parse(r.out, nullptr, false);
    return !status.is_discarded() && ready(status);
  });
  INFO(status.dump());
  REQUIRE(held);
  return status;
}

// Cuts the log back to just before its exit record, as a process killed at that moment
// leaves it.
void CutBeforeExit(const std::string& log_path) {
  absl::StatusOr<std::unique_ptr<txlog::LogReader>> reader = txlog::LogReader::Open(log_path);
  REQUIRE(reader.ok());
  uint64_t before_exit = 0;
  std::string payload;
  while ((*reader)->Next(&payload)) {
    records::Record record;
    REQUIRE(record.ParseFromString(payload));
    if (record.has_exit()) break;
    before_exit = (*reader)->good_offset();
  }
  REQUIRE(before_exit > 0);
  fs::resize_file(log_path, before_exit);
}

}  // namespace

TEST_CASE("status without a daemon says so and starts none") {
  TestEnv env;
  CommandResult text = RunCli({"status"});
  CHECK(text.exit_code == 1);
  CHECK(text.out.empty());
  CHECK_THAT(text.err, Catch::Contains("no wandb-service is running for this user (socket " +
                                       env.socket_path() + ")"));

  CommandResult as_json = RunCli({"status", "--json"});
  CHECK(as_json.exit_code == 0);
  json status = ParseJson(as_json.out);
  CHECK(status["running"] == false);
  CHECK(status["socket"] == env.socket_path());
  CHECK(env.DaemonPids().empty());
}

TEST_CASE("status shows the daemon and its live runs, with rows and last step") {
  TestEnv env;
  Run run = init({.project = "cli-proj", .entity = "team", .name = "watched", .id = "statrun1"});
  for (int i = 0; i < 10; ++i) run.log({{"loss", 1.0 / (i + 1)}});
  run.summary().get();  // every row handled

  json status = StatusWhen([](const json& s) {
    return s["runs"].size() == 1 && s["runs"][0]["rows"] == 10 && s["runs"][0]["last_step"] == 9;
  });
  std::vector<pid_t> daemons = env.DaemonPids();
  REQUIRE(daemons.size() == 1);
  CHECK(status["running"] == true);
  CHECK(status["pid"] == daemons[0]);
  CHECK(status["version"] == kVersion);
  CHECK(status["protocol"] == kProtocolVersion);
  CHECK(status["socket"] == env.socket_path());
  CHECK(status["service_dir"] == env.service_dir());
  CHECK(status["uptime_seconds"].get<double>() >= 0);
  const json& live = status["runs"][0];
  CHECK(live["id"] == "statrun1");
  CHECK(live["entity"] == "team");
  CHECK(live["project"] == "cli-proj");
  CHECK(live["name"] == "watched");
  CHECK(live["pid"] == getpid());
  CHECK(live["mode"] == "local");
  CHECK(live["state"] == "running");
  CHECK(live["run_dir"] == env.RunDir("statrun1"));
  CHECK(live["store_dir"] == env.store_dir());

  CommandResult table = RunCli({"status"});
  CHECK(table.exit_code == 0);
  CHECK(table.err.empty());
  CHECK_THAT(table.out, Catch::Contains(std::string("wandb-service ") + kVersion));
  CHECK_THAT(table.out, Catch::Contains("pid     " + std::to_string(daemons[0])));
  CHECK_THAT(table.out, Catch::Contains("socket  " + env.socket_path()));
  CHECK_THAT(table.out, Catch::Contains("1 live run\nID "));
  CHECK_THAT(table.out, Catch::Contains("LAST STEP"));
  CHECK_THAT(table.out, Catch::Contains("statrun1"));
  CHECK_THAT(table.out, Catch::Contains("team/cli-proj"));
  CHECK_THAT(table.out, Catch::Contains("running"));

  run.finish();
  CommandResult after = RunCli({"status"});
  CHECK(after.exit_code == 0);
  CHECK_THAT(after.out, Catch::Contains("no live runs"));
}

TEST_CASE("runs lists the store's runs as a table and as JSON lines") {
  TestEnv env;
  Run first = init({.project = "p1", .entity = "team", .name = "alpha", .id = "runsa"});
  for (int i = 0; i < 5; ++i) first.log({{"x", i}});
  first.finish();
  Run second = init({.project = "p2", .entity = "team", .id = "runsb"});
  second.log({{"x", 1}});
  second.finish(3);

  CommandResult table = RunCli({"runs"});
  CHECK(table.exit_code == 0);
  CHECK(table.err.empty());
  std::vector<std::string> lines;
  std::istringstream in(table.out);
  for (std::string line; std::getline(in, line);) lines.push_back(line);
  REQUIRE(lines.size() == 3);
  CHECK_THAT(lines[0], Catch::StartsWith("ID     PROJECT  NAME   STATE     EXIT  STARTED"));
  CHECK_THAT(lines[0], Catch::EndsWith("DURATION"));
  CHECK_THAT(lines[1], Catch::StartsWith("runsa  team/p1  alpha  finished     0  "));
  CHECK_THAT(lines[2], Catch::StartsWith("runsb  team/p2  -      crashed      3  "));

  CommandResult as_json = RunCli({"runs", "--json"});
  CHECK(as_json.exit_code == 0);
  std::vector<json> runs = ParseJsonLines(as_json.out);
  REQUIRE(runs.size() == 2);
  CHECK(runs[0]["id"] == "runsa");
  CHECK(runs[0]["path"] == "team/p1/runsa");
  CHECK(runs[0]["name"] == "alpha");
  CHECK(runs[0]["state"] == "finished");
  CHECK(runs[0]["exit_code"] == 0);
  CHECK(runs[0]["last_step"] == 4);
  CHECK(runs[0]["end_time"].is_number());
  CHECK(runs[0]["run_dir"] == env.RunDir("runsa"));
  CHECK(runs[1]["id"] == "runsb");
  CHECK(runs[1]["state"] == "crashed");
  CHECK(runs[1]["exit_code"] == 3);

  CommandResult one_project = RunCli({"runs", "--project", "team/p2", "--json"});
  CHECK(one_project.exit_code == 0);
  REQUIRE(ParseJsonLines(one_project.out).size() == 1);
  CHECK(ParseJsonLines(one_project.out)[0]["id"] == "runsb");

  CommandResult none = RunCli({"runs", "--project", "nothing-here"});
  CHECK(none.exit_code == 0);
  CHECK_THAT(none.out, Catch::Contains("no runs of project nothing-here"));

  CommandResult bad = RunCli({"runs", "--project", "a/b/c"});
  CHECK(bad.exit_code == 2);
  CHECK_THAT(bad.err, Catch::Contains("'a/b/c' is not 'project' or 'entity/project'"));

  std::string elsewhere = env.root_dir() + "/no-store";
  CommandResult empty = RunCli({"runs", "--store", elsewhere});
  CHECK(empty.exit_code == 0);
  CHECK_THAT(empty.out, Catch::Contains("there is no local store in " + elsewhere));
  CHECK_FALSE(fs::exists(elsewhere));  // reading never makes a store
}

TEST_CASE("stop requests a stop of a running run, once, and refuses what it cannot stop") {
  TestEnv env;
  std::string ready = env.root_dir() + "/ready";
  // A training process that logs, then waits. Without a handler of its own, the stop request
  // interrupts it (SIGINT), so the request is made against a process, not this test.
  pid_t client = env.Spawn("log_client",
                           {"--id", "stoprun1", "--rows", "10", "--hang", "--ready-file", ready});
  struct stat st;
  REQUIRE(Eventually([&] { return stat(ready.c_str(), &st) == 0; }));
  std::unique_ptr<store::LocalStore> store = OpenStore(env);
  REQUIRE(Eventually([&] { return store->runs().Find("stoprun1").ok(); }));
  store::RunKey key = MustFindRun(*store, "stoprun1").key;
  CHECK(key == store::RunKey{UserName(), "integration", "stoprun1"});

  CommandResult stop = RunCli({"stop", "integration/stoprun1", "--json"});
  CHECK(stop.exit_code == 0);
  CHECK(stop.err.empty());
  json answer = ParseJson(stop.out);
  CHECK(answer["run"] == key.ToString());
  CHECK(answer["already_requested"] == false);
  absl::StatusOr<bool> requested = store->runs().StopRequested(key);
  REQUIRE(requested.ok());
  CHECK(*requested);

  // The run may already have ended by the time of a second request: either is a clear answer.
  CommandResult again = RunCli({"stop", key.ToString()});
  if (again.exit_code == 0) {
    CHECK_THAT(again.out, Catch::Contains("already requested"));
  } else {
    CHECK(again.exit_code == 1);
    CHECK_THAT(again.err, Catch::Contains("is not running"));
  }

  kill(client, SIGKILL);
  WaitExit(client);
  REQUIRE(Eventually([&] {
    absl::StatusOr<store::RunRow> run = store->runs().Get(key);
    return run.ok() && run->state != store::RunState::kRunning;
  }));
  CommandResult ended = RunCli({"stop", "stoprun1"});
  CHECK(ended.exit_code == 1);
  CHECK(ended.out.empty());
  CHECK_THAT(ended.err,
             Catch::Contains("wandb-cpp stop: run " + key.ToString() + " is not running ("));

  CommandResult unknown = RunCli({"stop", "no-such-run"});
  CHECK(unknown.exit_code == 1);
  CHECK_THAT(unknown.err, Catch::Contains("no run 'no-such-run' in the local store"));

  // Two runs of the same id in two projects: the id alone is ambiguous.
  for (const char* project : {"amb1", "amb2"}) {
    store::RunRow row;
    row.key = store::RunKey{"team", project, "twin"};
    REQUIRE(store->runs().Upsert(row).ok());
  }
  CommandResult ambiguous = RunCli({"stop", "twin"});
  CHECK(ambiguous.exit_code == 1);
  CHECK_THAT(ambiguous.err, Catch::Contains("ambiguous"));
  CHECK_THAT(ambiguous.err, Catch::Contains("team/amb1/twin"));
  CHECK(RunCli({"stop", "amb2/twin"}).exit_code == 0);

  CommandResult malformed = RunCli({"stop", "a//b"});
  CHECK(malformed.exit_code == 2);
  CHECK(RunCli({"stop"}).exit_code == 2);
}

TEST_CASE("stop of an offline run says that it cannot be stopped, and why") {
  TestEnv env;
  Run run = init({.id = "offstop1", .mode = Mode::kOffline});
  run.log({{"x", 1}});
  CommandResult stop = RunCli({"stop", "offstop1"});
  CHECK(stop.exit_code == 1);
  CHECK(stop.out.empty());
  CHECK_THAT(stop.err, Catch::Contains("run offstop1 is an offline run, and offline runs cannot "
                                       "be stopped"));
  CHECK_THAT(stop.err, Catch::Contains("not tracked there"));
  CHECK_THAT(stop.err, Catch::Contains("kill -INT " + std::to_string(getpid())));
  CHECK_FALSE(run.stop_requested());
  run.finish();
}

TEST_CASE("stop --wait returns once the training process has ended the run as stopped") {
  TestEnv env;
  std::string ready = env.root_dir() + "/ready";
  pid_t client = env.Spawn("log_client",
                           {"--id", "stopwait", "--rows", "10", "--hang", "--ready-file", ready});
  struct stat st;
  REQUIRE(Eventually([&] { return stat(ready.c_str(), &st) == 0; }));
  std::unique_ptr<store::LocalStore> store = OpenStore(env);
  REQUIRE(Eventually([&] { return store->runs().Find("stopwait").ok(); }));

  CommandResult stop = RunCli({"stop", "stopwait", "--wait", "--timeout", "60"});
  INFO(stop.out << stop.err);
  CHECK(stop.exit_code == 0);
  CHECK_THAT(stop.out, Catch::Contains("ended: stopped, exit code 255"));
  WaitExit(client, std::chrono::seconds(30));
  store::RunRow run = MustFindRun(*store, "stopwait");
  CHECK(run.state == store::RunState::kStopped);
  CHECK(run.last_step == 9);  // every row kept
}

TEST_CASE(
    "import takes an offline run into the store, and importing it again stores nothing twice") {
  TestEnv env;
  Run run =
      init({.project = "offp", .config = {{"lr", 0.1}}, .id = "offsync1", .mode = Mode::kOffline});
  for (int i = 0; i < 100; ++i) run.log({{"loss", 1.0 / (i + 1)}, {"i", i}});
  run.summary()["best"] = 0.5;
  std::string dir = run.dir();
  std::ofstream(dir + "/files/notes.txt") << "offline notes";
  run.finish();
  REQUIRE_FALSE(fs::exists(env.store_dir()));

  CommandResult sync = RunCli({"import", dir});
  INFO(sync.err);
  CHECK(sync.exit_code == 0);
  CHECK(sync.err.empty());
  std::string key = UserName() + "/offp/offsync1";
  CHECK_THAT(sync.out, Catch::StartsWith("imported run " + key + " from " + dir + ": 100 rows, "));
  CHECK_THAT(sync.out, Catch::Contains("finished (exit code 0)"));

  std::unique_ptr<store::LocalStore> store = OpenStore(env);
  store::RunRow row = MustFindRun(*store, "offsync1");
  CHECK(row.key.ToString() == key);
  CHECK(row.state == store::RunState::kFinished);
  CHECK(row.exit_code == 0);
  CHECK(row.last_step == 99);
  CHECK(row.run_dir == dir);
  CHECK(row.config_json == R"({"lr": 0.1})");
  CHECK_THAT(row.summary_json, Catch::Contains(R"("best": 0.5)"));
  CHECK_THAT(row.summary_json, Catch::Contains(R"("i": 99)"));
  auto history = store->series().History(row.key);
  REQUIRE(history.ok());
  CHECK(history->size() == 100);
  auto files = store->files().List(row.key);
  REQUIRE(files.ok());
  std::vector<std::string> names;
  for (const store::FileVersion& f : *files) names.push_back(f.path);
  CHECK_THAT(names, Catch::VectorContains(std::string("notes.txt")));
  CHECK_THAT(names, Catch::VectorContains(std::string("config.yaml")));
  CHECK_THAT(names, Catch::VectorContains(std::string("wandb-summary.json")));
  auto notes = store->files().Latest(row.key, "notes.txt");
  REQUIRE(notes.ok());
  CHECK(ReadFile(notes->blob_path) == "offline notes");
  const absl::Time end_time = row.end_time.value_or(absl::InfinitePast());

  CommandResult again = RunCli({"import", dir});
  CHECK(again.exit_code == 0);
  CHECK_THAT(again.out,
             Catch::StartsWith("already imported: run " + key + " from " + dir + " (finished"));
  // The wandb/ directory names its offline runs: the same run, already imported.
  CommandResult parent = RunCli({"import", env.root_dir() + "/wandb", "--json"});
  CHECK(parent.exit_code == 0);
  std::vector<json> lines = ParseJsonLines(parent.out);
  REQUIRE(lines.size() == 1);
  CHECK(lines[0]["outcome"] == "already_imported");
  CHECK(lines[0]["run"] == key);
  CHECK(lines[0]["rows"] == 100);

  history = store->series().History(row.key);
  REQUIRE(history.ok());
  CHECK(history->size() == 100);
  auto versions = store->files().Versions(row.key, "notes.txt");
  REQUIRE(versions.ok());
  CHECK(versions->size() == 1);
  store::RunRow after = MustFindRun(*store, "offsync1");
  CHECK(after.state == store::RunState::kFinished);
  CHECK(after.end_time == end_time);  // not even re-finished
}

TEST_CASE("import records a log without an exit as crashed and reports what it cannot import") {
  TestEnv env;
  Run run = init({.project = "cut", .entity = "team", .id = "offcut1", .mode = Mode::kOffline});
  for (int i = 0; i < 50; ++i) run.log({{"i", i}});
  std::string dir = run.dir();
  run.finish();
  // As a run killed before its exit leaves it: no daemon holds it, and the log has no exit.
  REQUIRE(Eventually([&] { return FileLock::TryAcquire(dir + "/logs/run.lock").ok(); }));
  CutBeforeExit(dir + "/run-offcut1.wandb");
  std::string empty_dir = env.root_dir() + "/empty";
  fs::create_directories(empty_dir);

  CommandResult sync = RunCli({"import", "--json", empty_dir, dir, env.root_dir() + "/missing"});
  CHECK(sync.exit_code == 1);  // two of the three failed; the good one is still synced
  std::vector<json> lines = ParseJsonLines(sync.out);
  REQUIRE(lines.size() == 3);
  CHECK(lines[0]["outcome"] == "failed");
  CHECK(lines[1]["outcome"] == "imported");
  CHECK(lines[1]["state"] == "crashed");
  CHECK(lines[1]["exit_code"] == 1);
  CHECK(lines[1]["log_has_exit"] == false);
  CHECK(lines[1]["rows"] == 50);
  CHECK(lines[2]["outcome"] == "failed");
  CHECK_THAT(sync.err, Catch::Contains(empty_dir + " is not a run directory"));
  CHECK_THAT(sync.err, Catch::Contains("warning: " + dir + ": the log ends before the run's exit"));
  CHECK_THAT(sync.err, Catch::Contains("missing is not a directory"));

  std::unique_ptr<store::LocalStore> store = OpenStore(env);
  store::RunRow row = MustFindRun(*store, "team/cut/offcut1");
  CHECK(row.state == store::RunState::kCrashed);
  CHECK(row.exit_code == 1);
  CHECK(row.last_step == 49);

  CommandResult again = RunCli({"import", dir});
  CHECK(again.exit_code == 0);
  CHECK_THAT(again.out, Catch::StartsWith("already imported: run team/cut/offcut1"));
  CHECK(RunCli({"import"}).exit_code == 2);
}

TEST_CASE("import refuses a run that a daemon is still writing") {
  TestEnv env;
  Run run = init({.id = "offlive1", .mode = Mode::kOffline});
  run.log({{"x", 1}});
  CommandResult sync = RunCli({"import", run.dir()});
  CHECK(sync.exit_code == 1);
  CHECK_THAT(sync.err, Catch::Contains("offlive1 is live: a wandb-service is writing"));
  run.finish();
  CHECK(RunCli({"import", run.dir()}).exit_code == 0);
}

TEST_CASE("daemon stop --finish-runs finishes the live runs and the daemon exits") {
  TestEnv env;
  std::string ready = env.root_dir() + "/ready";
  pid_t client =
      env.Spawn("log_client", {"--id", "dstop1", "--rows", "10", "--hang", "--ready-file", ready});
  struct stat st;
  REQUIRE(Eventually([&] { return stat(ready.c_str(), &st) == 0; }));
  // Frozen, the training process can neither finish its run nor reach a daemon again: what
  // the store shows afterwards is the stopped daemon's doing.
  REQUIRE(kill(client, SIGSTOP) == 0);
  StatusWhen([](const json& s) { return s["runs"].size() == 1 && s["runs"][0]["rows"] == 10; });
  std::vector<pid_t> daemons = env.DaemonPids();
  REQUIRE(daemons.size() == 1);

  CommandResult stop = RunCli({"daemon", "stop", "--json", "--finish-runs"});
  INFO(stop.err);
  CHECK(stop.exit_code == 0);
  json answer = ParseJson(stop.out);
  CHECK(answer["was_running"] == true);
  CHECK(answer["pid"] == daemons[0]);
  CHECK(answer["runs_finished"] == 1);
  CHECK(answer["exited"] == true);
  CHECK(ProcessGone(daemons[0]));

  std::unique_ptr<store::LocalStore> store = OpenStore(env);
  store::RunRow row = MustFindRun(*store, "dstop1");
  CHECK(row.state == store::RunState::kCrashed);  // as when the daemon gets SIGTERM
  CHECK(row.exit_code == 1);
  CHECK(row.last_step == 9);
  LogContents log = ReadLog(env.RunDir("dstop1") + "/run-dstop1.wandb");
  int exits = 0;
  for (const records::Record& r : log.records) exits += r.has_exit();
  CHECK(exits == 1);
  CHECK(log.clean_end);

  kill(client, SIGKILL);
  WaitExit(client);
}

TEST_CASE("daemon stop without a daemon has nothing to do") {
  TestEnv env;
  CommandResult stop = RunCli({"daemon", "stop"});
  CHECK(stop.exit_code == 0);
  CHECK_THAT(stop.out, Catch::Contains("no wandb-service is running for this user"));
  CHECK_THAT(stop.out, Catch::Contains("nothing to stop"));
  CHECK(RunCli({"daemon"}).exit_code == 2);
  CHECK(RunCli({"daemon", "stop", "--timeout", "-1"}).exit_code == 2);
}

TEST_CASE("every command has help, and bad arguments are usage errors") {
  TestEnv env;
  for (const char* command : {"status", "runs", "stop", "dump", "import", "daemon"}) {
    CommandResult help = RunCli({command, "--help"});
    INFO(command);
    CHECK(help.exit_code == 0);
    CHECK_THAT(help.out, Catch::Contains("Usage:"));
  }
  CommandResult daemon_stop_help = RunCli({"daemon", "stop", "--help"});
  CHECK(daemon_stop_help.exit_code == 0);
  CHECK_THAT(daemon_stop_help.out, Catch::Contains("Exit codes"));
  CommandResult version = RunCli({"--version"});
  CHECK(version.exit_code == 0);
  CHECK_THAT(version.out, Catch::Contains(kVersion));
  CHECK(RunCli({}).exit_code == 2);
  CHECK(RunCli({"frobnicate"}).exit_code == 2);
  CHECK(RunCli({"status", "--bogus"}).exit_code == 2);
}

}  // namespace wandb::testing
