#include "client/src/step_warnings.h"

#include <catch2/catch.hpp>

namespace wandb::internal {

TEST_CASE("StepWarnings follows the run's step as the daemon's history does") {
  StepWarnings steps(0);
  for (int i = 0; i < 3; ++i) CHECK(steps.OnLog("r", {{"a", i}}, std::nullopt, true).empty());
  // Current step 3. Not committed: no step is used up.
  CHECK(steps.OnLog("r", {{"a", 1}}, std::nullopt, false).empty());
  CHECK(steps.OnLog("r", {{"a", 1}}, 3, false).empty());  // the pending row's own step
  CHECK(steps.OnLog("r", {{"a", 1}}, 3, true).empty());   // commits step 3
  std::string lower = steps.OnLog("r", {{"b", 1}, {"a", 2}}, 3, true);
  CHECK(lower ==
        "run r: log() at step 3, lower than the current step 4: the row (a, b) is dropped, as "
        "wandb drops it; steps must only increase. This is said once per set of keys");
  CHECK(steps.OnLog("r", {{"a", 1}, {"b", 2}}, 2, true).empty());  // the same keys: once
  CHECK_FALSE(steps.OnLog("r", {{"c", 1}}, 0, true).empty());      // other keys: again
  CHECK(steps.OnLog("r", {{"a", 1}}, 10, true).empty());           // a jump ahead is fine
  CHECK_FALSE(steps.OnLog("r", {{"z", 1}}, 10, true).empty());     // now at 11
}

TEST_CASE("StepWarnings starts where a resumed run goes on from") {
  StepWarnings steps(100);
  CHECK_FALSE(steps.OnLog("r", {{"a", 1}}, 99, true).empty());
  CHECK(steps.OnLog("r", {{"a", 1}}, 100, true).empty());
}

}  // namespace wandb::internal
