// save() and restore() against the real daemon and local store: files linked into the run,
// stored by policy, and fetched back into another run.
#include <unistd.h>

#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>
#include <stdexcept>

#include "service/store/local_store.h"
#include "tests/support/test_env.h"
#include "wandb/wandb.h"

namespace wandb::testing {
namespace {
namespace fs = std::filesystem;

void WriteFile(const std::string& path, const std::string& contents) {
  if (fs::path parent = fs::path(path).parent_path(); !parent.empty()) {
    fs::create_directories(parent);
  }
  std::ofstream(path, std::ios::trunc) << contents;
}

std::unique_ptr<store::LocalStore> OpenStore(const TestEnv& env) {
  absl::StatusOr<std::unique_ptr<store::LocalStore>> store =
      store::LocalStore::Open(env.store_dir());
  REQUIRE(store.ok());
  return *std::move(store);
}

// The versions of `path` in run `id`, oldest first, as their contents.
std::vector<std::string> Versions(const TestEnv& env, const std::string& id,
                                  const std::string& path) {
  std::unique_ptr<store::LocalStore> store = OpenStore(env);
  absl::StatusOr<store::RunRow> run = store->runs().Find(id);
  if (!run.ok()) return {};
  absl::StatusOr<std::vector<store::FileVersion>> versions =
      store->files().Versions(run->key, path);
  REQUIRE(versions.ok());
  std::vector<std::string> contents;
  for (const store::FileVersion& v : *versions) contents.push_back(ReadFile(v.blob_path));
  return contents;
}

// Runs the test in a private working directory, since save() globs are relative to it.
class InDir {
 public:
  explicit InDir(const std::string& dir) : old_(fs::current_path()) {
    fs::create_directories(dir);
    fs::current_path(dir);
  }
  ~InDir() { fs::current_path(old_); }

