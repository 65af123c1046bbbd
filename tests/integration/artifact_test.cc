// Artifacts end to end: wandb::Artifact in real client processes, committed by the real daemon
// into the local store, and the artifact records in the run's log.
#include <sys/wait.h>

#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>
#include <set>
#include <string>
#include <vector>

#include "service/store/local_store.h"
#include "tests/support/cli_runner.h"
#include "tests/support/test_env.h"
#include "wandb/wandb.h"

namespace wandb::testing {
namespace {
namespace fs = std::filesystem;

void WriteFile(const std::string& path, const std::string& contents) {
  fs::create_directories(fs::path(path).parent_path());
  std::ofstream(path, std::ios::binary | std::ios::trunc) << contents;
}

std::unique_ptr<store::LocalStore> OpenStore(const TestEnv& env) {
  absl::StatusOr<std::unique_ptr<store::LocalStore>> store =
      store::LocalStore::Open(env.store_dir());
  REQUIRE(store.ok());
  return *std::move(store);
}

// The run's key as the store has it (the entity is the store's, not necessarily the run's).
store::RunKey StoredKey(store::LocalStore& store, const std::string& run_id) {
  absl::StatusOr<store::RunRow> run = store.runs().Find(run_id);
  REQUIRE(run.ok());
  return run->key;
}

std::vector<store::ArtifactVersion> Versions(const TestEnv& env, const std::string& run_id,
                                             const std::string& name) {
  std::unique_ptr<store::LocalStore> store = OpenStore(env);
  const store::RunKey key = StoredKey(*store, run_id);
  absl::StatusOr<std::vector<store::ArtifactVersion>> versions =
      store->artifacts().Versions(key.entity, key.project, name);
  REQUIRE(versions.ok());
  return *std::move(versions);
}

std::vector<records::ArtifactRecord> LoggedArtifacts(const TestEnv& env, const std::string& id) {
  LogContents log = ReadLog(env.RunDir(id) + "/run-" + id + ".wandb");
  std::vector<records::ArtifactRecord> artifacts;
  for (const records::Record& record : log.records) {
    if (record.has_artifact()) artifacts.push_back(record.artifact());
  }
  return artifacts;
}

using Strings = std::vector<std::string>;

}  // namespace

TEST_CASE("log_artifact commits versions into the store and wait() returns each version") {
  TestEnv env;
  const std::string data = env.root_dir() + "/data";
  WriteFile(data + "/a.txt", "hello\n");
  WriteFile(data + "/sub/b.txt", "b");
  WriteFile(env.root_dir() + "/labels.csv", "x,y\n");
  Run run = init({.id = "art1"});

  Artifact dataset("mnist", "dataset", "digits", {{"rows", 3}});
  dataset.add_dir(data);
  dataset.add_file(env.root_dir() + "/labels.csv", "meta/labels.csv");
  dataset.add_reference("s3://bucket/raw.tar");
  {
    ArtifactFile notes = dataset.new_file("notes.md");
    notes << "# notes\n";
    notes.close();
  }
  // python3 -c 'import hashlib,base64; print(base64.b64encode(hashlib.md5(b"hello\n").digest()))'
  CHECK(dataset.get_path("a.txt").digest == "sZRqySSS0jR8YjW00mERhA==");
  CHECK(dataset.get_path("raw.tar").ref == "s3://bucket/raw.tar");
  const std::string digest = dataset.digest();

  run.log_artifact(dataset, {"best"});
  CHECK_THROWS_AS(dataset.add_file(data + "/a.txt", "late.txt"), Error);
  CHECK(dataset.wait() == "v0");
  CHECK(dataset.version() == "v0");

  // A second version with one file changed: only that file's content is new in the store.
  WriteFile(data + "/a.txt", "hello again\n");
  Artifact second("mnist", "dataset");
  second.add_dir(data);
  run.log_artifact(second);
  CHECK(second.wait() == "v1");

  // The first version's content again: no new version; it gains the alias.
  Artifact again("mnist", "dataset", "digits", {{"rows", 3}});
  WriteFile(data + "/a.txt", "hello\n");
  again.add_dir(data);
  again.add_file(env.root_dir() + "/labels.csv", "meta/labels.csv");
  again.add_reference("s3://bucket/raw.tar");
  again.new_file("notes.md") << "# notes\n";  // closed and added when it goes
  CHECK(again.digest() == digest);
  run.log_artifact(again, {"golden"});
  CHECK(again.wait() == "v0");

  std::vector<store::ArtifactVersion> versions = Versions(env, "art1", "mnist");
  REQUIRE(versions.size() == 2);
  CHECK(versions[0].digest == digest);
  CHECK(versions[0].aliases == Strings{"best", "golden"});
  CHECK(versions[1].aliases == Strings{"latest"});
  CHECK(versions[0].description == "digits");
  CHECK(versions[0].metadata == R"({"rows": 3})");
  CHECK(versions[0].created_by == "art1");
  std::unique_ptr<store::LocalStore> store = OpenStore(env);
  const store::RunKey key = StoredKey(*store, "art1");
  absl::StatusOr<std::vector<store::ArtifactFile>> files =
      store->artifacts().Files(key.entity, key.project, "mnist", 1);
  REQUIRE(files.ok());
  REQUIRE(files->size() == 2);
  CHECK(ReadFile((*files)[0].blob_path) == "hello again\n");
  run.finish();

  // The run's log has the three calls, in wandb's ArtifactRecord.
  std::vector<records::ArtifactRecord> logged = LoggedArtifacts(env, "art1");
  REQUIRE(logged.size() == 3);
  CHECK(logged[0].name() == "mnist");
  CHECK(logged[0].type() == "dataset");
  CHECK(logged[0].digest() == digest);
  CHECK(logged[0].aliases(0) == "best");
  CHECK(logged[1].aliases(0) == "latest");  // wandb's default
  CHECK(logged[0].manifest().contents_size() == 5);
  CHECK(logged[0].run_id() == "art1");
}

TEST_CASE("log_artifact of a path names the artifact after it as wandb does") {
  TestEnv env;
  WriteFile(env.root_dir() + "/model.pt", "weights");
  Run run = init({.id = "art2"});
  Artifact artifact = run.log_artifact(env.root_dir() + "/model.pt", "", "model");
  CHECK(artifact.name() == "run-art2-model.pt");
  CHECK(artifact.wait() == "v0");
  CHECK_THROWS_AS(run.log_artifact(env.root_dir() + "/missing", "", "model"), Error);
  run.finish();
}

TEST_CASE("artifacts refuse bad input with wandb::Error naming it") {
  TestEnv env;
  WriteFile(env.root_dir() + "/f.txt", "x");
  CHECK_THROWS_WITH(Artifact("bad name", "dataset"), Catch::Contains("'bad name'"));
  CHECK_THROWS_AS(Artifact("ok", ""), Error);
  Artifact artifact("ok", "dataset");
  CHECK_THROWS_AS(artifact.add_file(env.root_dir() + "/missing.txt"), Error);
  CHECK_THROWS_AS(artifact.add_file(env.root_dir() + "/f.txt", "../escape.txt"), Error);
  CHECK_THROWS_AS(artifact.add_file(env.root_dir() + "/f.txt", "/abs.txt"), Error);
  CHECK_THROWS_AS(artifact.add_dir(env.root_dir() + "/f.txt"), Error);
  CHECK_THROWS_WITH(artifact.add_reference("/no/scheme"), Catch::Contains("file:///"));
  CHECK_THROWS_AS(artifact.get_path("nothing"), Error);
  CHECK_THROWS_WITH(artifact.wait(), Catch::Contains("not logged"));
  artifact.add_file(env.root_dir() + "/f.txt");
  CHECK_NOTHROW(artifact.add_file(env.root_dir() + "/f.txt", "f.txt"));  // the same file again

  Run run = init({.id = "art3"});
  CHECK_THROWS_WITH(run.log_artifact(artifact, {"a:b"}), Catch::Contains("'a:b'"));
  ArtifactFile open = artifact.new_file("open.txt");
  CHECK_THROWS_WITH(run.log_artifact(artifact), Catch::Contains("still open"));
  open.close();
  run.log_artifact(artifact);
  CHECK_THROWS_AS(run.log_artifact(artifact), Error);  // logged already
  CHECK(artifact.wait() == "v0");
  run.finish();
}

TEST_CASE("add_dir takes a symlinked file under its own name and skips a directory link") {
  TestEnv env;
  const std::string dir = env.root_dir() + "/linked";
  WriteFile(env.root_dir() + "/outside/target.txt", "target");
  WriteFile(dir + "/plain.txt", "plain");
  fs::create_symlink(env.root_dir() + "/outside/target.txt", dir + "/link.txt");
  fs::create_directory_symlink(dir, dir + "/loop");  // would make the walk endless
  Artifact artifact("linked", "dataset");
  artifact.add_dir(dir + "/", "top");
  std::vector<std::string> paths;
  for (const ArtifactEntry& entry : artifact.entries()) paths.push_back(entry.path);
  CHECK(paths == Strings{"top/link.txt", "top/plain.txt"});
  CHECK(ReadFile(artifact.get_path("top/link.txt").local_path) == "target");
}

TEST_CASE("four processes logging one artifact name at once get distinct versions") {
  TestEnv env;
  std::vector<pid_t> clients;
  for (int i = 0; i < 4; ++i) {
    clients.push_back(
        env.Spawn("artifact_client", {"--id", "p" + std::to_string(i), "--name", "shared",
                                      "--content", "content " + std::to_string(i), "--out",
                                      env.root_dir() + "/version" + std::to_string(i)}));
  }
  for (pid_t pid : clients) CHECK(WaitExit(pid) == 0);
  std::set<std::string> seen;
  for (int i = 0; i < 4; ++i)
    seen.insert(ReadFile(env.root_dir() + "/version" + std::to_string(i)));
  CHECK(seen == std::set<std::string>{"v0", "v1", "v2", "v3"});
  std::unique_ptr<store::LocalStore> store = OpenStore(env);
  absl::StatusOr<store::RunRow> run = store->runs().Find("p0");
  REQUIRE(run.ok());
  absl::StatusOr<std::vector<store::ArtifactVersion>> versions =
      store->artifacts().Versions(run->key.entity, run->key.project, "shared");
  REQUIRE(versions.ok());
  CHECK(versions->size() == 4);
  CHECK(versions->back().aliases == Strings{"latest"});
  CHECK(store->IntegrityCheck().ok());
}

TEST_CASE("an offline run's artifacts are committed by wandb-cpp import") {
  TestEnv env;
  WriteFile(env.root_dir() + "/model.pt", "weights");
  Run run = init({.project = "offart", .id = "artoff", .mode = Mode::kOffline});
  Artifact model("model", "model");
  model.add_file(env.root_dir() + "/model.pt");
  run.log_artifact(model);
  CHECK_THROWS_WITH(model.wait(), Catch::Contains("wandb-cpp import"));
  const std::string dir = run.dir();
  run.finish();

  CommandResult imported = RunCli({"import", dir});
  INFO(imported.err);
  CHECK(imported.exit_code == 0);
  std::unique_ptr<store::LocalStore> store = OpenStore(env);
  absl::StatusOr<store::RunRow> row = store->runs().Find("artoff");
  REQUIRE(row.ok());
  absl::StatusOr<std::vector<store::ArtifactVersion>> versions =
      store->artifacts().Versions(row->key.entity, "offart", "model");
  REQUIRE(versions.ok());
  REQUIRE(versions->size() == 1);
  CHECK(versions->front().digest == model.digest());
  // Importing again commits nothing twice.
  CHECK(RunCli({"import", dir}).exit_code == 0);
  CHECK(OpenStore(env)->artifacts().Versions(row->key.entity, "offart", "model")->size() == 1);
}

}  // namespace wandb::testing
