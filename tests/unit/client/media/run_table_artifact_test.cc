// The run_table artifact wandb logs beside each table: its name from the key, its one entry,
// and the client-artifact URLs the table's JSON points at.
#include "client/src/media/run_table_artifact.h"

#include <catch2/catch.hpp>
#include <string>

#include "tests/support/scoped_env.h"
#include "tests/support/temp_dir.h"

namespace wandb::internal {

TEST_CASE("a run_table artifact is named by the run and the key with only word characters kept") {
  CHECK(RunTableArtifactName("ab12", "predictions") == "run-ab12-predictions");
  CHECK(RunTableArtifactName("ab12", "eval/top-5 tables") == "run-ab12-evaltop5tables");
  CHECK(RunTableArtifactName("ab12", "loss_chart_table") == "run-ab12-loss_chart_table");
}

TEST_CASE("a run_table artifact holds the table as key.table.json and gives wandb's URLs") {
  testing::TempDir dir;
  testing::ScopedEnv cache("WANDB_CACHE_DIR", dir.File("cache").c_str());
  testing::WriteBytes(dir.File("t.table.json"), R"({"columns": ["a"], "data": [[1]]})");
  absl::StatusOr<RunTableArtifact> made =
      MakeRunTableArtifact({"run1", "me", "proj"}, "eval/t", dir.File("t.table.json"));
  REQUIRE(made.ok());
  const records::ArtifactRecord& record = made->record.artifact();
  CHECK(record.name() == "run-run1-evalt");
  CHECK(record.type() == "run_table");
  CHECK(record.run_id() == "run1");
  CHECK(record.project() == "proj");
  REQUIRE(record.manifest().contents_size() == 1);
  CHECK(record.manifest().contents(0).path() == "eval/t.table.json");
  CHECK(made->artifact_path ==
        "wandb-client-artifact://" + record.client_id() + "/eval/t.table.json");
  CHECK(made->latest_artifact_path ==
        "wandb-client-artifact://" + record.sequence_client_id() + ":latest/eval/t.table.json");
  CHECK_FALSE(MakeRunTableArtifact({"run1", "me", "proj"}, "t", dir.File("none.json")).ok());
}

}  // namespace wandb::internal
