// Artifacts and restore() in online mode against the fake W&B server over real TCP: an
// artifact one online run logs is created, uploaded and committed on the server (with the
// manifest wandb's tools read), another online run uses it through the server and downloads
// the very bytes, and restore() takes a run's file from the server, not the local store.
#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>

#include "tests/support/fake_wandb_server.h"
#include "tests/support/scoped_env.h"
#include "tests/support/temp_dir.h"
#include "tests/support/test_env.h"
#include "wandb/api.h"
#include "wandb/wandb.h"

namespace wandb::testing {
namespace {
namespace fs = std::filesystem;

Settings Online(const FakeWandbServer& server, const std::string& id) {
  return Settings{.project = "art-proj",
                  .id = id,
                  .mode = Mode::kOnline,
                  .base_url = server.base_url(),
                  .api_key = std::string(FakeWandbServer::kApiKey)};
}

void WriteFile(const std::string& path, const std::string& contents) {
  fs::create_directories(fs::path(path).parent_path());
  std::ofstream(path, std::ios::binary | std::ios::trunc) << contents;
}

std::string Slurp(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return std::string((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
}

// Bytes no text mode would keep: every byte value, twice.
std::string Weights(char salt) {
  std::string bytes;
  for (int i = 0; i < 512; ++i) bytes.push_back(static_cast<char>(i ^ salt));
  return bytes;
}

// Logs model (weights.bin, sub/config.json) from `dir` with `aliases`; its version.
std::string LogModel(Run& run, const std::string& dir, const std::string& weights,
                     const std::vector<std::string>& aliases) {
  WriteFile(dir + "/weights.bin", weights);
  WriteFile(dir + "/sub/config.json", "{\"layers\": 2}");
  Artifact model("model", "model");
  model.add_dir(dir);
  run.log_artifact(model, aliases);
  return model.wait(60);
}

// The process environment of a program that reads from W&B without a run.
struct OnlineEnvironment {
  explicit OnlineEnvironment(const FakeWandbServer& server)
      : mode("WANDB_MODE", "online"),
        url("WANDB_BASE_URL", server.base_url().c_str()),
        key("WANDB_API_KEY", FakeWandbServer::kApiKey),
        project("WANDB_PROJECT", "art-proj") {}
  ScopedEnv mode, url, key, project;
};

}  // namespace

TEST_CASE("an artifact logged online is committed on W&B and an online run downloads it") {
  FakeWandbServer server;
  TestEnv env;
  Run producer = init(Online(server, "producer"));
  CHECK(LogModel(producer, env.root_dir() + "/m0", Weights(1), {"best"}) == "v0");
  producer.finish();

  std::optional<FakeWandbArtifacts::Version> version =
      server.artifacts().FindByAlias("model", "best");
  REQUIRE(version.has_value());
  CHECK(version->state == "COMMITTED");
  CHECK(version->index == 0);
  CHECK(version->aliases == std::set<std::string>{"best", "latest", "v0"});
  CHECK(version->type == "model");
  CHECK(version->logged_by == "producer");
  CHECK(version->project == "art-proj");
  CHECK(version->entity == "fake-user");
  CHECK(server.artifacts().file_puts() == 2);
  CHECK(server.bad_storage_requests() == 0);  // signed URLs: no key, the listed headers
  // The manifest wandb's tools read: every file with its digest, size and birth artifact.
  nlohmann::json manifest = nlohmann::json::parse(version->manifest_json);
  CHECK(manifest["storagePolicy"] == "wandb-storage-policy-v1");
  REQUIRE(manifest["contents"].size() == 2);
  CHECK(manifest["contents"]["weights.bin"]["size"] == 512);
  CHECK(manifest["contents"]["weights.bin"]["birthArtifactID"] == version->id);
  CHECK(manifest["contents"]["sub/config.json"]["birthArtifactID"] == version->id);

  // Another online run, on a machine whose store has never seen the model, uses model:best
  // through the server; the download is the bytes logged.
  TempDir elsewhere;
  Settings consumer_settings = Online(server, "consumer");
  consumer_settings.store_dir = elsewhere.path() + "/store";
  Run consumer = init(consumer_settings);
  Artifact used = consumer.use_artifact("model:best", "model");
  CHECK(used.version() == "v0");
  std::string dir = used.download(env.root_dir() + "/got");
  CHECK(Slurp(dir + "/weights.bin") == Weights(1));
  CHECK(Slurp(dir + "/sub/config.json") == "{\"layers\": 2}");
  consumer.finish();
  version = server.artifacts().FindByAlias("model", "best");
  CHECK(version->used_by == std::vector<std::string>{"consumer"});
  CHECK(server.downloads() == 2);

  // A store that has the bytes (the producer's, which kept its own copy) downloads nothing.
  Run again = init(Online(server, "again"));
  CHECK(Slurp(again.use_artifact("model:v0").download(env.root_dir() + "/again") +
              "/weights.bin") == Weights(1));
  again.finish();
  CHECK(server.downloads() == 2);
}

TEST_CASE("the same content logged online again is the committed version and sends no file") {
  FakeWandbServer server;
  TestEnv env;
  Run first = init(Online(server, "first"));
  CHECK(LogModel(first, env.root_dir() + "/a", Weights(2), {}) == "v0");
  first.finish();
  Run second = init(Online(server, "second"));
  CHECK(LogModel(second, env.root_dir() + "/b", Weights(2), {}) == "v0");
  // New weights: only the changed file is sent; the unchanged one keeps its birth artifact.
  CHECK(LogModel(second, env.root_dir() + "/c", Weights(3), {}) == "v1");
  second.finish();
  CHECK(server.artifacts().file_puts() == 3);
  std::optional<FakeWandbArtifacts::Version> v1 = server.artifacts().Find("model", 1);
  REQUIRE(v1.has_value());
  std::optional<FakeWandbArtifacts::Version> v0 = server.artifacts().Find("model", 0);
  nlohmann::json manifest = nlohmann::json::parse(v1->manifest_json);
  CHECK(manifest["contents"]["sub/config.json"]["birthArtifactID"] == v0->id);
  CHECK(manifest["contents"]["weights.bin"]["birthArtifactID"] == v1->id);
  CHECK(v1->aliases == std::set<std::string>{"latest", "v1"});
  CHECK(v0->aliases == std::set<std::string>{"v0"});  // "latest" moved on
}

TEST_CASE("an artifact reaches W&B whole through storage 500s and a GraphQL outage") {
  ScopedEnv fast_retry("WANDB_CPP_RETRY_WAIT_MIN_MS", "50");
  FakeWandbServer server;
  TestEnv env;
  Run run = init(Online(server, "flaky"));
  run.log({{"i", 1}});
  // The run is on the server; the artifact's requests meet the faults.
  REQUIRE(Eventually([&] { return server.Run("flaky").has_value(); }));
  server.FailNext(2, 500, FakeWandbServer::Route::kStorage);
  server.FailNext(2, 503, FakeWandbServer::Route::kGraphQl);
  CHECK(LogModel(run, env.root_dir() + "/m", Weights(4), {"best"}) == "v0");
  run.finish();
  CHECK(server.faults_served() == 4);
  std::optional<FakeWandbArtifacts::Version> version =
      server.artifacts().FindByAlias("model", "best");
  REQUIRE(version.has_value());
  CHECK(version->state == "COMMITTED");
  CHECK(server.artifacts().stored_files() == 2);
  // One version: the retried steps went on with the artifact created first.
  CHECK(server.artifacts().All().size() == 1);
}

TEST_CASE("a table logged online points at its run_table artifact, which W&B commits") {
  FakeWandbServer server;
  TestEnv env;
  Run run = init(Online(server, "tables"));
  Table table({"epoch", "loss"});
  table.add_data({1, 0.5});
  table.add_data({2, 0.25});
  run.log({{"val/preds", table}});
  run.finish();

  std::optional<FakeWandbServer::RunState> sent = server.Run("tables");
  REQUIRE(sent.has_value());
  const std::vector<std::string>& history = sent->files["wandb-history.jsonl"];
  REQUIRE(history.size() == 1);
  nlohmann::json cell = nlohmann::json::parse(history[0])["val/preds"];
  CHECK(cell["_type"] == "table-file");
  const std::string path = cell["artifact_path"];
  CHECK(path.rfind("wandb-client-artifact://", 0) == 0);
  // The file inside the artifact is the key's path, as wandb names it.
  const std::string file = "/val/preds.table.json";
  REQUIRE(path.size() > file.size());
  CHECK(path.substr(path.size() - file.size()) == file);
  CHECK(cell["_latest_artifact_path"].get<std::string>().find(":latest" + file) !=
        std::string::npos);
  std::optional<FakeWandbArtifacts::Version> artifact =
      server.artifacts().Find("run-tables-valpreds", 0);
  REQUIRE(artifact.has_value());
  CHECK(artifact->type == "run_table");
  CHECK(
      nlohmann::json::parse(artifact->manifest_json)["contents"].contains("val/preds.table.json"));
}

TEST_CASE("Api::artifact with WANDB_MODE=online reads a version from W&B without a run") {
  FakeWandbServer server;
  TestEnv env;
  Run producer = init(Online(server, "maker"));
  CHECK(LogModel(producer, env.root_dir() + "/m", Weights(5), {"prod"}) == "v0");
  producer.finish();

  OnlineEnvironment online(server);
  Api api;
  Artifact model = api.artifact("model:prod", "model");
  CHECK(model.version() == "v0");
  std::string dir = model.download(env.root_dir() + "/api");
  CHECK(Slurp(dir + "/weights.bin") == Weights(5));
  CHECK(server.artifacts().FindByAlias("model", "prod")->used_by.empty());  // no run, no use
  try {
    api.artifact("model:nope");
    FAIL("an unknown alias was fetched");
  } catch (const Error& error) {
    CHECK(error.code() == ErrorCode::kNotFound);
    CHECK(std::string(error.what()).find("model:nope") != std::string::npos);
  }
}

TEST_CASE("restore() with mode online takes the run's file from W&B, not the local store") {
  FakeWandbServer server;
  TestEnv env;
  std::string work = env.root_dir() + "/work";
  WriteFile(work + "/model.txt", "trained weights");
  Run run = init(Online(server, "saver"));
  run.save(work + "/model.txt");
  run.finish();
  REQUIRE(server.Run("saver")->uploads.count("model.txt") == 1);

  OnlineEnvironment online(server);
  TempDir elsewhere;  // an empty store: what comes back can only be the server's
  TempDir target;
  std::string path = restore("model.txt", {.run_path = "art-proj/saver",
                                           .root = target.path(),
                                           .store_dir = elsewhere.path() + "/store"});
  CHECK(path == target.path() + "/model.txt");
  CHECK(Slurp(path) == "trained weights");
  CHECK(server.downloads() == 1);
  try {
    restore("missing.txt", {.run_path = "art-proj/saver",
                            .root = target.path(),
                            .store_dir = elsewhere.path() + "/store"});
    FAIL("a file the run does not have was restored");
  } catch (const Error& error) {
    CHECK(error.code() == ErrorCode::kNotFound);
    CHECK(std::string(error.what()).find("missing.txt") != std::string::npos);
  }
}

}  // namespace wandb::testing
