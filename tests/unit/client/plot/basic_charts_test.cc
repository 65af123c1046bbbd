// wandb.plot.line, scatter, bar and histogram: wandb 0.12.21's spec ids, field settings and
// string settings (wandb/plot/{line,scatter,bar,histogram}.py).
#include <catch2/catch.hpp>
#include <stdexcept>
#include <string>

#include "wandb/plot.h"
#include "wandb/run.h"

namespace wandb {
namespace {

Table Classes() {
  Table table({"class", "acc"});
  table.add_data("car", 0.5);
  table.add_data("bus", 0.25);
  return table;
}

std::string Json(const Value::Map& map) { return Value(map).to_json(); }

}  // namespace

TEST_CASE("plot::line: wandb/line/v0 with x, y, stroke and a title") {
  CustomChart chart = plot::line(Classes(), "class", "acc");
  CHECK(chart.vega_spec_name() == "wandb/line/v0");
  CHECK(Json(chart.fields()) == R"({"x": "class", "y": "acc", "stroke": null})");
  CHECK(Json(chart.string_fields()) == R"({"title": null})");
  CustomChart with_stroke = plot::line(Classes(), "acc", "acc", "class", "Accuracy");
  CHECK(Json(with_stroke.fields()) == R"({"x": "acc", "y": "acc", "stroke": "class"})");
  CHECK(Json(with_stroke.string_fields()) == R"({"title": "Accuracy"})");
  CHECK(chart.table()->num_rows() == 2);
}

TEST_CASE("plot::scatter, bar, histogram: their specs and fields") {
  CustomChart scatter = plot::scatter(Classes(), "acc", "acc", "S");
  CHECK(scatter.vega_spec_name() == "wandb/scatter/v0");
  CHECK(Json(scatter.fields()) == R"({"x": "acc", "y": "acc"})");
  CHECK(Json(scatter.string_fields()) == R"({"title": "S"})");
  CustomChart bar = plot::bar(Classes(), "class", "acc");
  CHECK(bar.vega_spec_name() == "wandb/bar/v0");
  CHECK(Json(bar.fields()) == R"({"label": "class", "value": "acc"})");
  CustomChart histogram = plot::histogram(Classes(), "acc", "H");
  CHECK(histogram.vega_spec_name() == "wandb/histogram/v0");
  CHECK(Json(histogram.fields()) == R"({"value": "acc"})");
  CHECK(Json(histogram.string_fields()) == R"({"title": "H"})");
}

TEST_CASE("plot_table and Run::plot_table take any spec and fields, as wandb does") {
  CustomChart chart = Run::plot_table("team/spec", Classes(), {{"x", "nope"}}, {{"t", "s"}});
  CHECK(chart.vega_spec_name() == "team/spec");
  CHECK(Json(chart.fields()) == R"({"x": "nope"})");
  CHECK(Json(plot_table("s", Classes(), {}).string_fields()) == "{}");
  CHECK(chart.row_key("k") == "k_table");
}

TEST_CASE("a chart naming a column the table lacks is refused, naming it") {
  try {
    plot::line(Classes(), "class", "loss");
    FAIL("no exception");
  } catch (const std::invalid_argument& e) {
    CHECK(std::string(e.what()) ==
          "wandb::plot::line: wandb::Table: no column 'loss' in [class, acc]");
  }
  CHECK_THROWS_AS(plot::bar(Classes(), "nope", "acc"), std::invalid_argument);
  CHECK_THROWS_AS(plot::histogram(Classes(), "nope"), std::invalid_argument);
  CHECK_THROWS_AS(plot::scatter(Classes(), "acc", "nope"), std::invalid_argument);
  CHECK_THROWS_AS(plot::line(Classes(), "class", "acc", "nope"), std::invalid_argument);
}

}  // namespace wandb
