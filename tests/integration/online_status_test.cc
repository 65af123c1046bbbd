// What an online run's training process is told about its upload to W&B: when the upload
// starts retrying (a server down), when it has caught up again, and, while finish() waits
// for a slow upload, how far it has got (the fake W&B server over real TCP, the real daemon,
// a real client process whose stderr is read).
#include <catch2/catch.hpp>
#include <fstream>
#include <nlohmann/json.hpp>
#include <string>

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

}  // namespace wandb::testing
