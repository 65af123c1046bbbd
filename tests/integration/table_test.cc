// Tables and charts through the real daemon: the table file and the image files of its cells
// under files/media/, wandb's table-file JSON in the log and in wandb-summary.json, a chart's
// table under "<key>_table" and its panel in config.yaml's _wandb.visualize, the files kept
// by the local store, and bad tables and charts refused without harm to the run.
#include <catch2/catch.hpp>
#include <filesystem>
#include <nlohmann/json.hpp>
#include <stdexcept>
#include <string>
#include <vector>

#include "service/store/local_store.h"
#include "tests/support/test_env.h"
#include "wandb/wandb.h"
#include "yaml-cpp/yaml.h"

namespace wandb::testing {
namespace {
namespace fs = std::filesystem;
using json = nlohmann::json;

const std::vector<uint8_t> kRgb2x2{255, 0, 0, 0, 255, 0, 0, 0, 255, 10, 20, 30};

bool Stored(const TestEnv& env, const std::string& id, const std::string& path) {
  absl::StatusOr<std::unique_ptr<store::LocalStore>> store =
      store::LocalStore::Open(env.store_dir());
  if (!store.ok()) return false;
  absl::StatusOr<store::RunRow> run = (*store)->runs().Find(id);
  if (!run.ok()) return false;
  absl::StatusOr<std::vector<store::FileVersion>> versions =
      (*store)->files().Versions(run->key, path);
  return versions.ok() && versions->size() == 1;
}

}  // namespace

TEST_CASE("a table lands as wandb writes it: file, cells' images, log, summary, store") {
  TestEnv env;
  Run run = wandb::init({.id = "tables"});
  Table table({"a", "b", "c"});
  table.add_data(1, 2.5, "x");
  table.add_data(Value::List{nullptr, true, "y"});
  Table images({"id", "image"});
  images.add_data(1, Image(kRgb2x2, {2, 2, 3}));
  run.log({{"t", table}, {"images", images}});
  run.finish();

  std::string dir = env.RunDir("tables");
  LogContents log = ReadLog(dir + "/run-tables.wandb");
  REQUIRE(log.clean_end);
  std::vector<std::string> announced;
  json t;
  json with_images;
  std::vector<std::string> artifacts_before_row;
  for (const records::Record& r : log.records) {
    if (r.has_artifact()) {
      artifacts_before_row.push_back(r.artifact().name());
      CHECK(r.artifact().type() == "run_table");
    }
    if (r.has_files()) {
      // Media files only: the daemon's own (wandb-metadata.json) may come at any point.
      for (const records::FilesItem& f : r.files().files()) {
        if (f.path().rfind("media/", 0) == 0) announced.push_back(f.path());
      }
    }
    if (r.has_history() && !ItemValue(r.history(), "t").empty()) {
      CHECK(announced.size() == 3);  // both tables and the image, before the row
      t = json::parse(ItemValue(r.history(), "t"));
      with_images = json::parse(ItemValue(r.history(), "images"));
    }
  }
  // Worked out by hand: the file is the 72 bytes of Python's json.dumps of
  // {"columns": ["a", "b", "c"], "data": [[1, 2.5, "x"], [null, true, "y"]]}.
  const std::string path = "media/table/t_0_a7330da2b41cdf7d7102.table.json";
  // wandb logs each table as its run_table artifact too, before the row; only online does the
  // row point at it (artifact_path), as wandb 0.12.21.
  REQUIRE(artifacts_before_row == std::vector<std::string>{"run-tables-t", "run-tables-images"});
  CHECK(t == json::parse(R"({"_type": "table-file", "sha256": )"
                         R"("a7330da2b41cdf7d71025ec9e400f32e667c588c24775f13608823ab70c4aad8", )"
                         R"("size": 72, "path": ")" +
                         path + R"(", "ncols": 3, "nrows": 2})"));
  CHECK(ReadFile(dir + "/files/" + path) ==
        R"({"columns": ["a", "b", "c"], "data": [[1, 2.5, "x"], [null, true, "y"]]})");

  // A cell's image is a media file of the run, named by the table's key and step.
  json file = json::parse(ReadFile(dir + "/files/" + with_images["path"].get<std::string>()));
  json cell = file["data"][0][1];
  CHECK(cell["_type"] == "image-file");
  CHECK(cell["width"] == 2);
  std::string image = cell["path"];
  CHECK(image.rfind("media/images/images_0_", 0) == 0);
  CHECK(fs::is_regular_file(dir + "/files/" + image));
  CHECK(std::find(announced.begin(), announced.end(), image) != announced.end());

