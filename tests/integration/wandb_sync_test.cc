// `wandb-cpp sync` (issue 15 point 4): offline run directories go to a W&B server (the fake
// one, over real TCP on 127.0.0.1) with the daemon's own W&B backend, as `wandb sync` sends
// them, and a run sent whole is not sent again.
#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <string>

#include "tests/support/cli_runner.h"
#include "tests/support/fake_wandb_server.h"
#include "tests/support/scoped_env.h"
#include "tests/support/test_env.h"
#include "wandb/wandb.h"

namespace wandb::testing {
namespace {
namespace fs = std::filesystem;
using Catch::Contains;

// An offline run of `rows` rows, a summary, a config and a file of its own; its directory.
std::string OfflineRun(const std::string& id, int rows, const std::string& project) {
  Run run = init({.project = project, .config = {{"lr", 0.01}}, .id = id, .mode = Mode::kOffline});
  for (int i = 0; i < rows; ++i) run.log({{"loss", 1.0 / (i + 1)}, {"i", i}});
  run.summary()["best"] = 0.5;
  std::string dir = run.dir();
  std::ofstream(dir + "/files/notes.txt") << "offline notes";
  run.finish();
  return dir;
}

}  // namespace

TEST_CASE("wandb-cpp sync sends an offline run to W&B whole and a second sync sends nothing") {
  FakeWandbServer server;
  TestEnv env;
  const std::string dir = OfflineRun("wsync1", 300, "sync-proj");
  ScopedEnv key("WANDB_API_KEY", FakeWandbServer::kApiKey);
  ScopedEnv url("WANDB_BASE_URL", server.base_url().c_str());

  CommandResult first = RunCli({"sync", dir});
  INFO(first.err);
  REQUIRE(first.exit_code == 0);
  CHECK_THAT(first.out, Contains("synced run wsync1") && Contains("300 rows"));

  std::optional<FakeWandbServer::RunState> sent = server.Run("wsync1");
  REQUIRE(sent.has_value());
  CHECK(sent->project == "sync-proj");
  CHECK(sent->entity == "fake-user");  // the key's default entity
  CHECK(nlohmann::json::parse(sent->config)["lr"]["value"] == 0.01);
  const std::vector<std::string>& history = sent->files["wandb-history.jsonl"];
  REQUIRE(history.size() == 300);
  for (int i = 0; i < 300; ++i) {
    nlohmann::json row = nlohmann::json::parse(history[i]);
    INFO("row " << i);
    REQUIRE(row["_step"] == i);
    REQUIRE(row["i"] == i);
  }
  CHECK(sent->rewritten_lines == 0);
  REQUIRE(sent->files["wandb-summary.json"].size() == 1);
  CHECK(nlohmann::json::parse(sent->files["wandb-summary.json"][0])["best"] == 0.5);
  CHECK_FALSE(sent->files["wandb-events.jsonl"].empty());  // system metrics, as events
  CHECK(sent->uploads["notes.txt"] == std::vector<std::string>{"offline notes"});
  CHECK(sent->uploads.count("config.yaml") == 1);
  CHECK(sent->uploads.count("wandb-summary.json") == 1);
  CHECK(sent->complete);
  CHECK(sent->exit_code == 0);
  CHECK(fs::exists(dir + "/run-wsync1.wandb.synced"));

  // The directory holding it (./wandb) names the same run: already synced, nothing sent.
  const int requests = server.requests();
  CommandResult again = RunCli({"sync", "--json", fs::path(dir).parent_path().string()});
  INFO(again.err);
  REQUIRE(again.exit_code == 0);
  nlohmann::json line = nlohmann::json::parse(again.out);
  CHECK(line["outcome"] == "already_synced");
  CHECK(line["dir"] == fs::canonical(dir).string());
  CHECK(server.requests() == requests);

  // --include-synced sends it again, and to another project it sends every row: what the
  // first sync recorded the server has (logs/upload-progress.json) was about the first one.
  // (The fake server keeps runs by id, so the copy lands over the first.)
  CommandResult copy = RunCli({"sync", "--include-synced", "--project", "copy-proj", dir});
  INFO(copy.err);
  REQUIRE(copy.exit_code == 0);
  CHECK_THAT(copy.out, Contains("synced run wsync1"));
  sent = server.Run("wsync1");
  CHECK(sent->project == "copy-proj");
  CHECK(sent->files["wandb-history.jsonl"].size() == 300);
  // Every line again, at its own offset: the rows, the system metrics, the console.
  const int lines = static_cast<int>(300 + sent->files["wandb-events.jsonl"].size() +
                                     sent->files["output.log"].size());
  CHECK(sent->rewritten_lines == lines);
  // To the same place again: the server has every line, and none is sent twice.
  REQUIRE(RunCli({"sync", "--include-synced", "--project", "copy-proj", dir}).exit_code == 0);
  CHECK(server.Run("wsync1")->rewritten_lines == lines);
}

TEST_CASE("wandb-cpp sync sends to the entity and project given, and says what failed") {
  FakeWandbServer server;
  TestEnv env;
  const std::string dir = OfflineRun("wsync2", 10, "first-proj");
  ScopedEnv key("WANDB_API_KEY", FakeWandbServer::kApiKey);

  CommandResult sync = RunCli({"sync", "--host", server.base_url(), "--entity", "team", "--project",
                               "other-proj", dir, env.root_dir() + "/nothing"});
  INFO(sync.err);
  CHECK(sync.exit_code == 1);  // one of the two arguments failed
  CHECK_THAT(sync.err, Contains(env.root_dir() + "/nothing"));
  CHECK_THAT(sync.out, Contains("synced run wsync2"));
  std::optional<FakeWandbServer::RunState> sent = server.Run("wsync2");
  REQUIRE(sent.has_value());
  CHECK(sent->entity == "team");
  CHECK(sent->project == "other-proj");
  CHECK(sent->files["wandb-history.jsonl"].size() == 10);
  CHECK(sent->complete);

  // A refused key is a failure that names the server's words, and marks nothing.
  const std::string refused = OfflineRun("wsync3", 5, "first-proj");
  ScopedEnv bad_key("WANDB_API_KEY", "local-ffffffffffffffffffffffffffffffffffffffff");
  CommandResult denied = RunCli({"sync", "--host", server.base_url(), refused});
  CHECK(denied.exit_code == 1);
  CHECK_THAT(denied.err, Contains("wandb-cpp sync: cannot send") && Contains("not marked synced"));
  CHECK_FALSE(fs::exists(refused + "/run-wsync3.wandb.synced"));
}

TEST_CASE("wandb-cpp sync sends a run of the local store named by its id") {
  FakeWandbServer server;
  TestEnv env;
  {
    Run run = init({.project = "stored-proj", .id = "wsync4"});  // local mode: into the store
    for (int i = 0; i < 20; ++i) run.log({{"i", i}});
    run.finish();
  }
  ScopedEnv key("WANDB_API_KEY", FakeWandbServer::kApiKey);
  CommandResult sync = RunCli({"sync", "--host", server.base_url(), "stored-proj/wsync4"});
  INFO(sync.err);
  CHECK(sync.exit_code == 0);
  CHECK_THAT(sync.out,
             Contains("synced run wsync4 from " + fs::canonical(env.RunDir("wsync4")).string()));
  std::optional<FakeWandbServer::RunState> sent = server.Run("wsync4");
  REQUIRE(sent.has_value());
  CHECK(sent->project == "stored-proj");
  CHECK(sent->files["wandb-history.jsonl"].size() == 20);
  CHECK(sent->complete);

  CommandResult unknown = RunCli({"sync", "--host", server.base_url(), "nosuchrun"});
  CHECK(unknown.exit_code == 1);
  CHECK_THAT(unknown.err,
             Contains("nosuchrun is neither a directory nor a run of the local store"));
}

TEST_CASE("wandb-cpp sync --id sends one run under another id, and refuses several") {
  FakeWandbServer server;
  TestEnv env;
  const std::string dir = OfflineRun("wsync5", 10, "id-proj");
  const std::string other = OfflineRun("wsync6", 5, "id-proj");
  ScopedEnv key("WANDB_API_KEY", FakeWandbServer::kApiKey);

  CommandResult both =
      RunCli({"sync", "--host", server.base_url(), "--id", "renamed1", dir, other});
  CHECK(both.exit_code == 2);
  CHECK_THAT(both.err, Contains("--id names one run"));
  CHECK(RunCli({"sync", "--host", server.base_url(), "--id", "no/slash", dir}).exit_code == 1);

  CommandResult sync = RunCli({"sync", "--host", server.base_url(), "--id", "renamed1", dir});
  INFO(sync.err);
  CHECK(sync.exit_code == 0);
  CHECK_THAT(sync.out, Contains("synced run renamed1"));
  CHECK_FALSE(server.Run("wsync5").has_value());
  std::optional<FakeWandbServer::RunState> sent = server.Run("renamed1");
  REQUIRE(sent.has_value());
  CHECK(sent->files["wandb-history.jsonl"].size() == 10);
  CHECK(sent->complete);
}

// wandb's `wandb sync --clean`: synced run directories go, once older than --clean-old-hours
// (24 by default); after a confirmation unless --clean-force; a run without the .synced mark
// stays whatever is asked.
TEST_CASE("wandb-cpp sync --clean deletes synced run directories older than --clean-old-hours") {
  FakeWandbServer server;
  TestEnv env;
  const std::string synced = OfflineRun("wclean1", 5, "clean-proj");
  const std::string unsynced = OfflineRun("wclean2", 5, "clean-proj");
  ScopedEnv key("WANDB_API_KEY", FakeWandbServer::kApiKey);
  ScopedEnv url("WANDB_BASE_URL", server.base_url().c_str());
  REQUIRE(RunCli({"sync", synced}).exit_code == 0);
  REQUIRE(fs::exists(synced + "/run-wclean1.wandb.synced"));
  const std::string synced_name = fs::path(synced).filename().string();

  // Both started moments ago: none is older than 24 hours ($WANDB_DIR/wandb is looked in).
  CommandResult young = RunCli({"sync", "--clean", "--clean-force"});
  INFO(young.out << young.err);
  CHECK(young.exit_code == 0);
  CHECK_THAT(young.out, Contains("No synced runs older than 24 hours"));
  CHECK(fs::exists(synced));

  // Without --clean-force it asks; no answer (stdin is empty) removes nothing.
  CommandResult asked = RunCli({"sync", "--clean", "--clean-old-hours", "0"});
  CHECK(asked.exit_code == 1);
  CHECK_THAT(asked.out,
             Contains(synced_name) && Contains("Are you sure you want to remove 1 run?"));
  CHECK_THAT(asked.err, Contains("aborted"));
  CHECK(fs::exists(synced));

  CommandResult clean = RunCli({"sync", "--clean", "--clean-old-hours", "0", "--clean-force"});
  INFO(clean.out << clean.err);
  CHECK(clean.exit_code == 0);
  CHECK_THAT(clean.out, Contains("Removed 1 run"));
  CHECK_FALSE(fs::exists(synced));
  CHECK(fs::exists(unsynced + "/run-wclean2.wandb"));  // never synced: kept

  // A run directory named is taken at any age, but only once synced.
  CommandResult kept = RunCli({"sync", "--clean", "--clean-force", unsynced});
  CHECK(kept.exit_code == 0);
  CHECK_THAT(kept.out, Contains("not synced, kept: " + unsynced));
  CHECK(fs::exists(unsynced));
  REQUIRE(RunCli({"sync", unsynced}).exit_code == 0);
  CommandResult named = RunCli({"sync", "--clean", "--clean-force", unsynced});
  CHECK(named.exit_code == 0);
  CHECK_FALSE(fs::exists(unsynced));
  CHECK(server.Run("wclean2").has_value());
}

}  // namespace wandb::testing
