#include "ui/server/media_lookup.h"

#include <catch2/catch.hpp>

namespace wandb::ui {

TEST_CASE("ValueAtKey: top-level keys, nested ones joined with '.', and keys holding dots") {
  const nlohmann::json row = nlohmann::json::parse(
      R"({"img": {"_type": "image-file"}, "val": {"h": {"_type": "histogram"}},
          "a.b": 1, "a": {"c": 2}, "x": 3})");
  CHECK(ValueAtKey(row, "img")["_type"] == "image-file");
  CHECK(ValueAtKey(row, "val.h")["_type"] == "histogram");
  CHECK(ValueAtKey(row, "a.b") == 1);
  CHECK(ValueAtKey(row, "a.c") == 2);
  CHECK(ValueAtKey(row, "val.nope").is_null());
  CHECK(ValueAtKey(row, "x.y").is_null());
  CHECK(ValueAtKey(nlohmann::json::array(), "img").is_null());
}

TEST_CASE("SpreadSteps: all when they fit, else evenly spread with both ends") {
  const std::vector<int64_t> few = {0, 5, 9};
  CHECK(SpreadSteps(few, 3) == few);
  CHECK(SpreadSteps(few, 10) == few);
  std::vector<int64_t> many;
  for (int64_t s = 0; s < 101; ++s) many.push_back(s * 2);
  CHECK(SpreadSteps(many, 5) == std::vector<int64_t>{0, 50, 100, 150, 200});
  std::vector<int64_t> spread = SpreadSteps(many, 7);
  CHECK(spread.size() == 7);
  CHECK(spread.front() == 0);
  CHECK(spread.back() == 200);
  CHECK(std::is_sorted(spread.begin(), spread.end()));
  CHECK(std::adjacent_find(spread.begin(), spread.end()) == spread.end());
  CHECK(SpreadSteps(many, 1) == std::vector<int64_t>{200});
  CHECK(SpreadSteps(many, 0).empty());
}

}  // namespace wandb::ui
