// Run::flush(): once it returns, everything logged before it is in the transaction log.
#include <catch2/catch.hpp>

#include "tests/support/test_env.h"
#include "wandb/wandb.h"

namespace wandb::testing {

TEST_CASE("flush() returns once every row logged before it is in the log, in each durability") {
  Durability durability = GENERATE(Durability::kOs, Durability::kFsync);
  TestEnv env;
  Settings settings{.id = durability == Durability::kOs ? "flushos" : "flushfsync"};
  settings.durability = durability;
  Run run = init(settings);
  for (int i = 0; i < 2500; ++i) run.log({{"i", i}});
  REQUIRE(run.flush());
  // The run is still live: the log is read while the daemon holds it open.
  int rows = 0;
  for (const records::Record& r : ReadLog(run.dir() + "/run-" + run.id() + ".wandb").records) {
    rows += r.has_history();
  }
  CHECK(rows == 2500);
  run.log({{"i", 2500}});
  run.finish();
  CHECK_THROWS_AS(run.flush(), Error);
}

TEST_CASE("WANDB_CPP_DURABILITY must be os or fsync") {
  TestEnv env;
  setenv("WANDB_CPP_DURABILITY", "sometimes", 1);
  CHECK_THROWS_WITH(init({.id = "baddur"}), Catch::Contains("WANDB_CPP_DURABILITY='sometimes'"));
  unsetenv("WANDB_CPP_DURABILITY");
}

}  // namespace wandb::testing
