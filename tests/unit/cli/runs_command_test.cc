#include "cli/runs_command.h"

#include <catch2/catch.hpp>
#include <filesystem>
#include <sstream>

#include "cli/output.h"
#include "tests/unit/store/store_test_support.h"

namespace wandb::cli {
namespace {

using store::testing::TempDir;

store::RunRow Row(const std::string& project, const std::string& id, store::RunState state,
                  std::optional<int> exit_code) {
  store::RunRow row;
  row.key = store::RunKey{"team", project, id};
  row.name = id == "a" ? "first" : "";
  row.state = state;
  row.exit_code = exit_code;
  row.start_time = absl::FromUnixSeconds(1'700'000'000);
  row.runtime = absl::Seconds(65);
  return row;
}

}  // namespace

TEST_CASE("runs prints a table of state, exit code, start and duration") {
  std::ostringstream out;
  PrintRuns({Row("p", "a", store::RunState::kFinished, 0),
             Row("proj", "bb", store::RunState::kRunning, std::nullopt)},
            absl::FromUnixSeconds(1'700'000'000 + 7200), out);
  std::string started = FormatLocalTime(absl::FromUnixSeconds(1'700'000'000));
  CHECK(out.str() ==
        "ID  PROJECT    NAME   STATE     EXIT  STARTED              DURATION\n"
        "a   team/p     first  finished     0  " +
            started +
            "     1m05s\n"
            "bb  team/proj  -      running      -  " +
            started + "  2h00m00s\n");
}

TEST_CASE("runs as JSON has one object per run with nulls for what is unset") {
  nlohmann::json json = RunJson(Row("p", "a", store::RunState::kRunning, std::nullopt));
  CHECK(json["path"] == "team/p/a");
  CHECK(json["state"] == "running");
  CHECK(json["exit_code"].is_null());
  CHECK(json["end_time"].is_null());
  CHECK(json["last_step"].is_null());
  CHECK(json["start_time"] == 1'700'000'000.0);
  CHECK(json["runtime_seconds"] == 65.0);
  CHECK(json["tags"].is_array());
}

TEST_CASE("runs reads the store it is pointed at, and never makes one") {
  TempDir dir;
  std::string store_dir = dir.path() + "/store";
  std::ostringstream out, err;
  CHECK(RunRuns({.project = "", .store_dir = store_dir}, out, err) == kExitOk);
  CHECK_THAT(out.str(), Catch::StartsWith("no runs: there is no local store in " + store_dir));
  CHECK_FALSE(std::filesystem::exists(store_dir));

  {
    auto store = store::LocalStore::Open(store_dir);
    REQUIRE(store.ok());
    REQUIRE((*store)->runs().Upsert(Row("p", "a", store::RunState::kRunning, std::nullopt)).ok());
    REQUIRE((*store)->runs().Upsert(Row("q", "b", store::RunState::kRunning, std::nullopt)).ok());
  }
  std::ostringstream json, json_err;
  CHECK(RunRuns({.project = "q", .store_dir = store_dir, .json = true}, json, json_err) == 0);
  std::string lines = json.str();
  CHECK_THAT(lines, Catch::StartsWith(R"({"end_time":null,"entity":"team",)"));
  CHECK(std::count(lines.begin(), lines.end(), '\n') == 1);
  CHECK_THAT(lines, Catch::Contains(R"("path":"team/q/b")"));
  CHECK(json_err.str().empty());
}

}  // namespace wandb::cli