  json summary = json::parse(ReadFile(dir + "/files/wandb-summary.json"));
  CHECK(summary["t"] == t);
  // The artifact holds the table as <key>.table.json.
  absl::StatusOr<std::unique_ptr<store::LocalStore>> store =
      store::LocalStore::Open(env.store_dir());
  REQUIRE(store.ok());
  absl::StatusOr<store::RunRow> row = (*store)->runs().Find("tables");
  REQUIRE(row.ok());
  CHECK(Eventually([&] {
    return (*store)->artifacts().Resolve(row->key.entity, row->key.project, "run-tables-t:v0").ok();
  }));
  absl::StatusOr<store::ArtifactVersion> version =
      (*store)->artifacts().Resolve(row->key.entity, row->key.project, "run-tables-t:latest");
  REQUIRE(version.ok());
  CHECK(version->type == "run_table");
  absl::StatusOr<std::vector<store::ArtifactFile>> files = (*store)->artifacts().Files(
      version->entity, version->project, version->name, version->version);
  REQUIRE(files.ok());
  REQUIRE(files->size() == 1);
  CHECK((*files)[0].path == "t.table.json");
  CHECK(ReadFile((*files)[0].blob_path) == ReadFile(dir + "/files/" + path));
  for (const std::string& f : announced) {
    CHECK(Eventually([&] { return Stored(env, "tables", f); }));
  }
}

TEST_CASE("a chart lands as wandb writes it: <key>_table and _wandb.visualize in config.yaml") {
  TestEnv env;
  Run run = wandb::init({.config = {{"lr", 0.5}}, .id = "charts"});
  Table table({"step", "height"});
  for (int i = 0; i < 3; ++i) table.add_data(i, i * 0.5);
  run.log({{"wave", plot::line(table, "step", "height", {}, "A wave")}});
  run.log({{"custom", run.plot_table("team/spec", table, {{"x", "step"}}, {{"t", "s"}})}});
  run.finish();

  std::string dir = env.RunDir("charts");
  LogContents log = ReadLog(dir + "/run-charts.wandb");
  REQUIRE(log.clean_end);
  bool panel_seen = false;
  json wave_table;
  for (const records::Record& r : log.records) {
    if (r.has_config()) {
      for (const records::ConfigItem& item : r.config().update()) {
        if (item.nested_key_size() == 3 && item.nested_key(2) == "wave") panel_seen = true;
      }
    }
    if (r.has_history() && !ItemValue(r.history(), "wave_table").empty()) {
      CHECK(panel_seen);  // the panel goes ahead of its table, as wandb sends them
      CHECK(ItemValue(r.history(), "wave").empty());
      wave_table = json::parse(ItemValue(r.history(), "wave_table"));
    }
  }
  REQUIRE(wave_table.is_object());
  CHECK(wave_table["_type"] == "table-file");
  CHECK(wave_table["nrows"] == 3);
  CHECK(wave_table["path"].get<std::string>().rfind("media/table/wave_table_0_", 0) == 0);
  json summary = json::parse(ReadFile(dir + "/files/wandb-summary.json"));
  CHECK(summary["wave_table"] == wave_table);
  CHECK(summary["custom_table"]["_type"] == "table-file");
  CHECK_FALSE(summary.contains("wave"));

  YAML::Node config = YAML::LoadFile(dir + "/files/config.yaml");
  YAML::Node wandb_meta = config["_wandb"]["value"];
  CHECK(wandb_meta["cli_version"].IsScalar());
  YAML::Node panel = wandb_meta["visualize"]["wave"];
  CHECK(panel["panel_type"].as<std::string>() == "Vega2");
  CHECK(panel["panel_config"]["panelDefId"].as<std::string>() == "wandb/line/v0");
  CHECK(panel["panel_config"]["fieldSettings"]["x"].as<std::string>() == "step");
  CHECK(panel["panel_config"]["fieldSettings"]["stroke"].IsNull());
  CHECK(panel["panel_config"]["stringSettings"]["title"].as<std::string>() == "A wave");
  CHECK(panel["panel_config"]["transform"]["name"].as<std::string>() == "tableWithLeafColNames");
  YAML::Node query = panel["panel_config"]["userQuery"]["queryFields"][0];
  CHECK(query["fields"][3]["args"][0]["value"].as<std::string>() == "wave_table");
  CHECK(wandb_meta["visualize"]["custom"]["panel_config"]["panelDefId"].as<std::string>() ==
        "team/spec");
  CHECK(config["lr"]["value"].as<double>() == 0.5);
}

