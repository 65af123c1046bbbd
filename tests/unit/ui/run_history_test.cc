#include "ui/server/run_history.h"

#include <catch2/catch.hpp>
#include <cmath>

namespace wandb::ui {

TEST_CASE("RunHistory: numbers become columns, nested keys joined with '.', media listed") {
  RunHistory h;
  h.Append(0, R"({"loss": 1.5, "_step": 0, "val": {"acc": 0.5, "deep": {"x": 2}}, "ok": true})");
  h.Append(
      1,
      R"({"loss": NaN, "_step": 1, "name": "text", "img": {"_type": "image-file", "path": "a.png"}})");
  h.Append(3, R"({"loss": Infinity, "_step": 3, "list": [1, 2]})");
  CHECK(h.row_count() == 3);
  CHECK(h.last_step() == 3);
  std::map<std::string, int64_t> keys = h.NumericKeys();
  CHECK(keys["loss"] == 3);
  CHECK(keys["val.acc"] == 1);
  CHECK(keys["val.deep.x"] == 1);
  CHECK(keys["ok"] == 1);
  CHECK(keys.count("name") == 0);
  CHECK(keys.count("list") == 0);
  CHECK(keys.count("img.path") == 0);
  CHECK(h.media_keys().at("img") == "image-file");
  REQUIRE(h.MediaSteps("img") != nullptr);
  CHECK(*h.MediaSteps("img") == std::vector<int64_t>{1});
  CHECK(h.MediaSteps("loss") == nullptr);

  absl::StatusOr<RunHistory::Series> loss = h.Points("loss", "_step");
  REQUIRE(loss.ok());
  CHECK(std::vector<double>(loss->x.begin(), loss->x.end()) == std::vector<double>{0, 1, 3});
  CHECK(loss->y[0] == 1.5);
  CHECK(std::isnan(loss->y[1]));
  CHECK(std::isinf(loss->y[2]));
  CHECK(absl::IsNotFound(h.Points("nope", "_step").status()));
  CHECK(absl::IsNotFound(h.Points("loss", "nope").status()));
}

TEST_CASE("RunHistory: a media key's steps, nested ones named with '.'") {
  RunHistory h;
  h.Append(0, R"({"h": {"_type": "histogram", "values": [1], "bins": [0, 1]}})");
  h.Append(1, R"({"loss": 1})");
  h.Append(2, R"({"h": {"_type": "histogram", "values": [2], "bins": [0, 1]}, "val": {"img": )"
              R"({"_type": "image-file", "path": "media/images/img_2_a.png"}}})");
  h.Append(4, R"({"h": {"_type": "histogram", "values": [3], "bins": [0, 1]}})");
  REQUIRE(h.MediaSteps("h") != nullptr);
  CHECK(*h.MediaSteps("h") == std::vector<int64_t>{0, 2, 4});
  CHECK(h.media_keys().at("val.img") == "image-file");
  CHECK(*h.MediaSteps("val.img") == std::vector<int64_t>{2});
}

TEST_CASE("RunHistory: rows at or below the last step, and rows that are not objects") {
  RunHistory h;
  h.Append(5, R"({"a": 1})");
  h.Append(5, R"({"a": 2})");
  h.Append(4, R"({"a": 3})");
  h.Append(6, "not json");
  h.Append(7, "[1]");
  CHECK(h.row_count() == 3);
  CHECK(h.NumericKeys()["a"] == 1);
}

TEST_CASE("RunHistory: another key as the x axis joins rows and sorts by it") {
  RunHistory h;
  h.Append(0, R"({"acc": 0.9, "loss": 1})");
  h.Append(1, R"({"acc": 0.1, "loss": 2})");
  h.Append(2, R"({"loss": 3})");
  h.Append(3, R"({"acc": 0.5, "loss": 4})");
  h.Append(4, R"({"acc": NaN, "loss": 5})");
  absl::StatusOr<RunHistory::Series> p = h.Points("loss", "acc");
  REQUIRE(p.ok());
  CHECK(std::vector<double>(p->x.begin(), p->x.end()) == std::vector<double>{0.1, 0.5, 0.9});
  CHECK(std::vector<double>(p->y.begin(), p->y.end()) == std::vector<double>{2, 4, 1});
}

}  // namespace wandb::ui

namespace wandb::ui {

TEST_CASE("RunHistory: flat rows of numbers and any other row give the same columns") {
  // The first rows take the fast path, the others the full parser; both must agree.
  RunHistory h;
  h.Append(0, R"({"a": 1, "b": -2.5e3, "c": NaN, "d": -Infinity})");
  h.Append(1, R"({ "a" : 2 ,"b":3})");
  h.Append(2, R"({"a": 3, "s": "text", "b": 4})");
  h.Append(3, R"({"a\u0062": 5, "a": 4})");
  h.Append(4, "{}");
  h.Append(5, R"({"a": 6,})");  // not JSON: no values
  std::map<std::string, int64_t> keys = h.NumericKeys();
  CHECK(keys["a"] == 4);
  CHECK(keys["b"] == 3);
  CHECK(keys["ab"] == 1);
  CHECK(keys.count("s") == 0);
  const RunHistory::Column* b = h.Find("b");
  REQUIRE(b != nullptr);
  CHECK(b->values == std::vector<double>{-2500, 3, 4});
  CHECK(b->steps == std::vector<double>{0, 1, 2});
  CHECK(std::isinf(h.Find("d")->values[0]));
  CHECK(h.row_count() == 6);
}

}  // namespace wandb::ui
