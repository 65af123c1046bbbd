// Media values (images, histograms, HTML, audio, video, 3-D objects) through the real daemon: files
// under files/media/, wandb's JSON in the log's history and in wandb-summary.json, the files
// announced before their row and kept by the local store, and bad media refused without harm to the
// run.
#include <algorithm>
#include <catch2/catch.hpp>
#include <cmath>
#include <filesystem>
#include <nlohmann/json.hpp>
#include <stdexcept>
#include <string>
#include <vector>

#include "service/store/local_store.h"
#include "tests/support/test_env.h"
#include "wandb/wandb.h"

namespace wandb::testing {
namespace {
namespace fs = std::filesystem;
using json = nlohmann::json;

const std::vector<uint8_t> kRgb2x2{255, 0, 0, 0, 255, 0, 0, 0, 255, 10, 20, 30};

// Stored versions of `path` in run `id`.
size_t StoredVersions(const TestEnv& env, const std::string& id, const std::string& path) {
  absl::StatusOr<std::unique_ptr<store::LocalStore>> store =
      store::LocalStore::Open(env.store_dir());
  REQUIRE(store.ok());
  absl::StatusOr<store::RunRow> run = (*store)->runs().Find(id);
  if (!run.ok()) return 0;
  absl::StatusOr<std::vector<store::FileVersion>> versions =
      (*store)->files().Versions(run->key, path);
  return versions.ok() ? versions->size() : 0;
}

}  // namespace

TEST_CASE("images and histograms land as wandb writes them: files, log, summary, store") {
  TestEnv env;
  Run run = wandb::init({.id = "media"});
  run.log({{"loss", 1.0}});  // step 0
  run.log({{"sample", Image(kRgb2x2, {2, 2, 3}, {.caption = "rgb"})},
           {"grads", Histogram(std::vector<double>{0, 1, 2, 3, 4, 5, 6, 7, 8, 9}, 3)},
           {"examples", Value::List{Image(kRgb2x2, {2, 2, 3}), Image(kRgb2x2, {2, 2, 3})}}});
  run.summary()["best"] = Image(kRgb2x2, {2, 2, 3});
  run.finish();

  std::string dir = env.RunDir("media");
  LogContents log = ReadLog(dir + "/run-media.wandb");
  REQUIRE(log.clean_end);
  std::vector<std::string> announced;
  std::vector<std::string> announced_before_row;
  json sample;
  json examples;
  for (const records::Record& r : log.records) {
    if (r.has_files()) {
      for (const records::FilesItem& f : r.files().files()) {
        CHECK(f.policy() == records::FilesItem::NOW);
        announced.push_back(f.path());
      }
    }
    if (r.has_history() && !ItemValue(r.history(), "sample").empty()) {
      announced_before_row = announced;  // its files must be among them (checked below)
      CHECK(ItemValue(r.history(), "_step") == "1");
      sample = json::parse(ItemValue(r.history(), "sample"));
      examples = json::parse(ItemValue(r.history(), "examples"));
      CHECK(ItemValue(r.history(), "grads") ==
            "{\"_type\": \"histogram\", \"values\": [3, 3, 4], \"bins\": [0.0, 3.0, 6.0, 9.0]}");
    }
  }
  REQUIRE(sample.is_object());
  CHECK(sample["_type"] == "image-file");
  CHECK(sample["format"] == "png");
  CHECK(sample["width"] == 2);
  CHECK(sample["height"] == 2);
  CHECK(sample["caption"] == "rgb");
  std::string path = sample["path"];
  CHECK(path.rfind("media/images/sample_1_", 0) == 0);
  CHECK(fs::file_size(dir + "/files/" + path) == sample["size"].get<uint64_t>());
  CHECK(path.substr(path.size() - 24, 20) == sample["sha256"].get<std::string>().substr(0, 20));

  CHECK(examples["_type"] == "images/separated");
  CHECK(examples["count"] == 2);
  // The same pixels make the same file.
  CHECK(examples["filenames"][0] == examples["filenames"][1]);
  // The row's files were announced before it (the summary's image, written meanwhile on the
  // media thread, may be too; on a loaded machine it sometimes is).
  auto announced_early = [&](const std::string& file) {
    return std::find(announced_before_row.begin(), announced_before_row.end(), file) !=
           announced_before_row.end();
  };
  CHECK(announced_early(path));
  CHECK(announced_early(examples["filenames"][0]));

  json summary = json::parse(ReadFile(dir + "/files/wandb-summary.json"));
  CHECK(summary["sample"] == sample);
  CHECK(summary["grads"]["_type"] == "histogram");
  std::string best = summary["best"]["path"];
  CHECK(best.rfind("media/images/best_summary_", 0) == 0);
  CHECK(fs::is_regular_file(dir + "/files/" + best));

  // The store keeps every media file (policy now).
  for (const std::string& file : announced) {
    CHECK(fs::is_regular_file(dir + "/files/" + file));
    CHECK(Eventually([&] { return StoredVersions(env, "media", file) == 1; }));
  }
}

TEST_CASE("an html page lands as wandb writes it: its file, the row, the store") {
  TestEnv env;
  Run run = wandb::init({.id = "htmlrun"});
  run.log({{"report", Html("<html><body><h1>epoch 1</h1></body></html>")}});
  run.finish();

  std::string dir = env.RunDir("htmlrun");
  json report;
  for (const records::Record& r : ReadLog(dir + "/run-htmlrun.wandb").records) {
    if (r.has_history() && !ItemValue(r.history(), "report").empty()) {
      report = json::parse(ItemValue(r.history(), "report"));
    }
  }
  REQUIRE(report.is_object());
  CHECK(report["_type"] == "html-file");
  std::string path = report["path"];
  CHECK(path.rfind("media/html/report_0_", 0) == 0);
  std::string page = ReadFile(dir + "/files/" + path);
  CHECK(page.size() == report["size"].get<size_t>());
  CHECK(page.rfind("<html><head><base target=\"_blank\">", 0) == 0);  // W&B's stylesheet in
  CHECK(Eventually([&] { return StoredVersions(env, "htmlrun", path) == 1; }));
}

TEST_CASE(
    "audio video and 3-D objects land as wandb writes them: files in the row and the summary") {
  TestEnv env;
  Run run = wandb::init({.id = "avrun"});
  std::vector<float> beep(4000);
  for (size_t i = 0; i < beep.size(); ++i) beep[i] = 0.5f * std::sin(0.785f * i);  // 1 kHz
  std::vector<uint8_t> frames(3 * 3 * 4 * 6, 200);                                 // t, c, h, w
  run.log({{"beep", Audio(beep, 8000, {.caption = "1 kHz"})},
           {"clips", Value::List{Audio(beep, 8000), Audio(beep, 16000)}},
           {"rollout", Video(frames, {3, 3, 4, 6}, {.fps = 5})},
           {"cloud", Object3D(std::vector<float>{0, 0, 0, 1, 1, 1}, {2, 3})}});
  run.summary()["best_clip"] = Audio(beep, 8000);
  run.finish();

  std::string dir = env.RunDir("avrun");
  json beep_json, clips, rollout, cloud;
  for (const records::Record& r : ReadLog(dir + "/run-avrun.wandb").records) {
    if (r.has_history() && !ItemValue(r.history(), "beep").empty()) {
      beep_json = json::parse(ItemValue(r.history(), "beep"));
      clips = json::parse(ItemValue(r.history(), "clips"));
      rollout = json::parse(ItemValue(r.history(), "rollout"));
      cloud = json::parse(ItemValue(r.history(), "cloud"));
    }
  }
  REQUIRE(beep_json.is_object());
  CHECK(beep_json["_type"] == "audio-file");
  CHECK(beep_json["caption"] == "1 kHz");
  std::string wav = ReadFile(dir + "/files/" + beep_json["path"].get<std::string>());
  CHECK(wav.rfind("RIFF", 0) == 0);
  CHECK(wav.size() == beep_json["size"].get<size_t>());
  CHECK(clips["_type"] == "audio");
  CHECK(clips["sampleRates"] == json::array({8000, 16000}));
  CHECK(clips["durations"] == json::array({0.5, 0.25}));

  CHECK(rollout["_type"] == "video-file");
  CHECK(rollout["width"] == 6);
  CHECK(rollout["height"] == 4);
  std::string path = rollout["path"];
  CHECK(path.rfind("media/videos/rollout_0_", 0) == 0);
  CHECK(ReadFile(dir + "/files/" + path).rfind("GIF89a", 0) == 0);

  CHECK(cloud["_type"] == "object3D-file");
  CHECK(json::parse(ReadFile(dir + "/files/" + cloud["path"].get<std::string>())) ==
        json::parse("[[0.0, 0.0, 0.0], [1.0, 1.0, 1.0]]"));

  json summary = json::parse(ReadFile(dir + "/files/wandb-summary.json"));
  CHECK(summary["rollout"] == rollout);
  std::string best = summary["best_clip"]["path"];
  CHECK(best.rfind("media/audio/best_clip_summary_", 0) == 0);
  for (const std::string& file : {beep_json["path"].get<std::string>(), path, best}) {
    CHECK(Eventually([&] { return StoredVersions(env, "avrun", file) == 1; }));
  }
}

TEST_CASE(
    "an image's boxes and mask land as wandb writes them with their class labels in the config") {
  TestEnv env;
  Run run = wandb::init({.id = "boxrun"});
  BoxGroup predictions{.boxes = {{.min_x = 0, .min_y = 0, .max_x = 0.5, .max_y = 1, .class_id = 7}},
                       .class_labels = {{7, "cat"}}};
  ImageMask mask{.class_ids = {0, 1, 1, 0}};
  run.log({{"det", Image(kRgb2x2, {2, 2, 3},
                         {.boxes = {{"predictions", predictions}}, .masks = {{"truth", mask}}})}});
  run.finish();

  std::string dir = env.RunDir("boxrun");
  json det;
  bool config_before_row = false;
  for (const records::Record& r : ReadLog(dir + "/run-boxrun.wandb").records) {
    if (r.has_config() && r.config().update_size() > 0 &&
        r.config().update(0).nested_key_size() == 3) {
      config_before_row = det.is_null();
    }
    if (r.has_history() && !ItemValue(r.history(), "det").empty()) {
      det = json::parse(ItemValue(r.history(), "det"));
    }
  }
  CHECK(config_before_row);
  REQUIRE(det.is_object());
  std::string boxes = det["boxes"]["predictions"]["path"];
  CHECK(boxes.rfind("media/metadata/boxes2D/det_0_", 0) == 0);
  json box_file = json::parse(ReadFile(dir + "/files/" + boxes));
  CHECK(box_file["box_data"][0]["class_id"] == 7);
  CHECK(box_file["class_labels"]["7"] == "cat");
  std::string mask_path = det["masks"]["truth"]["path"];
  CHECK(mask_path.rfind("media/images/mask/det_0_", 0) == 0);
  CHECK(fs::is_regular_file(dir + "/files/" + mask_path));
  std::string config = ReadFile(dir + "/files/config.yaml");
  CHECK_THAT(config, Catch::Contains("bounding_box/class_labels:") &&
                         Catch::Contains("det_wandb_delimeter_predictions:") &&
                         Catch::Contains("mask/class_labels:"));
  for (const std::string& file : {boxes, mask_path}) {
    CHECK(Eventually([&] { return StoredVersions(env, "boxrun", file) == 1; }));
  }
}

TEST_CASE("bad media throw std::invalid_argument naming the key, the run goes on") {
  TestEnv env;
  Run run = wandb::init({.id = "badmedia"});
  run.log({{"x", 1}});
  CHECK_THROWS_WITH(run.log({{"img", Image(std::vector<uint8_t>(5), {2, 2, 3})}}),
                    Catch::Contains("key 'img'") && Catch::Contains("5 pixel values"));
  CHECK_THROWS_AS(run.log({{"h", Histogram(std::vector<double>{1}, 600)}}), std::invalid_argument);
  CHECK_THROWS_AS(run.summary()["s"] = Image::from_file("/nonexistent.png"), std::invalid_argument);
  CHECK_THROWS_WITH(
      run.log({{"b", Image(kRgb2x2, {2, 2, 3},
                           {.boxes = {{"p", {.boxes = {{.max_x = 2, .max_y = 1}}}}}})}}),
      Catch::Contains("key 'b'") && Catch::Contains("outside the image"));
  CHECK_THROWS_WITH(run.log({{"a", Audio(std::vector<float>(3), 0)}}),
                    Catch::Contains("key 'a'") && Catch::Contains("sample rate 0"));
  CHECK_THROWS_WITH(run.log({{"v", Video::from_file("/tmp/clip.avi")}}),
                    Catch::Contains("key 'v'") && Catch::Contains("unknown extension"));
  CHECK_THROWS_AS(run.config().update({{"c", Histogram(std::vector<double>{1})}}),
                  std::invalid_argument);
  run.log({{"x", 2}});
  run.finish();
  std::string summary = ReadFile(env.RunDir("badmedia") + "/files/wandb-summary.json");
  CHECK(json::parse(summary)["x"] == 2);
  CHECK(!fs::exists(env.RunDir("badmedia") + "/files/media"));
}

TEST_CASE("many large images wait for room instead of queueing without bound") {
  TestEnv env;
  // A 4 MB queue: most of these 3 MB rows wait for the one before to be written.
  Run run = wandb::init({.id = "flood", .media_queue = size_t{4} << 20});
  std::vector<uint8_t> pixels(1000 * 1000 * 3);
  for (int i = 0; i < 40; ++i) {
    pixels[0] = static_cast<uint8_t>(i);
    run.log({{"big", Image(pixels, {1000, 1000, 3})}});
  }
  run.finish();
  size_t files = 0;
  for (const auto& entry : fs::directory_iterator(env.RunDir("flood") + "/files/media/images")) {
    files += entry.is_regular_file() ? 1 : 0;
  }
  CHECK(files == 40);
}

}  // namespace wandb::testing