TEST_CASE("bad tables and misplaced charts throw naming the key, the run goes on") {
  TestEnv env;
  Run run = wandb::init({.id = "badtables"});
  run.log({{"x", 1}});
  Table table({"a", "b"});
  CHECK_THROWS_AS(table.add_data(1, 2, 3), std::invalid_argument);
  Table bad({"image"});
  bad.add_data(Value::List{Image(std::vector<uint8_t>(5), {2, 2, 3})});
  CHECK_THROWS_WITH(run.log({{"bad", bad}}), Catch::Contains("key 'bad': table row 0"));
  CHECK_THROWS_WITH(run.log({{"chart", plot_table("s", bad, {})}}),
                    Catch::Contains("key 'chart': table row 0"));
  table.add_data(1, 2);
  CHECK_THROWS_WITH(run.summary()["c"] = plot::scatter(table, "a", "b"),
                    Catch::Contains("key 'c': a chart goes at the top level"));
  run.log({{"x", 2}});
  run.finish();
  json summary = json::parse(ReadFile(env.RunDir("badtables") + "/files/wandb-summary.json"));
  CHECK(summary["x"] == 2);
  CHECK(!fs::exists(env.RunDir("badtables") + "/files/media"));
  YAML::Node config = YAML::LoadFile(env.RunDir("badtables") + "/files/config.yaml");
  CHECK_FALSE(config["_wandb"]["value"]["visualize"].IsDefined());
}

TEST_CASE("classifier charts and the older plots spelling land in the row and config.yaml") {
  TestEnv env;
  Run run = wandb::init({.id = "classifier"});
  std::vector<int64_t> y_true{0, 0, 1, 1};
  std::vector<std::vector<double>> probas{{0.9, 0.1}, {0.6, 0.4}, {0.65, 0.35}, {0.2, 0.8}};
  run.log({{"pr", plot::pr_curve(y_true, probas, {"cat", "dog"})},
           {"roc", plot::roc_curve(y_true, probas)},
           {"conf", plot::confusion_matrix({.y_true = {0, 1}, .preds = {1, 1}})},
           {"series", plot::line_series(std::vector<double>{0, 1}, {{1, 2}, {3, 4}})},
           {"pr_old", plots::precision_recall(y_true, probas, {"cat", "dog"})}});
  run.finish();

  std::string dir = env.RunDir("classifier");
  json summary = json::parse(ReadFile(dir + "/files/wandb-summary.json"));
  for (const char* key : {"pr_table", "roc_table", "conf_table", "series_table", "pr_old"}) {
    INFO(key);
    CHECK(summary[key]["_type"] == "table-file");
  }
  CHECK(summary["pr_table"]["nrows"] == 42);
  CHECK(summary["pr_old"]["nrows"] == 40);
  json pr = json::parse(ReadFile(dir + "/files/" + summary["pr_table"]["path"].get<std::string>()));
  CHECK(pr["columns"] == json::parse(R"(["class", "precision", "recall"])"));
  CHECK(pr["data"][0] == json::parse(R"(["cat", 0.667, 1.0])"));

  YAML::Node meta = YAML::LoadFile(dir + "/files/config.yaml")["_wandb"]["value"];
  YAML::Node visualize = meta["visualize"];
  CHECK(visualize["pr"]["panel_config"]["panelDefId"].as<std::string>() ==
        "wandb/area-under-curve/v0");
  CHECK(visualize["roc"]["panel_config"]["stringSettings"]["title"].as<std::string>() == "ROC");
  CHECK(visualize["conf"]["panel_config"]["panelDefId"].as<std::string>() ==
        "wandb/confusion_matrix/v1");
  CHECK(visualize["series"]["panel_config"]["panelDefId"].as<std::string>() ==
        "wandb/lineseries/v0");
  CHECK_FALSE(visualize["pr_old"].IsDefined());
  CHECK(meta["viz"]["pr_old"]["id"].as<std::string>() == "wandb/pr_curve/v1");
  CHECK(meta["viz"]["pr_old"]["historyFieldSettings"]["key"].as<std::string>() == "pr_old");
  CHECK(meta["viz"]["pr_old"]["historyFieldSettings"]["x-axis"].as<std::string>() == "_step");
}

}  // namespace wandb::testing
