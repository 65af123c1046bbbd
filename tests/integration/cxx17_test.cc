// The public API from a C++17 program (tests/integration/programs/cxx17_client.cc): it builds
// without designated initializers, and its run is whole.
#include <catch2/catch.hpp>
#include <string>

#include "nlohmann/json.hpp"
#include "tests/support/test_env.h"

namespace wandb::testing {

TEST_CASE("a C++17 program sets settings by field and logs a whole run") {
  TestEnv env;
  REQUIRE(WaitExit(env.Spawn("cxx17_client", {"--id", "cxx17"})) == 0);
  std::string dir = env.RunDir("cxx17");
  REQUIRE_FALSE(dir.empty());

  nlohmann::json meta = nlohmann::json::parse(ReadFile(dir + "/files/wandb-metadata.json"));
  CHECK(meta["build"]["program_cplusplus"].get<int64_t>() == 201703);

  std::string config = ReadFile(dir + "/files/config.yaml");
  CHECK_THAT(config, Catch::Contains("lr:") && Catch::Contains("epochs:"));
  nlohmann::json summary = nlohmann::json::parse(ReadFile(dir + "/files/wandb-summary.json"));
  CHECK(summary["best"]["loss"] == 0.05);
  CHECK(summary["weights"] == nlohmann::json::parse("[0.5, 0.25]"));
  CHECK_THAT(config, Catch::Contains("shape:\n  desc: null\n  value:\n    - 4\n    - 2\n"));

  std::vector<int64_t> steps;
  for (const records::Record& r : ReadLog(dir + "/run-cxx17.wandb").records) {
    if (r.has_history()) steps.push_back(std::stoll(ItemValue(r.history(), "_step")));
  }
  CHECK(steps == std::vector<int64_t>{0, 1, 2, 3, 4, 5, 6, 7, 8, 20});
}

}  // namespace wandb::testing
