// What an online run's training process is told about its upload to W&B: when the upload
// starts retrying (a server down), when it has caught up again, and, while finish() waits
// for a slow upload, how far it has got (the fake W&B server over real TCP, the real daemon,
// a real client process whose stderr is read).
#include <signal.h>

#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <string>

#include "tests/support/cli_runner.h"
#include "tests/support/fake_wandb_server.h"
#include "tests/support/scoped_env.h"
#include "tests/support/test_env.h"
#include "tests/support/text_lines.h"

namespace wandb::testing {
namespace {

// The environment that sends an online_client's run to `server`.
struct OnlineClientEnvironment {
  explicit OnlineClientEnvironment(const FakeWandbServer& server)
      : mode("WANDB_MODE", "online"),
        url("WANDB_BASE_URL", server.base_url().c_str()),
        key("WANDB_API_KEY", FakeWandbServer::kApiKey),
        fast_retry("WANDB_CPP_RETRY_WAIT_MIN_MS", "100") {}
  ScopedEnv mode, url, key, fast_retry;
};

bool StderrHas(const std::string& file, const std::string& text) {
  return ReadFile(file).find(text) != std::string::npos;
}

void Touch(const std::string& path) { std::ofstream(path) << "go\n"; }

}  // namespace

TEST_CASE("an online run says when its upload retries and when it has caught up, losing no row") {
  FakeWandbServer server;
  TestEnv env;
  OnlineClientEnvironment online(server);
  server.SetDown(true);
  const std::string err = env.root_dir() + "/online_client.err";
  const std::string go = env.root_dir() + "/go";
  pid_t client = env.Spawn("online_client", {"--id", "outage", "--stderr", err, "--go-file", go});
  REQUIRE(Eventually([&] { return StderrHas(err, "retrying in"); }, std::chrono::seconds(60)));
  CHECK(StderrHas(err, "W&B: "));
  CHECK(StderrHas(err, "HTTP 503"));
  CHECK(StderrHas(err, "the run goes on"));
  server.SetDown(false);
  REQUIRE(Eventually([&] { return StderrHas(err, "the upload is caught up after"); },
                     std::chrono::seconds(60)));
  Touch(go);
  REQUIRE(WaitExit(client) == 0);

  INFO(ReadFile(err));
  std::optional<FakeWandbServer::RunState> sent = server.Run("outage");
  REQUIRE(sent.has_value());
  CHECK(sent->complete);
  const std::vector<std::string>& history = sent->files["wandb-history.jsonl"];
  REQUIRE(!history.empty());
  for (size_t i = 0; i < history.size(); ++i) {
    INFO("line " << i);
    CHECK(nlohmann::json::parse(history[i])["i"] == static_cast<int64_t>(i));
  }
  // One warning for the outage however many attempts it took.
  int warnings = 0;
  for (const std::string& line : LinesOf(ReadFile(err))) {
    if (line.find("retrying in") != std::string::npos) ++warnings;
  }
  CHECK(warnings == 1);
}

TEST_CASE("finish() shows how much of a slow upload W&B has while it waits") {
  FakeWandbServer server;
  TestEnv env;
  OnlineClientEnvironment online(server);
  const std::string err = env.root_dir() + "/online_client.err";
  const std::string go = env.root_dir() + "/go";
  pid_t client = env.Spawn("online_client", {"--id", "slowend", "--stderr", err, "--go-file", go,
                                             "--save-files", "6", "--file-bytes", "300000"});
  REQUIRE(Eventually([&] { return server.Run("slowend").has_value(); }, std::chrono::seconds(60)));
  // Every request now takes 400 ms: the six files and the rest take seconds at the finish.
  server.SetDelay(std::chrono::milliseconds(400));
  Touch(go);
  REQUIRE(WaitExit(client) == 0);

  std::string output = ReadFile(err);
  INFO(output);
  std::vector<std::string> progress;
  for (const std::string& line : LinesOf(output)) {
    if (line.find("W&B: ") != std::string::npos && line.find(" uploaded") != std::string::npos) {
      progress.push_back(line);
    }
  }
  REQUIRE(!progress.empty());
  for (const std::string& line : progress) {
    CHECK_THAT(line, Catch::Matches(".*W&B: [0-9.]+ (B|KiB|MiB) of [0-9.]+ (B|KiB|MiB) uploaded"));
  }
  // The files count once they are queued: the total then has their 1.7 MiB.
  CHECK_THAT(progress.back(), Catch::Matches(".* of [0-9.]+ MiB uploaded"));
  CHECK(progress.size() >= 2);  // it moves: a line each second while bytes arrive
  std::optional<FakeWandbServer::RunState> sent = server.Run("slowend");
  REQUIRE(sent.has_value());
  CHECK(sent->complete);
  CHECK(sent->uploads.count("out-slowend-5.bin") == 1);
}

TEST_CASE("an online run whose process died with its daemon is completed on W&B by sync") {
  FakeWandbServer server;
  TestEnv env;
  OnlineClientEnvironment online(server);
  const std::string err = env.root_dir() + "/online_client.err";
  const std::string go = env.root_dir() + "/go";
  pid_t client = env.Spawn("online_client", {"--id", "bothdied", "--stderr", err, "--go-file", go});
  // Part of the run is on W&B, and the daemon has recorded so in the run directory; then the
  // training process and its daemon die at once.
  std::string progress;
  REQUIRE(Eventually([&] {
    std::optional<FakeWandbServer::RunState> run = server.Run("bothdied");
    if (!run.has_value() || run->files["wandb-history.jsonl"].size() < 20) return false;
    progress = env.RunDir("bothdied") + "/logs/upload-progress.json";
    // Replaced whole (rename), so never read half-written.
    nlohmann::json recorded = nlohmann::json::parse(ReadFile(progress), nullptr, false);
    return recorded.is_object() && recorded.value("history_lines", 0) > 0;
  }));
  kill(client, SIGKILL);
  for (pid_t daemon : env.DaemonPids()) kill(daemon, SIGKILL);
  WaitExit(client);
  REQUIRE(Eventually([&] { return env.DaemonPids().empty(); }));
  std::optional<FakeWandbServer::RunState> before = server.Run("bothdied");
  CHECK_FALSE(before->complete);  // nobody is left to finish it
  const int64_t on_server = static_cast<int64_t>(before->files["wandb-history.jsonl"].size());
  const int64_t recorded = nlohmann::json::parse(ReadFile(progress))["history_lines"];

  // The key is nowhere on disk, so no later daemon can go on by itself: `wandb-cpp sync`
  // sends what W&B lacks, from where the dead daemon's acknowledged progress says.
  // (A daemon that starts meanwhile recovers the orphaned run into the local store first,
  // holding its directory for that moment: sync then says the run is live, and is run again.)
  std::string run_dir = env.RunDir("bothdied");
  CommandResult synced;
  REQUIRE(Eventually([&] {
    synced = RunCli({"sync", run_dir});
    return synced.exit_code == 0;
  }));
  INFO(synced.out << synced.err);
  std::optional<FakeWandbServer::RunState> sent = server.Run("bothdied");
  REQUIRE(sent.has_value());
  CHECK(sent->complete);
  const std::vector<std::string>& history = sent->files["wandb-history.jsonl"];
  for (size_t i = 0; i < history.size(); ++i) {
    INFO("line " << i);
    REQUIRE(nlohmann::json::parse(history[i])["i"] == static_cast<int64_t>(i));
  }
  // Every row the log has: the last one logged before the kill may not have reached it.
  CHECK(history.size() >= 20);
  // What the dead daemon recorded is not sent again; lines it sent after its last record
  // (the record lags the server by a pass at most) are resent at their offsets, no more.
  CHECK(recorded > 0);
  CHECK(sent->rewritten_lines <= on_server - recorded);
}

}  // namespace wandb::testing
