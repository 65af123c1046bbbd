// Artifacts and a daemon that dies: a daemon killed (-9) while it commits a large artifact
// leaves no half version; the training process re-attaches its run to the next daemon, the
// artifact is committed exactly once, and wait() gets its version even when the daemon that
// committed it is gone.
#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>
#include <string>

#include "service/store/local_store.h"
#include "tests/support/test_env.h"
#include "wandb/wandb.h"

namespace wandb::testing {
namespace {
namespace fs = std::filesystem;

size_t Count(const std::string& text, const std::string& what) {
  size_t n = 0;
  for (size_t at = text.find(what); at != std::string::npos; at = text.find(what, at + 1)) ++n;
  return n;
}

// Kills the daemon and waits until this process has re-attached run `dir` to the next one.
void KillDaemonAndWaitForReattach(const TestEnv& env, const std::string& dir) {
  REQUIRE(env.KillDaemonAndAwaitNext());
  REQUIRE(Eventually(
      [&] { return Count(ReadFile(dir + "/logs/debug-internal.log"), "stream: re-attached") > 0; },
      std::chrono::seconds(60)));
}

std::vector<store::ArtifactVersion> Versions(const TestEnv& env, const std::string& run_id,
                                             const std::string& name) {
  absl::StatusOr<std::unique_ptr<store::LocalStore>> store =
      store::LocalStore::Open(env.store_dir());
  REQUIRE(store.ok());
  absl::StatusOr<store::RunRow> run = (*store)->runs().Find(run_id);
  if (!run.ok()) return {};
  absl::StatusOr<std::vector<store::ArtifactVersion>> versions =
      (*store)->artifacts().Versions(run->key.entity, run->key.project, name);
  REQUIRE(versions.ok());
  CHECK((*store)->IntegrityCheck().ok());
  return *std::move(versions);
}

}  // namespace

TEST_CASE("a daemon killed mid-commit of a large artifact: committed exactly once after") {
  TestEnv env;
  const std::string data = env.root_dir() + "/big";
  fs::create_directories(data);
  {
    // 4 files of 16 MiB, each its own content: the commit copies 64 MiB into the blobs.
    std::string block(1 << 20, 'w');
    for (int f = 0; f < 4; ++f) {
      std::ofstream out(data + "/part" + std::to_string(f), std::ios::binary);
      for (int mb = 0; mb < 16; ++mb) {
        block[0] = static_cast<char>(f);
        block[1] = static_cast<char>(mb);
        out.write(block.data(), static_cast<std::streamsize>(block.size()));
      }
    }
  }
  Run run = init({.project = "crashart", .id = "artcrash"});
  Artifact big("big", "dataset");
  big.add_dir(data);
  run.log_artifact(big);
  // Killed as soon as the record is in the log: the commit is under way or about to be.
  REQUIRE(run.flush());
  KillDaemonAndWaitForReattach(env, run.dir());
  CHECK(big.wait(120) == "v0");
  run.finish();
  std::vector<store::ArtifactVersion> versions = Versions(env, "artcrash", "big");
  REQUIRE(versions.size() == 1);
  CHECK(versions[0].digest == big.digest());
  CHECK(versions[0].file_count == 4);
  CHECK(versions[0].size == 4 * (16 << 20));
}

TEST_CASE("wait() gets the version the killed daemon committed from the next daemon") {
  TestEnv env;
  fs::create_directories(env.root_dir() + "/d");
  std::ofstream(env.root_dir() + "/d/a.txt") << "committed before the crash";
  Run run = init({.project = "crashart", .id = "artwait"});
  Artifact artifact("small", "dataset");
  artifact.add_file(env.root_dir() + "/d/a.txt");
  run.log_artifact(artifact);
  // Committed by this daemon, and wait() not called yet.
  REQUIRE(Eventually([&] { return Versions(env, "artwait", "small").size() == 1; },
                     std::chrono::seconds(60)));
  KillDaemonAndWaitForReattach(env, run.dir());
  CHECK(artifact.wait(120) == "v0");
  run.finish();
  CHECK(Versions(env, "artwait", "small").size() == 1);
}

}  // namespace wandb::testing
