#include "cli/stop_command.h"

#include <catch2/catch.hpp>
#include <sstream>

#include "cli/output.h"
#include "service/store/local_store.h"
#include "tests/unit/store/store_test_support.h"

namespace wandb::cli {
namespace {

using store::testing::TempDir;

std::unique_ptr<store::LocalStore> StoreWith(const std::string& dir,
                                             const std::vector<store::RunKey>& runs) {
  auto store = store::LocalStore::Open(dir);
  REQUIRE(store.ok());
  for (const store::RunKey& key : runs) {
    store::RunRow row;
    row.key = key;
    REQUIRE((*store)->runs().Upsert(row).ok());
  }
  return *std::move(store);
}

}  // namespace

TEST_CASE("a run reference is id, project/id or entity/project/id") {
  CHECK(CheckRunReference("abc").empty());
  CHECK(CheckRunReference("p/abc").empty());
  CHECK(CheckRunReference("e/p/abc").empty());
  CHECK(CheckRunReference("x/e/p/abc") ==
        "'x/e/p/abc' is not 'id', 'project/id' or 'entity/project/id'");
  CHECK_FALSE(CheckRunReference("").empty());
  CHECK_FALSE(CheckRunReference("p//abc").empty());
  CHECK_FALSE(CheckRunReference("abc/").empty());
}

TEST_CASE("stop sets the stop flag of a running run, once") {
  TempDir dir;
  const store::RunKey key{"team", "proj", "r1"};
  auto store = StoreWith(dir.path(), {key});
  std::ostringstream out, err;
  CHECK(RunStop({.run = "r1", .store_dir = dir.path()}, out, err) == kExitOk);
  CHECK(out.str() ==
        "requested a stop of run team/proj/r1; its training process sees it within about "
        "0.35 s\n");
  CHECK(err.str().empty());
  CHECK(*store->runs().StopRequested(key));

  std::ostringstream again, again_err;
  CHECK(RunStop({.run = "proj/r1", .store_dir = dir.path(), .json = true}, again, again_err) == 0);
  nlohmann::json json = nlohmann::json::parse(again.str());
  CHECK(json["run"] == "team/proj/r1");
  CHECK(json["already_requested"] == true);
  CHECK(json["requested_at"].is_number());
}

TEST_CASE("stop refuses a finished run, an unknown run, an ambiguous id and a missing store") {
  TempDir dir;
  auto store =
      StoreWith(dir.path(), {{"team", "a", "done"}, {"team", "a", "twin"}, {"team", "b", "twin"}});
  REQUIRE(store->runs()
              .Finish({"team", "a", "done"}, 0, store::RunState::kFinished, absl::Seconds(3))
              .ok());
  auto run_stop = [&](const std::string& ref, const std::string& store_dir) {
    std::ostringstream out, err;
    int code = RunStop({.run = ref, .store_dir = store_dir}, out, err);
    CHECK(out.str().empty());
    return std::make_pair(code, err.str());
  };
  auto [done_code, done_err] = run_stop("done", dir.path());
  CHECK(done_code == kExitFailure);
  CHECK_THAT(done_err, Catch::StartsWith("wandb-cpp stop: run team/a/done is not running "
                                         "(finished, exit code 0, at "));
  CHECK_THAT(done_err, Catch::EndsWith("); only a running run can be stopped\n"));

  auto [unknown_code, unknown_err] = run_stop("nope", dir.path());
  CHECK(unknown_code == kExitFailure);
  CHECK_THAT(unknown_err, Catch::Contains("no run 'nope' in the local store " + dir.path()));

  auto [twin_code, twin_err] = run_stop("twin", dir.path());
  CHECK(twin_code == kExitFailure);
  CHECK_THAT(twin_err, Catch::Contains("ambiguous"));
  CHECK_THAT(twin_err, Catch::Contains("team/a/twin, team/b/twin"));

  auto [none_code, none_err] = run_stop("x", dir.path() + "/none");
  CHECK(none_code == kExitFailure);
  CHECK_THAT(none_err, Catch::Contains("there is no local store in " + dir.path() + "/none"));
}

TEST_CASE("stop --wait gives up on a run nobody ends") {
  TempDir dir;
  auto store = StoreWith(dir.path(), {{"team", "p", "stuck"}});
  std::ostringstream out, err;
  CHECK(RunStop({.run = "stuck", .store_dir = dir.path(), .wait = true, .timeout_seconds = 0.2},
                out, err) == kExitFailure);
  CHECK_THAT(err.str(), Catch::Contains("run team/p/stuck is still running after"));
}

}  // namespace wandb::cli
