// Media values to wandb's JSON and files, as wandb 0.12.21's history_dict_to_json and
// summary encoding name and describe them.
#include "client/src/media/media_resolver.h"

#include <catch2/catch.hpp>
#include <filesystem>
#include <string>
#include <vector>

#include "client/src/media/png_codec.h"
#include "client/src/media/sha256.h"
#include "tests/support/media_reports.h"
#include "tests/support/temp_dir.h"
#include "wandb/histogram.h"
#include "wandb/image.h"

namespace wandb::internal {
namespace {

using testing::ReadBytes;
using testing::TempDir;
using Reports = testing::MediaReports;

const std::vector<uint8_t> kRgb2x2{255, 0, 0, 0, 255, 0, 0, 0, 255, 10, 20, 30};

}  // namespace

TEST_CASE("an image becomes an image-file JSON and a PNG named key_step_hash") {
  TempDir dir;
  Reports reports;
  MediaResolver resolver(dir.path(), &reports.reporter);
  Value::Map row{{"sample", Image(kRgb2x2, {2, 2, 3}, {.caption = "red green blue"})},
                 {"loss", 0.5}};
  std::vector<std::string> written = resolver.ResolveRow(row, 7);

  REQUIRE(written.size() == 1);
  std::string bytes = ReadBytes(dir.File(written[0]));
  std::string sha = Sha256Hex(bytes);
  std::string path = "media/images/sample_7_" + sha.substr(0, 20) + ".png";
  CHECK(written[0] == path);
  CHECK(row[0].second.to_json() == "{\"_type\": \"image-file\", \"sha256\": \"" + sha +
                                       "\", \"size\": " + std::to_string(bytes.size()) +
                                       ", \"path\": \"" + path +
                                       "\", \"format\": \"png\", \"width\": 2, \"height\": 2, "
                                       "\"caption\": \"red green blue\"}");
  CHECK(row[1].second == Value(0.5));
  absl::StatusOr<Pixels> decoded = DecodePng(bytes);
  REQUIRE(decoded.ok());
  CHECK(decoded->data == kRgb2x2);
  CHECK(reports.errors.empty());
}

TEST_CASE("channel-first float pixels are scaled and reordered") {
  TempDir dir;
  Reports reports;
  MediaResolver resolver(dir.path(), &reports.reporter);
  // 3 x 1 x 2: R plane {1, 0}, G plane {0, 1}, B plane {0, 0.5}.
  std::vector<float> chw{1, 0, 0, 1, 0, 0.5f};
  Value::Map row{{"chw", Image(chw, {3, 1, 2}, {.channels_first = true})}};
  std::vector<std::string> written = resolver.ResolveRow(row, 0);
  REQUIRE(written.size() == 1);
  absl::StatusOr<Pixels> decoded = DecodePng(ReadBytes(dir.File(written[0])));
  REQUIRE(decoded.ok());
  CHECK(decoded->width == 2);
  CHECK(decoded->height == 1);
  CHECK(decoded->data == std::vector<uint8_t>{255, 0, 0, 0, 255, 127});
}

TEST_CASE("a histogram becomes wandb's histogram JSON, with no file") {
  TempDir dir;
  Reports reports;
  MediaResolver resolver(dir.path(), &reports.reporter);
  Value::Map row{{"h", Histogram(std::vector<double>{0, 1, 2, 3, 4, 5, 6, 7, 8, 9}, 3)},
                 {"p", Histogram::from_counts(std::vector<int64_t>{1, 2}, {0, 0.5, 1})}};
  CHECK(resolver.ResolveRow(row, 0).empty());
  CHECK(row[0].second.to_json() ==
        "{\"_type\": \"histogram\", \"values\": [3, 3, 4], \"bins\": [0.0, 3.0, 6.0, 9.0]}");
  CHECK(row[1].second.to_json() ==
        "{\"_type\": \"histogram\", \"values\": [1, 2], \"bins\": [0.0, 0.5, 1.0]}");
}

TEST_CASE("non-finite histogram values are left out with one warning per key") {
  TempDir dir;
  Reports reports;
  MediaResolver resolver(dir.path(), &reports.reporter);
  for (int step = 0; step < 2; ++step) {
    Value::Map row{{"g", Histogram(std::vector<double>{1, std::nan(""), 3}, 2)}};
    resolver.ResolveRow(row, step);
    CHECK(row[0].second.to_json() ==
          "{\"_type\": \"histogram\", \"values\": [1, 1], \"bins\": [1.0, 2.0, 3.0]}");
  }
  // The reporter keeps one per key and kind; the resolver reports each time it happens.
  CHECK(reports.warnings.size() == 2);
  CHECK(reports.warnings[0].find("g: histogram left out 1 NaN") == 0);
}

TEST_CASE("a list of images becomes images/separated with file names and captions") {
  TempDir dir;
  Reports reports;
  MediaResolver resolver(dir.path(), &reports.reporter);
  std::vector<uint8_t> grey{0, 50, 100, 150};
  Value::Map row{
      {"examples", Value::List{Image(grey, {2, 2}, {.caption = "a"}), Image(kRgb2x2, {2, 2, 3})}}};
  std::vector<std::string> written = resolver.ResolveRow(row, 3);
  REQUIRE(written.size() == 2);
  const Value& meta = row[0].second;
  CHECK(meta.find("_type")->as_string() == "images/separated");
  CHECK(meta.find("width")->as_int() == 2);
  CHECK(meta.find("height")->as_int() == 2);
  CHECK(meta.find("format")->as_string() == "png");
  CHECK(meta.find("count")->as_int() == 2);
  CHECK(*meta.find("filenames") == Value(Value::List{written[0], written[1]}));
  CHECK(*meta.find("captions") == Value(Value::List{"a", nullptr}));
  CHECK(written[0].rfind("media/images/examples_3_", 0) == 0);
}

TEST_CASE("the same image twice in a list is one file, named twice") {
  TempDir dir;
  Reports reports;
  MediaResolver resolver(dir.path(), &reports.reporter);
  Value image = Image(kRgb2x2, {2, 2, 3});
  Value::Map row{{"pair", Value::List{image, image}}};
  std::vector<std::string> written = resolver.ResolveRow(row, 0);
  REQUIRE(written.size() == 1);
  CHECK(*row[0].second.find("filenames") == Value(Value::List{written[0], written[0]}));
}

TEST_CASE("nested maps name files by the inner key, summary values by the dotted path") {
  TempDir dir;
  Reports reports;
  MediaResolver resolver(dir.path(), &reports.reporter);
  Value::Map row{{"val", Value::map({{"img", Image(kRgb2x2, {2, 2, 3})}})}};
  std::vector<std::string> written = resolver.ResolveRow(row, 1);
  REQUIRE(written.size() == 1);
  CHECK(written[0].rfind("media/images/img_1_", 0) == 0);

  Value summary = Value::map({{"img", Image(kRgb2x2, {2, 2, 3})}});
  written = resolver.ResolveSummary({"best"}, summary);
  REQUIRE(written.size() == 1);
  CHECK(written[0].rfind("media/images/best.img_summary_", 0) == 0);
  CHECK(summary.find("img")->find("path")->as_string() == written[0]);
}

TEST_CASE("a key with '/' makes folders") {
  TempDir dir;
  Reports reports;
  MediaResolver resolver(dir.path(), &reports.reporter);
  Value::Map row{{"train/sample", Image(kRgb2x2, {2, 2, 3})}};
  std::vector<std::string> written = resolver.ResolveRow(row, 2);
  REQUIRE(written.size() == 1);
  CHECK(written[0].rfind("media/images/train/sample_2_", 0) == 0);
  CHECK(std::filesystem::is_regular_file(dir.File(written[0])));
}

TEST_CASE("an image file is copied with its extension and its header's size") {
  TempDir dir;
  Reports reports;
  MediaResolver resolver(dir.path() + "/files", &reports.reporter);
  Pixels pixels;
  pixels.width = 3;
  pixels.height = 2;
  pixels.channels = 1;
  pixels.data.assign(6, 7);
  std::string png = *EncodePng(pixels);
  std::string source = dir.File("cat.PNG");
  std::ofstream(source, std::ios::binary) << png;
  Value::Map row{{"photo", Image::from_file(source)}};
  std::vector<std::string> written = resolver.ResolveRow(row, 0);
  REQUIRE(written.size() == 1);
  CHECK(written[0] == "media/images/photo_0_" + Sha256Hex(png).substr(0, 20) + ".PNG");
  CHECK(ReadBytes(dir.File("files/" + written[0])) == png);
  CHECK(row[0].second.find("format")->as_string() == "PNG");
  CHECK(row[0].second.find("width")->as_int() == 3);
  CHECK(row[0].second.find("height")->as_int() == 2);
}

TEST_CASE("a file that cannot be written is reported and leaves null in the row") {
  TempDir dir;
  Reports reports;
  std::ofstream(dir.File("files")) << "a file where the folder should be";
  MediaResolver resolver(dir.File("files"), &reports.reporter);
  Value::Map row{{"img", Image(kRgb2x2, {2, 2, 3})}};
  CHECK(resolver.ResolveRow(row, 0).empty());
  CHECK(row[0].second.is_null());
  REQUIRE(reports.errors.size() == 1);
  CHECK(reports.errors[0].rfind("img: ", 0) == 0);
}

TEST_CASE("glob characters in a media path match only themselves") {
  CHECK(EscapeGlob("media/images/a*b?[c]_0_x.png") == "media/images/a[*]b[?][[]c]_0_x.png");
}

}  // namespace wandb::internal