 private:
  fs::path old_;
};

}  // namespace

TEST_CASE("save() stores files by policy: now once, live at once then at finish, end at finish") {
  TestEnv env;
  InDir work(env.root_dir() + "/work");
  WriteFile("now.txt", "now v1");
  WriteFile("live.log", "live v1");
  WriteFile("ckpt/end.pt", "end v1");
  Run run = init({.id = "policies"});
  CHECK(run.save("now.txt", {.policy = Policy::kNow}) == std::vector<std::string>{"now.txt"});
  CHECK(run.save("live.log") == std::vector<std::string>{"live.log"});  // live by default
  CHECK(run.save("ckpt/*.pt", {.policy = Policy::kEnd}) == std::vector<std::string>{"ckpt/end.pt"});
  CHECK(fs::is_symlink(run.dir() + "/files/ckpt/end.pt"));

  REQUIRE(Eventually([&] { return Versions(env, "policies", "now.txt").size() == 1; }));
  REQUIRE(Eventually([&] { return Versions(env, "policies", "live.log").size() == 1; }));
  // The live file changes four more times, within the 15 s the live policy waits.
  for (int i = 2; i <= 5; ++i) WriteFile("live.log", "live v" + std::to_string(i));
  WriteFile("ckpt/end.pt", "end v2");
  WriteFile(run.dir() + "/files/notes.md", "written into files/ by the program");
  CHECK(Versions(env, "policies", "ckpt/end.pt").empty());  // end files wait for the end
  run.finish();

  CHECK(Versions(env, "policies", "now.txt") == std::vector<std::string>{"now v1"});
  CHECK(Versions(env, "policies", "live.log") == std::vector<std::string>{"live v1", "live v5"});
  CHECK(Versions(env, "policies", "ckpt/end.pt") == std::vector<std::string>{"end v2"});
  CHECK(Versions(env, "policies", "notes.md").size() == 1);  // unknown files: end
  CHECK(Versions(env, "policies", "config.yaml").size() == 1);
  CHECK(Versions(env, "policies", "wandb-metadata.json").size() == 1);
}

TEST_CASE("save() refuses cloud paths and globs that climb out, and does nothing when disabled") {
  TestEnv env;
  InDir work(env.root_dir() + "/work");
  Run run = init({.id = "badglobs"});
  CHECK_THROWS_AS(run.save("s3://bucket/model.pt"), std::invalid_argument);
  CHECK_THROWS_AS(run.save("../outside/*.pt"), std::invalid_argument);
  CHECK_THROWS_AS(run.save("a/*.pt", {.base_path = "a/b"}), std::invalid_argument);
  run.finish();
  CHECK_THROWS_AS(run.save("x"), Error);
  Run off = init({.id = "off1", .mode = Mode::kDisabled});
  CHECK(off.save("*").empty());
}

TEST_CASE(
    "restore() fetches another run's file, by path or id, and keeps local files unless told") {
  TestEnv env;
  InDir work(env.root_dir() + "/work");
  WriteFile("model.pt", "weights v1");
  {
    Run first = init({.project = "proj", .id = "source1"});
    first.save("model.pt", {.policy = Policy::kNow});
    WriteFile(first.dir() + "/files/sub/extra.txt", "extra");
    first.finish();
  }
  Run second = init({.project = "proj", .id = "target1", .reinit = true});
  std::string restored = restore("model.pt", {.run_path = "proj/source1"});
  CHECK(restored == second.dir() + "/model.pt");
  CHECK(ReadFile(restored) == "weights v1");

  SECTION("an existing local file is kept, unless replace is set") {
    WriteFile(restored, "local edits");
    CHECK(ReadFile(restore("model.pt", {.run_path = "source1"})) == "local edits");
    CHECK(ReadFile(restore("model.pt", {.run_path = "source1", .replace = true})) == "weights v1");
  }
  SECTION("into another root, with sub-directories") {
    std::string root = env.root_dir() + "/elsewhere";
    std::string path = restore("sub/extra.txt", {.run_path = "source1", .root = root});
    CHECK(path == root + "/sub/extra.txt");
    CHECK(ReadFile(path) == "extra");
  }
  SECTION("errors are clear") {
    CHECK_THROWS_WITH(restore("missing.bin", {.run_path = "source1"}),
                      Catch::Contains("missing.bin") && Catch::Contains("source1"));
    CHECK_THROWS_WITH(restore("model.pt", {.run_path = "no-such-run"}),
                      Catch::Contains("no-such-run"));
    CHECK_THROWS_AS(restore("../escape.pt", {.run_path = "source1"}), std::invalid_argument);
    CHECK_THROWS_AS(restore("/etc/passwd", {.run_path = "source1"}), std::invalid_argument);
    CHECK_THROWS_AS(restore("", {.run_path = "source1"}), std::invalid_argument);
  }
  SECTION("without a run, run_path is required") {
    second.finish();
    CHECK_THROWS_WITH(restore("model.pt"), Catch::Contains("run_path"));
  }
  second.finish();
}

TEST_CASE("two processes saving into the same store at once both land whole") {
  TestEnv env;
  InDir work(env.root_dir() + "/work");
  pid_t a = env.Spawn("log_client", {"--id", "savea", "--rows", "2000", "--save-files", "20",
                                     "--file-bytes", "100000"});
  pid_t b = env.Spawn("log_client", {"--id", "saveb", "--rows", "2000", "--save-files", "20",
                                     "--file-bytes", "100000"});
  CHECK(WaitExit(a) == 0);
  CHECK(WaitExit(b) == 0);
  std::unique_ptr<store::LocalStore> store = OpenStore(env);
  CHECK(store->IntegrityCheck().ok());
  for (const char* id : {"savea", "saveb"}) {
    absl::StatusOr<store::RunRow> run = store->runs().Find(id);
    REQUIRE(run.ok());
    CHECK(run->state == store::RunState::kFinished);
    CHECK(run->last_step == 1999);
    for (int f = 0; f < 20; ++f) {
      std::string name = std::string("out-") + id + "-" + std::to_string(f) + ".bin";
      absl::StatusOr<store::FileVersion> file = store->files().Latest(run->key, name);
      REQUIRE(file.ok());
      CHECK(file->size == 100000 + static_cast<int64_t>(std::string(id).size()));
      CHECK(store->blobs().Verify(file->md5).ok());
    }
  }
}

}  // namespace wandb::testing
