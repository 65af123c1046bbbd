#include "client/src/run_config.h"

#include <catch2/catch.hpp>

namespace wandb::internal {

TEST_CASE("RunConfig: an update applies the values and makes their record", "[run_config]") {
  RunConfig config({{"lr", 0.1}});
  absl::StatusOr<records::ConfigRecord> record =
      config.Update({{"epochs", 10}, {"opt", {{"name", "adam"}}}}, false);
  REQUIRE(record.ok());
  REQUIRE(record->update_size() == 2);
  CHECK(record->update(0).key() == "epochs");
  CHECK(record->update(0).value_json() == "10");
  CHECK(record->update(1).value_json() == "{\"name\": \"adam\"}");
  CHECK(config.Get("epochs") == Value(10));
  CHECK(config.Get("lr") == Value(0.1));
  CHECK_FALSE(config.Get("missing").has_value());
  Value::Map all = config.Snapshot();
  REQUIRE(all.size() == 3);
  CHECK(all[0].first == "lr");
}

TEST_CASE("RunConfig: a changed value needs allow_val_change, and nothing is applied without",
          "[run_config]") {
  RunConfig config({{"lr", 0.1}});
  CHECK(config.Update({{"lr", 0.1}}, false).ok());  // the same value again is fine
  absl::StatusOr<records::ConfigRecord> refused = config.Update({{"new", 1}, {"lr", 0.2}}, false);
  REQUIRE_FALSE(refused.ok());
  CHECK(refused.status().code() == absl::StatusCode::kFailedPrecondition);
  CHECK_THAT(std::string(refused.status().message()),
             Catch::Contains("'lr'") && Catch::Contains("0.1") && Catch::Contains("0.2"));
  CHECK_FALSE(config.Get("new").has_value());
  CHECK(config.Update({{"lr", 0.2}}, true).ok());
  CHECK(config.Get("lr") == Value(0.2));
}

TEST_CASE("RunConfig: a resumed run adopts the stored config", "[run_config]") {
  RunConfig config({{"lr", 0.1}});
  records::ConfigRecord stored;
  records::ConfigItem* item = stored.add_update();
  item->set_key("epochs");
  item->set_value_json("20");
  item = stored.add_update();
  item->set_key("bad");
  item->set_value_json("{not json");
  config.Adopt(stored);
  CHECK(config.Get("epochs") == Value(20));
  CHECK_FALSE(config.Get("bad").has_value());
}

}  // namespace wandb::internal
