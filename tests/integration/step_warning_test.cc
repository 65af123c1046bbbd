// A row logged at a step lower than the run's current one is dropped, as in wandb, and the
// training process says so on its stderr, once per set of keys.
#include <catch2/catch.hpp>
#include <string>
#include <vector>

#include "tests/support/test_env.h"
#include "tests/support/text_lines.h"

namespace wandb::testing {

TEST_CASE("a lower step warns on stderr once per set of keys, and its row is dropped") {
  TestEnv env;
  std::string err_file = env.root_dir() + "/step_client.err";
  REQUIRE(WaitExit(env.Spawn("step_client", {"--id", "lowstep", "--stderr", err_file})) == 0);

  std::string err = ReadFile(err_file);
  INFO(err);
  std::vector<std::string> warnings;
  for (const std::string& line : LinesOf(err)) {
    if (line.find("lower than the current step") != std::string::npos) warnings.push_back(line);
  }
  REQUIRE(warnings.size() == 2);
  CHECK_THAT(warnings[0], Catch::Contains("run lowstep: log() at step 5, lower than the current "
                                          "step 10: the row (loss) is dropped"));
  CHECK_THAT(warnings[1], Catch::Contains("at step 3") && Catch::Contains("the row (acc)"));

  std::vector<int64_t> steps;
  for (const records::Record& r : ReadLog(env.RunDir("lowstep") + "/run-lowstep.wandb").records) {
    if (r.has_history()) steps.push_back(std::stoll(ItemValue(r.history(), "_step")));
  }
  CHECK(steps == std::vector<int64_t>{0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10});
}

}  // namespace wandb::testing
