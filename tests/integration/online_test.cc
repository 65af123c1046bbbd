// Online mode against a fake W&B server over real TCP (tests/support/fake_wandb_server.h):
// the real client and daemon send the run through the W&B HTTP API, and the server's record
// of it is checked whole, with and without injected faults. The API key must reach the
// server and nothing else: no file the run or the daemon wrote, no daemon environment.
#include <stdlib.h>
#include <sys/stat.h>

#include <algorithm>
#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <thread>

#include "service/store/local_store.h"
#include "tests/support/cli_runner.h"
#include "tests/support/fake_wandb_server.h"
#include "tests/support/scoped_env.h"
#include "tests/support/temp_dir.h"
#include "tests/support/test_certificates.h"
#include "tests/support/test_env.h"
#include "wandb/wandb.h"

namespace wandb::testing {
namespace {

Settings OnlineSettings(const FakeWandbServer& server, const std::string& id) {
  return Settings{.project = "online-proj",
                  .name = "first",
                  .notes = "a note",
                  .tags = std::vector<std::string>{"a", "b"},
                  .group = "grp",
                  .job_type = "train",
                  .config = {{"lr", 0.001}},
                  .id = id,
                  .mode = Mode::kOnline,
                  .base_url = server.base_url(),
                  .api_key = std::string(FakeWandbServer::kApiKey)};
}

// Every row once, in order: line i of wandb-history.jsonl is step i with i = i. Lines resent
// (over a line the server had) are at most `resent`: none unless a test drops answers.
void CheckHistory(const FakeWandbServer::RunState& run, int rows, int resent = 0) {
  auto history = run.files.find("wandb-history.jsonl");
  REQUIRE(history != run.files.end());
  REQUIRE(history->second.size() == static_cast<size_t>(rows));
  for (int i = 0; i < rows; ++i) {
    nlohmann::json line = nlohmann::json::parse(history->second[i]);
    INFO("line " << i << ": " << history->second[i]);
    REQUIRE(line["_step"] == i);
    REQUIRE(line["i"] == i);
    REQUIRE(line.contains("_runtime"));
    REQUIRE(line.contains("_timestamp"));
  }
  CHECK(run.rewritten_lines <= resent);  // nothing else was sent twice
}

void CheckWhole(const FakeWandbServer::RunState& run, int rows, int resent = 0) {
  CHECK(run.entity == "fake-user");  // the viewer's default entity
  CHECK(run.project == "online-proj");
  CHECK(run.display_name == "first");
  CHECK(run.notes == "a note");
  CHECK(run.group == "grp");
  CHECK(run.job_type == "train");
  CHECK(run.tags == std::vector<std::string>{"a", "b"});
  nlohmann::json config = nlohmann::json::parse(run.config);
  CHECK(config["lr"]["value"] == 0.001);
  CHECK(config["epochs"]["value"] == 3);
  CHECK(config["_wandb"]["value"].contains("t"));
  CheckHistory(run, rows, resent);
  auto summary = run.files.find("wandb-summary.json");
  REQUIRE(summary != run.files.end());
  REQUIRE(summary->second.size() == 1);
  nlohmann::json last = nlohmann::json::parse(summary->second[0]);
  CHECK(last["best"] == 0.5);
  CHECK(last["i"] == rows - 1);
  CHECK(last["_step"] == rows - 1);
  CHECK(run.complete);
  CHECK(run.exit_code == 0);
  CHECK(run.requests_after_complete == 0);
}

void LogRun(Run& run, int rows) {
  for (int i = 0; i < rows; ++i) {
    run.log({{"loss", 1.0 / (i + 1)}, {"i", i}});
    // Pauses let the daemon send in several passes rather than one at the finish.
    if (i % 1000 == 999) std::this_thread::sleep_for(std::chrono::milliseconds(300));
  }
  run.summary()["best"] = 0.5;
  run.config().update({{"epochs", 3}});
}

store::RunRow StoredRun(const TestEnv& env, const std::string& id) {
  absl::StatusOr<std::unique_ptr<store::LocalStore>> store =
      store::LocalStore::Open(env.store_dir());
  REQUIRE(store.ok());
  absl::StatusOr<store::RunRow> run = (*store)->runs().Find(id);
  REQUIRE(run.ok());
  return *run;
}

void WriteText(const std::string& path, const std::string& text) {
  std::ofstream(path, std::ios::binary | std::ios::trunc) << text;
}

bool FileContains(const std::filesystem::path& path, const std::string& needle) {
  std::ifstream in(path, std::ios::binary);
  std::string data((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  return data.find(needle) != std::string::npos;
}

// Every regular file under `dir` that holds `needle`.
std::vector<std::string> FilesContaining(const std::string& dir, const std::string& needle) {
  std::vector<std::string> found;
  std::error_code ec;
  for (auto it = std::filesystem::recursive_directory_iterator(dir, ec);
       !ec && it != std::filesystem::recursive_directory_iterator(); it.increment(ec)) {
    if (it->is_regular_file() && !it->is_symlink() && FileContains(it->path(), needle)) {
      found.push_back(it->path().string());
    }
  }
  return found;
}

// A home without ~/.netrc and no key in the environment: no key anywhere.
struct NoKeyAnywhere {
  TempDir home;
  ScopedEnv no_key{"WANDB_API_KEY", nullptr};
  ScopedEnv no_netrc{"NETRC", nullptr};
  ScopedEnv empty_home{"HOME", home.path().c_str()};
};

// A training loop that logs until its run is asked to stop (polling stop_requested(), so no
// SIGINT), for at most `limit`; whether the stop came.
bool LogUntilStopped(Run& run, std::chrono::seconds limit) {
  auto give_up = std::chrono::steady_clock::now() + limit;
  for (int i = 0; std::chrono::steady_clock::now() < give_up; ++i) {
    if (run.stop_requested()) return true;
    run.log({{"i", i}});
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  return false;
}

Settings StoppableSettings(const FakeWandbServer& server, const std::string& id) {
  Settings settings = OnlineSettings(server, id);
  settings.interrupt_on_stop = false;
  settings.stop_poll_interval = std::chrono::milliseconds(100);
  return settings;
}

// Presses Stop on the run's W&B page once the server has the run.
std::thread PressStopWhenSeen(FakeWandbServer* server, const std::string& id, bool in_file_stream) {
  return std::thread([=] {
    if (Eventually([&] { return server->Run(id).has_value(); }, std::chrono::seconds(60))) {
      server->StopRun(id, in_file_stream);
    }
  });
}

// The run ended as a stopped one, on the server and in the local store.
void CheckStopped(const FakeWandbServer& server, const TestEnv& env, const std::string& id) {
  std::optional<FakeWandbServer::RunState> sent = server.Run(id);
  REQUIRE(sent.has_value());
  CHECK(sent->complete);
  CHECK(sent->exit_code == 255);
  CHECK(StoredRun(env, id).state == store::RunState::kStopped);
}

}  // namespace

TEST_CASE("an online run arrives whole at the W&B server, and in the local store") {
  FakeWandbServer server;
  TestEnv env;
  Run run = init(OnlineSettings(server, "online1"));
  LogRun(run, 3000);
  run.finish();

  std::optional<FakeWandbServer::RunState> sent = server.Run("online1");
  REQUIRE(sent.has_value());
  CheckWhole(*sent, 3000);
  // Batched: a few requests per pass, not one per row.
  CHECK(server.requests() < 100);

  store::RunRow stored = StoredRun(env, "online1");
  CHECK(stored.state == store::RunState::kFinished);
  CHECK(stored.last_step == 2999);

  // W&B has the whole run: its directory is marked synced, and a sync of it sends nothing.
  CHECK(std::filesystem::exists(stored.run_dir + "/run-online1.wandb.synced"));
  ScopedEnv key("WANDB_API_KEY", FakeWandbServer::kApiKey);
  ScopedEnv url("WANDB_BASE_URL", server.base_url().c_str());
  const int requests = server.requests();
  CommandResult synced = RunCli({"sync", stored.run_dir});
  INFO(synced.out << synced.err);
  CHECK(synced.exit_code == 0);
  CHECK(synced.out.find("already synced") != std::string::npos);
  CHECK(server.requests() == requests);
}

TEST_CASE("an online run arrives whole through 500s and 429s with Retry-After, every row once") {
  ScopedEnv fast_retry("WANDB_CPP_RETRY_WAIT_MIN_MS", "50");
  FakeWandbServer server;
  server.FailNext(1, 500, FakeWandbServer::Route::kGraphQl);
  server.FailNext(3, 500, FakeWandbServer::Route::kFileStream);
  server.FailNext(2, 429, FakeWandbServer::Route::kFileStream, /*retry_after_seconds=*/1);
  server.FailNext(1, 503, FakeWandbServer::Route::kFileStream);
  TestEnv env;
  Run run = init(OnlineSettings(server, "faults1"));
  LogRun(run, 3000);
  run.finish();

  CHECK(server.faults_served() == 7);
  std::optional<FakeWandbServer::RunState> sent = server.Run("faults1");
  REQUIRE(sent.has_value());
  CheckWhole(*sent, 3000);
}

TEST_CASE("an online run arrives whole through answers cut off mid-body and a slow server") {
  ScopedEnv fast_retry("WANDB_CPP_RETRY_WAIT_MIN_MS", "50");
  FakeWandbServer server;
  // Each taken, then its answer lost: the client must send it again, and the offsets make
  // the resend overwrite what the server has instead of adding to it.
  server.DropAfterApplyingNext(3, FakeWandbServer::Route::kFileStream);
  server.SetDelay(std::chrono::milliseconds(200));
  TestEnv env;
  Run run = init(OnlineSettings(server, "cut1"));
  LogRun(run, 3000);
  run.finish();

  std::optional<FakeWandbServer::RunState> sent = server.Run("cut1");
  REQUIRE(sent.has_value());
  CHECK(server.faults_served() == 3);
  CHECK(sent->rewritten_lines > 0);  // the cut-off requests came again
  // Each cut-off request comes again whole, and one may hold every row: at most 3 x 3000.
  CheckWhole(*sent, 3000, /*resent=*/3 * 3000);
  CHECK(StoredRun(env, "cut1").last_step == 2999);
}

// The key in wandb's settings file (api_key, with base_url and mode beside it): it reaches
// the server and, as any key, nothing else.
TEST_CASE("a key from wandb's settings file reaches the server and no file or log or environment") {
  FakeWandbServer server;
  TestEnv env;
  NoKeyAnywhere no_key;
  std::filesystem::create_directories(env.config_dir());
  WriteText(env.config_dir() + "/settings", std::string("[default]\nmode = online\nbase_url = ") +
                                                server.base_url() +
                                                "\napi_key = " + FakeWandbServer::kApiKey + "\n");
  Run run = init({.project = "settings-proj", .id = "settingskey1"});
  for (int i = 0; i < 100; ++i) run.log({{"i", i}});
  std::vector<pid_t> daemons = env.DaemonPids();
  REQUIRE(daemons.size() == 1);
  for (const char* what : {"environ", "cmdline"}) {
    INFO(what);
    CHECK_FALSE(
        FileContains("/proc/" + std::to_string(daemons[0]) + "/" + what, FakeWandbServer::kApiKey));
  }
  run.finish();
  std::optional<FakeWandbServer::RunState> sent = server.Run("settingskey1");
  REQUIRE(sent.has_value());
  CHECK(sent->complete);
  CHECK(sent->project == "settings-proj");
  for (const std::string& dir : {env.root_dir(), env.store_dir(), env.service_dir()}) {
    INFO(dir);
    CHECK(FilesContaining(dir, FakeWandbServer::kApiKey).empty());
  }
  // A command that fails after finding it does not print it either.
  CommandResult sync = RunCli({"sync", env.root_dir() + "/no-such-run"});
  CHECK(sync.exit_code == 1);
  CHECK(sync.out.find(FakeWandbServer::kApiKey) == std::string::npos);
  CHECK(sync.err.find(FakeWandbServer::kApiKey) == std::string::npos);
}

TEST_CASE("the API key reaches the server and no file, log or daemon environment") {
  FakeWandbServer server;
  TestEnv env;
  ScopedEnv mode("WANDB_MODE", "online");
  ScopedEnv base("WANDB_BASE_URL", server.base_url().c_str());
  ScopedEnv key("WANDB_API_KEY", FakeWandbServer::kApiKey);
  Run run = init({.project = "secret-proj", .id = "keyless1"});
  for (int i = 0; i < 100; ++i) run.log({{"i", i}});
  std::vector<pid_t> daemons = env.DaemonPids();
  REQUIRE(daemons.size() == 1);
  for (const char* what : {"environ", "cmdline"}) {
    INFO(what);
    CHECK_FALSE(
        FileContains("/proc/" + std::to_string(daemons[0]) + "/" + what, FakeWandbServer::kApiKey));
  }
  run.finish();
  REQUIRE(server.Run("keyless1").has_value());
  CHECK(server.Run("keyless1")->complete);
  for (const std::string& dir : {env.root_dir(), env.store_dir(), env.service_dir()}) {
    INFO(dir);
    CHECK(FilesContaining(dir, FakeWandbServer::kApiKey).empty());
  }
}

// Issue 15 point 3: the daemon killed (kill -9) under an online run. The training process
// re-attaches its run to a new daemon, whose upload goes on from what W&B acknowledged (kept
// in logs/upload-progress.json), not from the start: every row arrives once, none twice.
TEST_CASE("an online run goes on after a daemon kill -9 from what W&B acknowledged") {
  FakeWandbServer server;
  TestEnv env;
  Run run = init(OnlineSettings(server, "crash1"));
  for (int i = 0; i < 500; ++i) run.log({{"loss", 1.0 / (i + 1)}, {"i", i}});
  auto history_lines = [&] {
    std::optional<FakeWandbServer::RunState> sent = server.Run("crash1");
    if (!sent.has_value()) return size_t{0};
    auto it = sent->files.find("wandb-history.jsonl");
    return it == sent->files.end() ? size_t{0} : it->second.size();
  };
  // Killed once the server has the rows and the daemon has noted it.
  REQUIRE(Eventually([&] { return history_lines() == 500; }));
  const std::string progress = env.RunDir("crash1") + "/logs/upload-progress.json";
  REQUIRE(Eventually([&] { return FileContains(progress, "\"history_lines\":500"); }));
  REQUIRE(env.KillDaemonAndAwaitNext());
  REQUIRE(Eventually([&] {
    return FileContains(env.RunDir("crash1") + "/logs/debug-internal.log", "stream: re-attached");
  }));
  for (int i = 500; i < 1000; ++i) run.log({{"loss", 1.0 / (i + 1)}, {"i", i}});
  run.summary()["best"] = 0.5;
  run.config().update({{"epochs", 3}});
  run.finish();

  std::optional<FakeWandbServer::RunState> sent = server.Run("crash1");
  REQUIRE(sent.has_value());
  CheckWhole(*sent, 1000);  // every row once, in order; none sent twice
  CHECK(StoredRun(env, "crash1").last_step == 999);
}

// Issue 15: a resumed online run goes on in the same W&B run. Its offsets come from
// RunResumeStatus, so its rows follow the first part's instead of overwriting them.
TEST_CASE("a resumed online run appends to its W&B run at the offsets RunResumeStatus gives") {
  FakeWandbServer server;
  TestEnv env;
  {
    Run run = init(OnlineSettings(server, "resume1"));
    for (int i = 0; i < 100; ++i) run.log({{"loss", 1.0 / (i + 1)}, {"i", i}});
    run.finish();
  }
  CHECK(server.resume_queries() == 0);  // a new run asks nothing
  Settings settings = OnlineSettings(server, "resume1");
  settings.resume = Resume::kAllow;
  Run run = init(settings);
  for (int i = 100; i < 250; ++i) run.log({{"loss", 1.0 / (i + 1)}, {"i", i}});
  run.summary()["best"] = 0.5;
  run.config().update({{"epochs", 3}});
  run.finish();

  CHECK(server.resume_queries() == 1);
  std::optional<FakeWandbServer::RunState> sent = server.Run("resume1");
  REQUIRE(sent.has_value());
  CheckHistory(*sent, 250);  // steps 0-249 once each, in order; nothing overwritten
  nlohmann::json config = nlohmann::json::parse(sent->config);
  CHECK(config["lr"]["value"] == 0.001);
  CHECK(config["epochs"]["value"] == 3);
  REQUIRE(sent->files["wandb-summary.json"].size() == 1);
  nlohmann::json summary = nlohmann::json::parse(sent->files["wandb-summary.json"][0]);
  CHECK(summary["best"] == 0.5);
  CHECK(summary["_step"] == 249);
  CHECK(sent->complete);  // each part ends with its exit code
  CHECK(sent->exit_code == 0);
  CHECK(StoredRun(env, "resume1").last_step == 249);
}

TEST_CASE("online mode without an API key is a clear init error that says how to log in") {
  FakeWandbServer server;
  TestEnv env;
  NoKeyAnywhere no_key;
  try {
    init({.id = "nokey1", .mode = Mode::kOnline, .base_url = server.base_url()});
    FAIL("init() without a key succeeded");
  } catch (const Error& e) {
    CHECK_THAT(e.what(), Catch::Contains("API key") && Catch::Contains("wandb-cpp login"));
  }
  CHECK(server.requests() == 0);
}

TEST_CASE("a quiet online run keeps file_stream alive with wandb's heartbeat") {
  FakeWandbServer server;
  TestEnv env;
  ScopedEnv heartbeat("WANDB_CPP_HEARTBEAT_INTERVAL", "0.5");
  ScopedEnv poll("WANDB_CPP_ONLINE_STOP_POLL_INTERVAL", "1");
  Run run = init(OnlineSettings(server, "quiet1"));
  run.log({{"i", 0}});
  // A long epoch without log(): only heartbeats say the run is alive.
  REQUIRE(
      Eventually([&] { return server.Run("quiet1")->heartbeats >= 2; }, std::chrono::seconds(30)));
  run.log({{"i", 1}});
  run.finish();
  std::optional<FakeWandbServer::RunState> sent = server.Run("quiet1");
  CHECK(sent->complete);
  CHECK(sent->files["wandb-history.jsonl"].size() == 2);
}

TEST_CASE("keep_in_store false sends an online run to W&B and leaves it out of the local store") {
  FakeWandbServer server;
  TestEnv env;
  Settings settings = OnlineSettings(server, "nostore1");
  settings.keep_in_store = false;
  Run run = init(settings);
  LogRun(run, 50);
  std::string dir = env.root_dir() + "/art";
  std::filesystem::create_directories(dir);
  WriteText(dir + "/weights.bin", "weights");
  Artifact model("model", "model");
  model.add_file(dir + "/weights.bin");
  run.log_artifact(model);
  CHECK(model.wait(60) == "v0");  // W&B's version: the store has none
  run.finish();

  std::optional<FakeWandbServer::RunState> sent = server.Run("nostore1");
  REQUIRE(sent.has_value());
  CheckHistory(*sent, 50);
  CHECK(sent->complete);
  absl::StatusOr<std::unique_ptr<store::LocalStore>> store =
      store::LocalStore::Open(env.store_dir());
  REQUIRE(store.ok());
  CHECK(absl::IsNotFound((*store)->runs().Find("nostore1").status()));
}

TEST_CASE("online mode without a key stays offline with a warning when the user asked for it") {
  FakeWandbServer server;
  TestEnv env;
  NoKeyAnywhere no_key;
  ScopedEnv fallback("WANDB_CPP_OFFLINE_WITHOUT_KEY", "true");
  Run run = init({.id = "nokey2", .mode = Mode::kOnline, .base_url = server.base_url()});
  run.log({{"loss", 0.5}});
  std::string dir = run.dir();
  run.finish();
  CHECK(server.requests() == 0);
  CHECK(std::filesystem::path(dir).filename().string().rfind("offline-run-", 0) == 0);
  CHECK(std::filesystem::exists(dir + "/run-nokey2.wandb"));
}

TEST_CASE("wandb-cpp login checks the key, writes ~/.netrc with mode 0600, and runs use it") {
  FakeWandbServer server;
  TestEnv env;
  NoKeyAnywhere no_key;
  std::string netrc = no_key.home.path() + "/.netrc";

  CommandResult refused = RunCli({"login", "local-wrong", "--host", server.base_url()});
  CHECK(refused.exit_code == 1);
  CHECK_THAT(refused.err, Catch::Contains("401") && Catch::Contains("nothing saved"));
  CHECK_FALSE(std::filesystem::exists(netrc));

  CommandResult ok = RunCli({"login", FakeWandbServer::kApiKey, "--host", server.base_url()});
  INFO(ok.err);
  REQUIRE(ok.exit_code == 0);
  CHECK_THAT(ok.out, Catch::Contains("fake-user"));
  struct stat st {};
  REQUIRE(stat(netrc.c_str(), &st) == 0);
  CHECK((st.st_mode & 0777) == 0600);
  CHECK(FileContains(netrc, "machine 127.0.0.1"));

  // Logged in: a login without a key keeps the one that works; --relogin asks for another
  // (stdin is empty here, so none comes).
  CommandResult again = RunCli({"login", "--host", server.base_url()});
  CHECK(again.exit_code == 0);
  CHECK_THAT(again.out,
             Catch::Contains("Already logged in to " + server.base_url() + " as fake-user"));
  CommandResult relogin = RunCli({"login", "--relogin", "--host", server.base_url()});
  CHECK(relogin.exit_code == 2);
  CHECK_THAT(relogin.err,
             Catch::Contains("Paste an API key") && Catch::Contains("no API key given"));

  // The key now comes from the netrc entry for the server's host.
  Run run = init({.project = "netrc-proj",
                  .id = "netrc1",
                  .mode = Mode::kOnline,
                  .base_url = server.base_url()});
  run.log({{"i", 0}});
  run.finish();
  REQUIRE(server.Run("netrc1").has_value());
  CHECK(server.Run("netrc1")->complete);
}

TEST_CASE("with the W&B server unreachable, the run goes on locally and finish() returns") {
  std::string gone;
  {
    FakeWandbServer server;
    gone = server.base_url();  // its port is closed once the server is gone
  }
  ScopedEnv fast_retry("WANDB_CPP_RETRY_WAIT_MIN_MS", "50");
  TestEnv env;
  Run run = init({.id = "unreachable1",
                  .mode = Mode::kOnline,
                  .base_url = gone,
                  .api_key = std::string(FakeWandbServer::kApiKey),
                  .finish_timeout = std::chrono::seconds(3)});
  for (int i = 0; i < 1000; ++i) run.log({{"i", i}});
  run.finish();

  store::RunRow stored = StoredRun(env, "unreachable1");
  CHECK(stored.state == store::RunState::kFinished);
  CHECK(stored.last_step == 999);
  // The daemon's log says why the upload did not finish.
  std::string debug_log = ReadFile(env.RunDir("unreachable1") + "/logs/debug-internal.log");
  CHECK_THAT(debug_log, Catch::Contains("the upload to W&B did not finish"));
}

// Issue 15: a Stop pressed on W&B's run page reaches the training loop. Servers of wandb
// 0.12's time answer only the RunStoppedStatus query, which the daemon asks every
// WANDB_CPP_ONLINE_STOP_POLL_INTERVAL (15 s unless set).
TEST_CASE("a stop pressed on the W&B run page reaches the loop through RunStoppedStatus") {
  ScopedEnv poll("WANDB_CPP_ONLINE_STOP_POLL_INTERVAL", "1");
  FakeWandbServer server;
  TestEnv env;
  Run run = init(StoppableSettings(server, "stopq1"));
  std::thread press = PressStopWhenSeen(&server, "stopq1", /*in_file_stream=*/false);
  bool stopped = LogUntilStopped(run, std::chrono::seconds(60));
  press.join();
  CHECK(stopped);
  run.finish();
  CHECK(server.stop_queries() >= 1);
  CheckStopped(server, env, "stopq1");
}

// Newer servers say it in their file_stream answers: seen with the next post, long before
// the next query (an hour away here).
TEST_CASE("a stop the server reports in a file_stream answer reaches the loop at once") {
  ScopedEnv poll("WANDB_CPP_ONLINE_STOP_POLL_INTERVAL", "3600");
  FakeWandbServer server;
  TestEnv env;
  Run run = init(StoppableSettings(server, "stopfs1"));
  std::thread press = PressStopWhenSeen(&server, "stopfs1", /*in_file_stream=*/true);
  bool stopped = LogUntilStopped(run, std::chrono::seconds(60));
  press.join();
  CHECK(stopped);
  run.finish();
  CHECK(server.stop_queries() <= 1);  // at most the one asked as the run was created
  CheckStopped(server, env, "stopfs1");
}

TEST_CASE("a server that refuses RunStoppedStatus still gets the whole run") {
  ScopedEnv poll("WANDB_CPP_ONLINE_STOP_POLL_INTERVAL", "1");
  FakeWandbServer server;
  server.RefuseStopQueries();
  TestEnv env;
  Run run = init(OnlineSettings(server, "stoprefused1"));
  LogRun(run, 3000);
  REQUIRE(Eventually([&] { return server.stop_queries() >= 1; }, std::chrono::seconds(60)));
  // Time for two more queries at the 1 s interval, had the refusal not ended them.
  std::this_thread::sleep_for(std::chrono::milliseconds(2500));
  run.finish();
  CHECK(server.stop_queries() == 1);
  std::optional<FakeWandbServer::RunState> sent = server.Run("stoprefused1");
  REQUIRE(sent.has_value());
  CheckWhole(*sent, 3000);
}

TEST_CASE("an online run's files reach W&B storage through 503s, and the last request names them") {
  ScopedEnv fast_retry("WANDB_CPP_RETRY_WAIT_MIN_MS", "50");
  FakeWandbServer server;
  server.FailNext(2, 503, FakeWandbServer::Route::kStorage);
  TestEnv env;
  std::string work = env.root_dir() + "/work";
  std::filesystem::create_directories(work);
  WriteText(work + "/model.txt", "weights v1");
  WriteText(work + "/live.log", "live v1");
  Run run = init(OnlineSettings(server, "files1"));
  run.save(work + "/model.txt");  // live, the default: now, then when it changes
  run.save(work + "/live.log");
  auto has = [&](const char* name) {
    std::optional<FakeWandbServer::RunState> sent = server.Run("files1");
    return sent.has_value() && sent->uploads.count(name) > 0;
  };
  REQUIRE(Eventually([&] { return has("model.txt") && has("live.log"); }));
  WriteText(work + "/live.log", "live v2");  // within the live policy's 15 s: sent at the end
  run.log({{"i", 1}});
  run.finish();

  std::optional<FakeWandbServer::RunState> sent = server.Run("files1");
  REQUIRE(sent.has_value());
  CHECK(server.faults_served() == 2);
  CHECK(server.bad_storage_requests() == 0);  // no credentials, the listed headers
  CHECK(sent->uploads["model.txt"] == std::vector<std::string>{"weights v1"});  // unchanged
  CHECK(sent->uploads["live.log"] == std::vector<std::string>{"live v1", "live v2"});
  for (const char* name : {"config.yaml", "wandb-metadata.json", "wandb-summary.json"}) {
    INFO(name);
    CHECK(sent->uploads.count(name) == 1);
  }
  std::vector<std::string> put;
  for (const auto& [name, versions] : sent->uploads) put.push_back(name);
  std::vector<std::string> reported = sent->reported_uploaded;
  std::sort(reported.begin(), reported.end());
  CHECK(reported == put);
  CHECK(sent->complete);
  CHECK(sent->exit_code == 0);
}

// Issue 15: wandb's settings file. `wandb-cpp login --host` keeps the server in its [default]
// section as wandb's login does (keeping the file's other lines), and runs and `sync` find
// the server there.
TEST_CASE("wandb-cpp login --host saves base_url in wandb's settings file and runs use it") {
  FakeWandbServer server;
  TestEnv env;
  NoKeyAnywhere no_key;
  const std::string settings = env.config_dir() + "/settings";
  std::filesystem::create_directories(env.config_dir());
  WriteText(settings, "# mine\n[default]\nentity = file-team\n");
  CommandResult login = RunCli({"login", FakeWandbServer::kApiKey, "--host", server.base_url()});
  INFO(login.out << login.err);
  REQUIRE(login.exit_code == 0);
  CHECK_THAT(login.out,
             Catch::Contains("base_url = " + server.base_url()) && Catch::Contains(settings));
  CHECK(ReadFile(settings) ==
        "# mine\n[default]\nentity = file-team\nbase_url = " + server.base_url() + "\n");

  // No --host, no WANDB_BASE_URL: the run goes to the settings file's server.
  ScopedEnv online("WANDB_MODE", "online");
  ScopedEnv no_url("WANDB_BASE_URL", nullptr);
  Run run = init({.project = "settings-url", .id = "settingsurl1"});
  run.log({{"i", 0}});
  run.finish();
  REQUIRE(server.Run("settingsurl1").has_value());
  CHECK(server.Run("settingsurl1")->complete);
  CHECK(server.Run("settingsurl1")->entity == "file-team");  // the file's entity
}

// Issue 15: a W&B server behind a private CA. The fake server serves HTTPS with a certificate
// that a CA made for the test signed; clients trust that CA by file and nothing else.
TEST_CASE("an online run over HTTPS with ca_file arrives whole with its files") {
  TempDir certs;
  TestCertificates tls = MakeTestCertificates(certs.path());
  FakeWandbServer server(FakeWandbServer::kApiKey,
                         FakeWandbServer::Tls{tls.cert_file, tls.key_file});
  REQUIRE(server.base_url().starts_with("https://127.0.0.1:"));
  TestEnv env;
  Settings settings = OnlineSettings(server, "tls1");
  settings.ca_file = tls.ca_file;
  Run run = init(settings);
  LogRun(run, 300);
  run.finish();
  std::optional<FakeWandbServer::RunState> sent = server.Run("tls1");
  REQUIRE(sent.has_value());
  CheckWhole(*sent, 300);
  CHECK(sent->uploads.count("config.yaml") == 1);  // storage PUTs over HTTPS too

  // The same from REQUESTS_CA_BUNDLE, as Python's requests (and so wandb) reads it.
  ScopedEnv bundle("REQUESTS_CA_BUNDLE", tls.ca_file.c_str());
  Run second = init(OnlineSettings(server, "tls2"));
  LogRun(second, 10);
  second.finish();
  REQUIRE(server.Run("tls2").has_value());
  CheckWhole(*server.Run("tls2"), 10);
}

TEST_CASE(
    "an online run over HTTPS without the CA fails with a certificate error and stays local") {
  TempDir certs;
  TestCertificates tls = MakeTestCertificates(certs.path());
  FakeWandbServer server(FakeWandbServer::kApiKey,
                         FakeWandbServer::Tls{tls.cert_file, tls.key_file});
  TestEnv env;
  for (const char* name : {"REQUESTS_CA_BUNDLE", "CURL_CA_BUNDLE", "SSL_CERT_FILE"}) {
    unsetenv(name);
  }
  Settings settings = OnlineSettings(server, "notrust1");
  settings.finish_timeout = std::chrono::seconds(10);
  Run run = init(settings);
  for (int i = 0; i < 100; ++i) run.log({{"i", i}});
  run.finish();

  CHECK_FALSE(server.Run("notrust1").has_value());  // nothing got through
  store::RunRow stored = StoredRun(env, "notrust1");
  CHECK(stored.state == store::RunState::kFinished);
  CHECK(stored.last_step == 99);
  std::string debug_log = ReadFile(env.RunDir("notrust1") + "/logs/debug-internal.log");
  CHECK_THAT(debug_log, Catch::Contains("certificate") && Catch::Contains("REQUESTS_CA_BUNDLE") &&
                            Catch::Contains("no longer sent to W&B"));
  CHECK(env.DaemonPids().size() == 1);  // the daemon lives on

  // A CA file that is not there is an init error naming it, before any request.
  ScopedEnv bundle("REQUESTS_CA_BUNDLE", (certs.path() + "/missing.pem").c_str());
  try {
    init(OnlineSettings(server, "notrust2"));
    FAIL("init() with a missing CA file succeeded");
  } catch (const Error& e) {
    CHECK_THAT(e.what(), Catch::Contains("REQUESTS_CA_BUNDLE") && Catch::Contains("missing.pem"));
  }
}

TEST_CASE("wandb-cpp login and sync to an HTTPS server trust the CA of REQUESTS_CA_BUNDLE") {
  TempDir certs;
  TestCertificates tls = MakeTestCertificates(certs.path());
  FakeWandbServer server(FakeWandbServer::kApiKey,
                         FakeWandbServer::Tls{tls.cert_file, tls.key_file});
  TestEnv env;
  NoKeyAnywhere no_key;
  for (const char* name : {"REQUESTS_CA_BUNDLE", "CURL_CA_BUNDLE", "SSL_CERT_FILE"}) {
    unsetenv(name);
  }
  CommandResult untrusted =
      RunCli({"login", FakeWandbServer::kApiKey, "--host", server.base_url()});
  CHECK(untrusted.exit_code == 1);
  CHECK_THAT(untrusted.err, Catch::Contains("certificate") && Catch::Contains("nothing saved"));
  CHECK_FALSE(std::filesystem::exists(no_key.home.path() + "/.netrc"));

  ScopedEnv bundle("REQUESTS_CA_BUNDLE", tls.ca_file.c_str());
  CommandResult login = RunCli({"login", FakeWandbServer::kApiKey, "--host", server.base_url()});
  INFO(login.out << login.err);
  REQUIRE(login.exit_code == 0);
  CHECK_THAT(login.out, Catch::Contains("fake-user"));

  // An offline run sent later by sync, over the same HTTPS, to the server login saved.
  {
    Run run = init({.project = "tls-sync", .id = "tlssync1", .mode = Mode::kOffline});
    run.log({{"i", 0}});
    run.finish();
  }
  CommandResult sync = RunCli({"sync", env.root_dir() + "/wandb"});
  INFO(sync.out << sync.err);
  CHECK(sync.exit_code == 0);
  REQUIRE(server.Run("tlssync1").has_value());
  CHECK(server.Run("tlssync1")->complete);
}

}  // namespace wandb::testing
