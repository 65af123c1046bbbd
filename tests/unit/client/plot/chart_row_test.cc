// log()'s handling of charts, as wandb 0.12.21's run does it (_visualization_hack and
// CustomChart.get_config_value in wandb/viz.py): the chart's key becomes "<key>_table" and the
// panel goes to the config under _wandb.visualize.<key>.
#include "client/src/plot/chart_row.h"

#include <catch2/catch.hpp>
#include <string>

#include "client/src/media/media_check.h"
#include "wandb/image.h"
#include "wandb/plot.h"

namespace wandb::internal {
namespace {

Table Wave() {
  Table table({"x", "y"});
  table.add_data(0, 0.0);
  table.add_data(1, 0.5);
  return table;
}

// wandb's panel for a chart logged under "wave", as viz.py builds it and json.dumps writes it.
const char* kWavePanel =
    R"({"panel_type": "Vega2", "panel_config": {"panelDefId": "wandb/line/v0", )"
    R"("fieldSettings": {"x": "x", "y": "y", "stroke": null}, "stringSettings": {"title": "T"}, )"
    R"("transform": {"name": "tableWithLeafColNames"}, "userQuery": {"queryFields": [{"name": )"
    R"("runSets", "args": [{"name": "runSets", "value": "${runSets}"}], "fields": [{"name": "id", )"
    R"("fields": []}, {"name": "name", "fields": []}, {"name": "_defaultColorIndex", "fields": )"
    R"([]}, {"name": "summaryTable", "args": [{"name": "tableKey", "value": "wave_table"}], )"
    R"("fields": []}]}]}}})";

}  // namespace

TEST_CASE("a logged chart becomes its table under <key>_table and a _wandb.visualize panel") {
  Value::Map row{{"wave", plot::line(Wave(), "x", "y", {}, "T")}, {"loss", 1}};
  absl::StatusOr<RowCharts> charts = TakeCharts(row);
  REQUIRE(charts.ok());
  const records::ConfigRecord* config = &charts->config;
  REQUIRE(config->update_size() == 1);
  const records::ConfigItem& item = config->update(0);
  CHECK(item.key().empty());
  REQUIRE(item.nested_key_size() == 3);
  CHECK(item.nested_key(0) == "_wandb");
  CHECK(item.nested_key(1) == "visualize");
  CHECK(item.nested_key(2) == "wave");
  CHECK(item.value_json() == kWavePanel);

  REQUIRE(row.size() == 2);
  CHECK(row[0].first == "loss");
  CHECK(row[1].first == "wave_table");
  REQUIRE(row[1].second.is_media());
  const auto* table = dynamic_cast<const Table*>(row[1].second.as_media().get());
  REQUIRE(table != nullptr);
  CHECK(table->columns() == std::vector<std::string>{"x", "y"});
  CHECK(table->num_rows() == 2);
}

TEST_CASE("wandb's older visualize keeps its key and sets _wandb.viz") {
  Value::Map row{{"pr", visualize("wandb/pr_curve/v1", Wave())}, {"loss", 1}};
  absl::StatusOr<RowCharts> charts = TakeCharts(row);
  REQUIRE(charts.ok());
  REQUIRE(charts->config.update_size() == 1);
  const records::ConfigItem& item = charts->config.update(0);
  REQUIRE(item.nested_key_size() == 3);
  CHECK(item.nested_key(1) == "viz");
  CHECK(item.nested_key(2) == "pr");
  // wandb/viz.py's Visualize.get_config_value, as json.dumps writes it.
  CHECK(item.value_json() ==
        R"({"id": "wandb/pr_curve/v1", "historyFieldSettings": {"x-axis": "_step", "key": "pr"}})");
  REQUIRE(row.size() == 2);
  CHECK(row[0].first == "pr");
  CHECK(dynamic_cast<const Table*>(row[0].second.as_media().get()) != nullptr);
}

TEST_CASE("a row without charts is left alone") {
  Value::Map row{{"loss", 1}, {"t", Wave()}};
  absl::StatusOr<RowCharts> charts = TakeCharts(row);
  REQUIRE(charts.ok());
  CHECK(charts->config.update_size() == 0);
  CHECK(row.size() == 2);
  CHECK(row[1].first == "t");
}

TEST_CASE("a chart with a bad table is refused naming the key, the row unchanged") {
  Table bad({"image"});
  bad.add_data(Value::List{Image(std::vector<uint8_t>(5), {2, 2, 3})});
  Value::Map row{{"ok", plot::histogram(Wave(), "y")}, {"broken", plot_table("s", bad, {})}};
  absl::StatusOr<RowCharts> charts = TakeCharts(row);
  REQUIRE_FALSE(charts.ok());
  CHECK(charts.status().code() == absl::StatusCode::kInvalidArgument);
  CHECK(charts.status().message().rfind("key 'broken': table row 0, column 'image': ", 0) == 0);
  CHECK(row[0].first == "ok");
  CHECK(row[1].first == "broken");
}

TEST_CASE("a chart anywhere but a row's top level is refused naming the key") {
  Value::Map nested{{"charts", Value::Map{{"wave", plot::scatter(Wave(), "x", "y")}}}};
  absl::StatusOr<RowCharts> charts = TakeCharts(nested);
  REQUIRE(charts.ok());
  CHECK(charts->config.update_size() == 0);
  absl::StatusOr<MediaLoad> load = CheckMediaRow(nested);
  REQUIRE_FALSE(load.ok());
  CHECK(load.status().message() ==
        "key 'charts': a chart goes at the top level of a row in log(), as wandb takes it");
  absl::StatusOr<MediaLoad> summary = CheckMediaSummary({"wave"}, plot::bar(Wave(), "x", "y"));
  REQUIRE_FALSE(summary.ok());
  CHECK(summary.status().message() ==
        "key 'wave': a chart goes at the top level of a row in log(), as wandb takes it");
}

}  // namespace wandb::internal
