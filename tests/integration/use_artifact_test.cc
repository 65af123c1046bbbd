// use_artifact end to end: one run logs versions, another process takes one as its input
// through the real daemon, downloads it through the artifact cache, and the store keeps the
// lineage (who made the version, who used it).
#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "common/artifact/md5.h"
#include "service/store/local_store.h"
#include "tests/support/test_env.h"
#include "wandb/wandb.h"

namespace wandb::testing {
namespace {
namespace fs = std::filesystem;

void WriteFile(const std::string& path, const std::string& contents) {
  fs::create_directories(fs::path(path).parent_path());
  std::ofstream(path, std::ios::binary | std::ios::trunc) << contents;
}

// Bytes no text mode would keep: every byte value, twice.
std::string Weights(char salt) {
  std::string bytes;
  for (int i = 0; i < 512; ++i) bytes.push_back(static_cast<char>(i ^ salt));
  return bytes;
}

std::unique_ptr<store::LocalStore> OpenStore(const TestEnv& env) {
  absl::StatusOr<std::unique_ptr<store::LocalStore>> store =
      store::LocalStore::Open(env.store_dir());
  REQUIRE(store.ok());
  return *std::move(store);
}

// Logs `model` (weights.bin, config.json) with `aliases` and waits for its version.
std::string LogModel(Run& run, const std::string& dir, const std::string& weights,
                     const std::vector<std::string>& aliases) {
  WriteFile(dir + "/weights.bin", weights);
  WriteFile(dir + "/config.json", "{\"layers\": 2}");
  Artifact model("model", "model");
  model.add_dir(dir);
  run.log_artifact(model, aliases);
  return model.wait();
}

using Strings = std::vector<std::string>;

}  // namespace

TEST_CASE("a run uses the newest model another logged: its files and the lineage") {
  TestEnv env;
  Run producer = init({.project = "pipe", .id = "producer"});
  CHECK(LogModel(producer, env.root_dir() + "/m0", Weights(0), {"best"}) == "v0");
  CHECK(LogModel(producer, env.root_dir() + "/m1", Weights(7), {}) == "v1");
  producer.finish();

  // Another process takes model:latest and downloads it.
  const std::string root = env.root_dir() + "/inputs";
  const std::string out = env.root_dir() + "/use.out";
  pid_t consumer =
      env.Spawn("use_client", {"--id", "consumer", "--project", "pipe", "--use", "model:latest",
                               "--type", "model", "--root", root, "--out", out});
  REQUIRE(WaitExit(consumer) == 0);
  CHECK(ReadFile(out) == "v1\n" + root + "\n");
  CHECK(ReadFile(root + "/weights.bin") == Weights(7));
  CHECK(ReadFile(root + "/config.json") == "{\"layers\": 2}");

  // The store's lineage: the producer made v1, the consumer used it; v0 was used by no one.
  std::unique_ptr<store::LocalStore> store = OpenStore(env);
  absl::StatusOr<store::RunRow> row = store->runs().Find("consumer");
  REQUIRE(row.ok());
  const std::string entity = row->key.entity;
  absl::StatusOr<store::ArtifactVersion> v1 =
      store->artifacts().Resolve(entity, "pipe", "model:v1");
  REQUIRE(v1.ok());
  absl::StatusOr<store::ArtifactLineage> lineage = store->artifacts().Lineage(v1->id);
  REQUIRE(lineage.ok());
  CHECK(lineage->logged_by == Strings{entity + "/pipe/producer"});
  REQUIRE(lineage->used_by.size() == 1);
  CHECK(lineage->used_by[0].run == entity + "/pipe/consumer");
  absl::StatusOr<store::ArtifactVersion> v0 =
      store->artifacts().Resolve(entity, "pipe", "model:best");
  REQUIRE(v0.ok());
  CHECK(v0->VersionName() == "v0");
  CHECK(store->artifacts().Lineage(v0->id)->used_by.empty());
  CHECK(store->IntegrityCheck().ok());
}

TEST_CASE("use_artifact names what is wrong: a version or alias or type or a malformed name") {
  TestEnv env;
  Run run = init({.project = "pipe", .id = "asker"});
  LogModel(run, env.root_dir() + "/m0", Weights(1), {});
  Artifact v0 = run.use_artifact("model:v0", "model");
  CHECK(v0.version() == "v0");
  CHECK(v0.aliases() == Strings{"latest"});
  CHECK(v0.type() == "model");
  CHECK(v0.get_path("weights.bin").size == 512);
  CHECK_THROWS_AS(v0.add_file(env.root_dir() + "/m0/weights.bin"), Error);
  CHECK_THROWS_WITH(run.use_artifact("model:v7"),
                    Catch::Contains("no version v7") && Catch::Contains("v0..v0"));
  CHECK_THROWS_WITH(run.use_artifact("model:golden"), Catch::Contains("no alias 'golden'"));
  CHECK_THROWS_WITH(run.use_artifact("model:latest", "dataset"),
                    Catch::Contains("of type 'model', not 'dataset'"));
  CHECK_THROWS_WITH(run.use_artifact("nothing:latest"), Catch::Contains("no artifact nothing"));
  CHECK_THROWS_WITH(run.use_artifact("model"), Catch::Contains("no version or alias"));
  CHECK_THROWS_WITH(run.use_artifact("a/b/c/model:v0"), Catch::Contains("forms:"));
  CHECK_THROWS_WITH(run.use_artifact("model:v0", "bad type"), Catch::Contains("'bad type'"));
  // An artifact being built has nothing to download.
  Artifact fresh("fresh", "dataset");
  CHECK_THROWS_WITH(fresh.download(env.root_dir() + "/x"), Catch::Contains("use_artifact"));
  run.finish();
  CHECK_THROWS_WITH(run.use_artifact("model:v0"), Catch::Contains("after finish()"));

  Run offline = init({.project = "pipe", .id = "off", .mode = Mode::kOffline});
  CHECK_THROWS_WITH(offline.use_artifact("model:v0"), Catch::Contains("offline"));
  offline.finish();
}

TEST_CASE("Api::artifact fetches a stored version without a run and records no use") {
  TestEnv env;
  Run producer = init({.project = "serve", .id = "trainer"});
  LogModel(producer, env.root_dir() + "/m0", Weights(3), {"prod"});
  producer.finish();

  Api api;  // the store of WANDB_CPP_STORE_DIR, as the test environment sets it
  Artifact model = api.artifact("model:prod", "model");  // the one project that has it
  CHECK(model.version() == "v0");
  CHECK(model.type() == "model");
  const std::string root = env.root_dir() + "/served";
  CHECK(model.download(root) == root);
  CHECK(ReadFile(root + "/weights.bin") == Weights(3));
  CHECK(Api({.project = "serve"}).artifact("model:latest").digest() == model.digest());
  CHECK(api.artifact(model.digest()).version() == "v0");  // a digest names it anywhere

  std::unique_ptr<store::LocalStore> store = OpenStore(env);
  absl::StatusOr<store::RunRow> row = store->runs().Find("trainer");
  REQUIRE(row.ok());
  absl::StatusOr<store::ArtifactVersion> v0 =
      store->artifacts().Resolve(row->key.entity, "serve", "model:v0");
  REQUIRE(v0.ok());
  CHECK(store->artifacts().Lineage(v0->id)->used_by.empty());
}

TEST_CASE("Api::artifact names what is wrong with an error code a program can act on") {
  TestEnv env;
  Run a = init({.project = "one", .id = "a1"});
  LogModel(a, env.root_dir() + "/a", Weights(1), {});
  a.finish();
  Run b = init({.project = "two", .id = "b1"});
  LogModel(b, env.root_dir() + "/b", Weights(2), {});
  b.finish();
  Api api;
  auto code_of = [&](const std::string& name, const std::string& type) {
    try {
      api.artifact(name, type);
    } catch (const Error& e) {
      return e.code();
    }
    return ErrorCode::kInternal;  // not thrown: the check below fails
  };
  CHECK(code_of("model:v0", "") == ErrorCode::kFailedPrecondition);  // in two projects
  CHECK_THROWS_WITH(api.artifact("model:v0"), Catch::Contains("one") && Catch::Contains("two"));
  CHECK(Api({.project = "two"}).artifact("model:v0").version() == "v0");
  CHECK(code_of("one/model:v9", "") == ErrorCode::kNotFound);
  CHECK(code_of("one/model:v0", "dataset") == ErrorCode::kFailedPrecondition);
  CHECK(code_of("nothing:latest", "") == ErrorCode::kNotFound);
  CHECK(code_of("model", "") == ErrorCode::kInvalidArgument);
  CHECK(code_of("one/model:v0", "bad type") == ErrorCode::kInvalidArgument);
}

TEST_CASE("checkout removes what the artifact does not have and file gives a one-file artifact") {
  TestEnv env;
  Run run = init({.project = "pipe", .id = "checker"});
  LogModel(run, env.root_dir() + "/m0", Weights(5), {});
  WriteFile(env.root_dir() + "/vocab/words.txt", "a b c");
  Artifact vocab("vocab", "dataset");
  vocab.add_file(env.root_dir() + "/vocab/words.txt");
  run.log_artifact(vocab);
  vocab.wait();

  Artifact model = run.use_artifact("model:v0", "model");
  const std::string root = env.root_dir() + "/work";
  WriteFile(root + "/stale.bin", "old");
  WriteFile(root + "/logs/old.txt", "old");
  WriteFile(root + "/config.json", "edited");
  CHECK(model.checkout(root) == root);
  CHECK(ReadFile(root + "/weights.bin") == Weights(5));
  CHECK(ReadFile(root + "/config.json") == "{\"layers\": 2}");
  CHECK_FALSE(fs::exists(root + "/stale.bin"));
  CHECK_FALSE(fs::exists(root + "/logs/old.txt"));
  CHECK(fs::is_directory(root + "/logs"));  // folders stay, as wandb's
  model.verify(root);

  try {
    model.file(env.root_dir() + "/one");
    FAIL("file() of a two-file artifact");
  } catch (const Error& e) {
    CHECK(e.code() == ErrorCode::kFailedPrecondition);
    CHECK_THAT(e.what(), Catch::Contains("2 entries"));
  }
  std::string words = run.use_artifact("vocab:latest").file(env.root_dir() + "/v");
  CHECK(words == env.root_dir() + "/v/words.txt");
  CHECK(ReadFile(words) == "a b c");
  run.finish();
}

TEST_CASE("use_artifact of an artifact object records the use of a stored or a new version") {
  TestEnv env;
  Run producer = init({.project = "objs", .id = "maker"});
  LogModel(producer, env.root_dir() + "/m0", Weights(9), {});
  producer.finish();

  Run consumer = init({.project = "objs", .id = "taker"});
  Artifact fetched = Api().artifact("objs/model:v0");
  Artifact used = consumer.use_artifact(fetched);
  CHECK(used.version() == "v0");
  WriteFile(env.root_dir() + "/notes/n.txt", "notes");
  Artifact notes("notes", "text");
  notes.add_file(env.root_dir() + "/notes/n.txt");
  Artifact made = consumer.use_artifact(notes, {"draft"});
  CHECK(made.version() == "v0");
  CHECK_THAT(made.aliases(), Catch::VectorContains(std::string("draft")));
  consumer.finish();

  std::unique_ptr<store::LocalStore> store = OpenStore(env);
  absl::StatusOr<store::RunRow> row = store->runs().Find("taker");
  REQUIRE(row.ok());
  const std::string taker = row->key.ToString();
  for (const char* ref : {"model:v0", "notes:v0"}) {
    INFO(ref);
    absl::StatusOr<store::ArtifactVersion> v =
        store->artifacts().Resolve(row->key.entity, "objs", ref);
    REQUIRE(v.ok());
    absl::StatusOr<store::ArtifactLineage> lineage = store->artifacts().Lineage(v->id);
    REQUIRE(lineage.ok());
    REQUIRE(lineage->used_by.size() == 1);
    CHECK(lineage->used_by[0].run == taker);
  }
  // The new version was made by the run that used it.
  CHECK(store->artifacts()
            .Lineage(store->artifacts().Resolve(row->key.entity, "objs", "notes:v0")->id)
            ->logged_by == Strings{taker});
}

TEST_CASE("download finds a damaged cache object and copies it again from the store") {
  TestEnv env;
  Run run = init({.project = "pipe", .id = "cachecheck"});
  LogModel(run, env.root_dir() + "/m0", Weights(3), {});
  Artifact model = run.use_artifact("model:latest");
  const std::string first = model.download(env.root_dir() + "/first");
  CHECK(ReadFile(first + "/weights.bin") == Weights(3));

  // The cache object of weights.bin, damaged without changing its size.
  const std::string hex = artifact::ToHex(artifact::Md5Of(Weights(3)));
  const std::string object =
      env.cache_dir() + "/artifacts/obj/md5/" + hex.substr(0, 2) + "/" + hex.substr(2);
  REQUIRE(ReadFile(object) == Weights(3));
  WriteFile(object, Weights(4));

  const std::string second = model.download(env.root_dir() + "/second");
  CHECK(ReadFile(second + "/weights.bin") == Weights(3));
  CHECK(ReadFile(object) == Weights(3));  // repaired
  CHECK_NOTHROW(model.verify(second));
  WriteFile(second + "/weights.bin", Weights(5));
  CHECK_THROWS_WITH(model.verify(second), Catch::Contains("weights.bin has MD5"));
  run.finish();
}

}  // namespace wandb::testing
