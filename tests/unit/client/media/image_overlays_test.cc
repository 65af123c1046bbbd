// An Image's boxes and masks: the checks when it is built, their files and JSON as wandb
// 0.12.21 writes them, and the class labels each group puts in the config (once, until they
// change).
#include "client/src/media/image_overlays.h"

#include <catch2/catch.hpp>
#include <string>
#include <vector>

#include "client/src/media/media_resolver.h"
#include "client/src/media/png_codec.h"
#include "client/src/media/sha256.h"
#include "tests/support/media_reports.h"
#include "tests/support/temp_dir.h"
#include "wandb/image.h"

namespace wandb::internal {
namespace {

using testing::ReadBytes;
using testing::TempDir;
using Reports = testing::MediaReports;

const std::vector<uint8_t> kGrey4x2(8, 100);  // 2 high, 4 wide

BoxGroup Predictions() {
  BoundingBox cat{.min_x = 0.1,
                  .min_y = 0.2,
                  .max_x = 0.5,
                  .max_y = 0.9,
                  .class_id = 1,
                  .caption = "cat",
                  .scores = {{"confidence", 0.75}}};
  return BoxGroup{.boxes = {cat}, .class_labels = {{1, "cat"}, {2, "dog"}}};
}

std::string ConfigText(const std::vector<MediaContext::ConfigEntry>& entries) {
  std::string out;
  for (const auto& e : entries) {
    for (const auto& part : e.nested_key) out += part + "/";
    out += " = " + e.value.to_json() + "\n";
  }
  return out;
}

}  // namespace

TEST_CASE("an Image refuses boxes outside it unless in pixels and masks not of its size") {
  BoxGroup outside{.boxes = {{.min_x = 0.5, .min_y = 0, .max_x = 1.5, .max_y = 1}}};
  CHECK_THAT(Image(kGrey4x2, {2, 4}, {.boxes = {{"p", outside}}}).problem(),
             Catch::Contains("box 0 of 'p' is outside the image") && Catch::Contains("`pixels`"));
  outside.pixels = true;
  CHECK(Image(kGrey4x2, {2, 4}, {.boxes = {{"p", outside}}}).problem().empty());
  BoxGroup backwards{.boxes = {{.min_x = 0.5, .min_y = 0, .max_x = 0.2, .max_y = 1}}};
  CHECK_THAT(Image(kGrey4x2, {2, 4}, {.boxes = {{"p", backwards}}}).problem(),
             Catch::Contains("min corner past its max"));
  ImageMask small{.class_ids = std::vector<uint8_t>(6)};
  CHECK_THAT(Image(kGrey4x2, {2, 4}, {.masks = {{"m", small}}}).problem(),
             Catch::Contains("mask 'm' has 6 class ids for an image of 4x2, which needs 8"));
}

TEST_CASE("BoundingBox::centered turns a centre and a size into corners") {
  BoundingBox b = BoundingBox::centered(0.5, 0.4, 0.2, 0.4, 3);
  CHECK(b.min_x == Approx(0.4));
  CHECK(b.max_x == Approx(0.6));
  CHECK(b.min_y == Approx(0.2));
  CHECK(b.max_y == Approx(0.6));
  CHECK(b.class_id == 3);
}

TEST_CASE("boxes and masks become wandb's files and the image's boxes and masks JSON") {
  TempDir dir;
  Reports reports;
  MediaResolver resolver(dir.path(), &reports.reporter);
  BoxGroup truth{.boxes = {{.min_x = 1, .min_y = 0, .max_x = 3, .max_y = 2, .class_id = 2}},
                 .pixels = true};
  ImageMask seg{.class_ids = {0, 0, 1, 1, 0, 2, 2, 1}};
  Value::Map row{{"det", Image(kGrey4x2, {2, 4},
                               {.boxes = {{"predictions", Predictions()}, {"truth", truth}},
                                .masks = {{"seg", seg}}})}};
  std::vector<std::string> written = resolver.ResolveRow(row, 6);
  REQUIRE(reports.errors.empty());
  REQUIRE(written.size() == 4);  // the image, two box files, the mask

  const std::string predictions =
      "{\"box_data\": [{\"position\": {\"minX\": 0.1, \"maxX\": 0.5, \"minY\": 0.2, \"maxY\": "
      "0.9}, \"class_id\": 1, \"box_caption\": \"cat\", \"scores\": {\"confidence\": 0.75}}], "
      "\"class_labels\": {\"1\": \"cat\", \"2\": \"dog\"}}";
  const std::string truth_file =
      "{\"box_data\": [{\"position\": {\"minX\": 1.0, \"maxX\": 3.0, \"minY\": 0.0, \"maxY\": "
      "2.0}, \"class_id\": 2, \"domain\": \"pixel\"}]}";
  auto boxes_path = [](const std::string& content) {
    return "media/metadata/boxes2D/det_6_" + Sha256Hex(content).substr(0, 20) + ".boxes2D.json";
  };
  CHECK(written[1] == boxes_path(predictions));
  CHECK(ReadBytes(dir.File(written[1])) == predictions);
  CHECK(written[2] == boxes_path(truth_file));
  CHECK(ReadBytes(dir.File(written[2])) == truth_file);
  CHECK(written[3].rfind("media/images/mask/det_6_", 0) == 0);
  CHECK(written[3].size() > 9);
  CHECK(written[3].substr(written[3].size() - 9) == ".mask.png");
  absl::StatusOr<Pixels> mask = DecodePng(ReadBytes(dir.File(written[3])));
  REQUIRE(mask.ok());
  CHECK(mask->channels == 1);
  CHECK(mask->data == seg.class_ids);

  const Value& image = row[0].second;
  CHECK(image.find("boxes")->find("predictions")->to_json() ==
        "{\"_type\": \"boxes2D\", \"sha256\": \"" + Sha256Hex(predictions) +
            "\", \"size\": " + std::to_string(predictions.size()) + ", \"path\": \"" +
            boxes_path(predictions) + "\"}");
  CHECK(*image.find("masks")->find("seg")->find("_type") == Value("mask"));
  CHECK(*image.find("masks")->find("seg")->find("path") == Value(written[3]));
}

TEST_CASE("each group's class labels go to the config once until they change") {
  TempDir dir;
  Reports reports;
  MediaResolver resolver(dir.path(), &reports.reporter);
  ImageMask seg{.class_ids = {0, 0, 1, 1, 0, 2, 2, 1}};
  auto log = [&](const BoxGroup& boxes, int64_t step) {
    Value::Map row{
        {"det", Image(kGrey4x2, {2, 4}, {.boxes = {{"p", boxes}}, .masks = {{"m", seg}}})}};
    resolver.ResolveRow(row, step);
    return ConfigText(resolver.TakeConfig());
  };
  CHECK(log(Predictions(), 0) ==
        "_wandb/bounding_box/class_labels/det_wandb_delimeter_p/ = {\"type\": "
        "\"bounding_box/class_labels\", \"key\": \"det_wandb_delimeter_p\", \"value\": {\"1\": "
        "\"cat\", \"2\": \"dog\"}}\n"
        "_wandb/mask/class_labels/det_wandb_delimeter_m/ = {\"type\": \"mask/class_labels\", "
        "\"key\": \"det_wandb_delimeter_m\", \"value\": {\"0\": \"class_0\", \"1\": \"class_1\", "
        "\"2\": \"class_2\"}}\n");
  CHECK(log(Predictions(), 1).empty());  // the same labels again: nothing new
  BoxGroup renamed = Predictions();
  renamed.class_labels[2] = "wolf";
  CHECK_THAT(log(renamed, 2), Catch::Contains("\"wolf\"") && !Catch::Contains("mask"));
}

TEST_CASE("a list of images with boxes gets wandb's all_boxes with null for an image without") {
  TempDir dir;
  Reports reports;
  MediaResolver resolver(dir.path(), &reports.reporter);
  Value::Map row{
      {"examples", Value::List{Image(kGrey4x2, {2, 4}, {.boxes = {{"p", Predictions()}}}),
                               Image(kGrey4x2, {2, 4})}}};
  resolver.ResolveRow(row, 0);
  const Value& meta = row[0].second;
  REQUIRE(meta.find("all_boxes") != nullptr);
  const Value::List& all = meta.find("all_boxes")->as_list();
  REQUIRE(all.size() == 2);
  CHECK(*all[0].find("p")->find("_type") == Value("boxes2D"));
  CHECK(all[1].is_null());
  CHECK(meta.find("all_masks") == nullptr);
}

}  // namespace wandb::internal
