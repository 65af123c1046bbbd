#include "cli/import_command.h"
#include "cli/run_directories.h"

#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>

#include "tests/unit/store/store_test_support.h"

namespace wandb::cli {
namespace {

using store::testing::TempDir;

service::RunSyncResult Result(service::RunSyncOutcome outcome) {
  service::RunSyncResult r;
  r.outcome = outcome;
  r.key = store::RunKey{"me", "proj", "abc"};
  r.run_dir = "/w/offline-run-x-abc";
  r.history_rows = 100;
  r.files_stored = 2;
  r.files_unchanged = 1;
  r.bytes_stored = 2048;
  r.exit_code = 0;
  r.state = store::RunState::kFinished;
  r.log_has_exit = true;
  return r;
}

}  // namespace

TEST_CASE("import reports each run in a line") {
  CHECK(ImportLine(Result(service::RunSyncOutcome::kSynced)) ==
        "imported run me/proj/abc from /w/offline-run-x-abc: 100 rows, 2 files stored (2.0 KiB), "
        "1 unchanged, finished (exit code 0)");
  CHECK(ImportLine(Result(service::RunSyncOutcome::kAlreadySynced)) ==
        "already imported: run me/proj/abc from /w/offline-run-x-abc (finished, exit code 0)");
  service::RunSyncResult crashed = Result(service::RunSyncOutcome::kSynced);
  crashed.history_rows = 1;
  crashed.files_stored = 1;
  crashed.files_unchanged = 0;
  crashed.files_failed = 1;
  crashed.bytes_stored = 10;
  crashed.exit_code = 1;
  crashed.state = store::RunState::kCrashed;
  CHECK(
      ImportLine(crashed) ==
      "imported run me/proj/abc from /w/offline-run-x-abc: 1 row, 1 file stored (10 B), 1 failed, "
      "crashed (exit code 1)");
}

TEST_CASE("import as JSON has one object per run") {
  service::RunSyncResult r = Result(service::RunSyncOutcome::kAlreadySynced);
  r.warnings = {"careful"};
  nlohmann::json json = ImportJson(r);
  CHECK(json["outcome"] == "already_imported");
  CHECK(json["run"] == "me/proj/abc");
  CHECK(json["dir"] == "/w/offline-run-x-abc");
  CHECK(json["rows"] == 100);
  CHECK(json["bytes_stored"] == 2048);
  CHECK(json["state"] == "finished");
  CHECK(json["warnings"] == nlohmann::json::array({"careful"}));
}

TEST_CASE("import takes a run directory, or a directory of offline runs") {
  TempDir dir;
  namespace fs = std::filesystem;
  auto make_run = [&](const std::string& name) {
    fs::create_directories(dir.File(name));
    std::ofstream(dir.File(name + "/run-x.wandb")) << "";
    return dir.File(name);
  };
  std::string b = make_run("offline-run-2-b");
  std::string a = make_run("offline-run-1-a");
  make_run("run-3-c");  // a local-mode run: not picked from the parent
  fs::create_directories(dir.File("offline-run-4-empty"));

  auto one = RunDirectoriesIn(a);
  REQUIRE(one.ok());
  CHECK(*one == std::vector<std::string>{a});
  auto all = RunDirectoriesIn(dir.path());
  REQUIRE(all.ok());
  CHECK(*all == std::vector<std::string>{a, b});

  auto empty = RunDirectoriesIn(dir.File("offline-run-4-empty"));
  CHECK(absl::IsNotFound(empty.status()));
  CHECK_THAT(std::string(empty.status().message()), Catch::Contains("is not a run directory"));
  CHECK(absl::IsNotFound(RunDirectoriesIn(dir.File("missing")).status()));
}

}  // namespace wandb::cli
