// wandb::Video: the checks when it is built, the GIF made of its frames and wandb's
// "video-file" JSON, files copied, and the "videos" batch a list becomes, as wandb 0.12.21's
// Video writes them.
#include "wandb/video.h"

#include <catch2/catch.hpp>
#include <string>
#include <vector>

#include "client/src/media/gif_codec.h"
#include "client/src/media/media_resolver.h"
#include "client/src/media/sha256.h"
#include "tests/support/media_reports.h"
#include "tests/support/temp_dir.h"

namespace wandb::internal {
namespace {

using testing::ReadBytes;
using testing::TempDir;
using testing::WriteBytes;
using Reports = testing::MediaReports;

// `t` frames of `h` x `w` RGB, channel-first: frame i is all (40 i, 255 - 40 i, x * 50).
std::vector<uint8_t> Frames(size_t t, size_t h, size_t w) {
  std::vector<uint8_t> data;
  for (size_t i = 0; i < t; ++i) {
    for (size_t c = 0; c < 3; ++c) {
      for (size_t p = 0; p < h * w; ++p) {
        uint8_t values[] = {static_cast<uint8_t>(40 * i), static_cast<uint8_t>(255 - 40 * i),
                            static_cast<uint8_t>((p % w) * 50)};
        data.push_back(values[c]);
      }
    }
  }
  return data;
}

}  // namespace

TEST_CASE("Video checks its frames shape and rate and a file's extension and presence") {
  CHECK(Video(Frames(3, 2, 4), {3, 3, 2, 4}).problem().empty());
  CHECK_THAT(Video(Frames(3, 2, 4), {3, 3, 2, 5}).problem(),
             Catch::Contains("72 bytes of frames for shape {3, 3, 2, 5}, which needs 90"));
  CHECK_THAT(Video(Frames(3, 2, 4), {3, 3, 2, 4}, {.fps = 0}).problem(), Catch::Contains("fps 0"));
  CHECK_THAT(Video(Frames(1, 1, 1), {1, 3, 1}).problem(), Catch::Contains("is not"));
  TempDir dir;
  WriteBytes(dir.File("clip.MP4"), "x");
  Video mp4 = Video::from_file(dir.File("clip.MP4"));
  CHECK(mp4.problem().empty());
  CHECK(mp4.format() == "mp4");
  CHECK(mp4.width() == 0);
  CHECK_THAT(Video::from_file(dir.File("clip.avi")).problem(),
             Catch::Contains("unknown extension 'avi'"));
  CHECK_THAT(Video::from_file(dir.File("none.gif")).problem(), Catch::Contains("missing"));
}

TEST_CASE("a Video's frames become a looping GIF under media/videos and wandb's JSON") {
  TempDir dir;
  Reports reports;
  MediaResolver resolver(dir.path(), &reports.reporter);
  Value::Map row{{"rollout", Video(Frames(3, 2, 4), {3, 3, 2, 4}, {.caption = "ep 1"})}};
  std::vector<std::string> written = resolver.ResolveRow(row, 5);

  REQUIRE(written.size() == 1);
  std::string gif = ReadBytes(dir.File(written[0]));
  const std::string sha = Sha256Hex(gif);
  const std::string path = "media/videos/rollout_5_" + sha.substr(0, 20) + ".gif";
  CHECK(written[0] == path);
  CHECK(row[0].second.to_json() == "{\"_type\": \"video-file\", \"sha256\": \"" + sha +
                                       "\", \"size\": " + std::to_string(gif.size()) +
                                       ", \"path\": \"" + path +
                                       "\", \"width\": 4, \"height\": 2, \"caption\": \"ep 1\"}");
  absl::StatusOr<Animation> back = DecodeGif(gif);
  REQUIRE(back.ok());
  CHECK(back->delay_centiseconds == 25);  // wandb's 4 frames a second
  REQUIRE(back->frames.size() == 3);
  for (size_t i = 0; i < 3; ++i) {
    for (size_t x = 0; x < 4; ++x) {
      INFO("frame " << i << ", x " << x);
      CHECK(back->frames[i][3 * x] == 40 * i);
      CHECK(back->frames[i][3 * x + 1] == 255 - 40 * i);
      CHECK(back->frames[i][3 * x + 2] == x * 50);
    }
  }
  CHECK(reports.errors.empty());
}

TEST_CASE("a Video's frame rate sets the GIF's delay and a batch is tiled into one picture") {
  TempDir dir;
  Reports reports;
  MediaResolver resolver(dir.path(), &reports.reporter);
  std::vector<uint8_t> batch = Frames(2, 2, 4);
  batch.insert(batch.end(), batch.begin(), batch.end());  // 2 videos of 1 frame... twice over
  Value::Map row{{"fast", Video(Frames(2, 2, 4), {2, 3, 2, 4}, {.fps = 10})},
                 {"grid", Video(batch, {2, 2, 3, 2, 4})}};
  std::vector<std::string> written = resolver.ResolveRow(row, 0);
  REQUIRE(written.size() == 2);
  absl::StatusOr<Animation> fast = DecodeGif(ReadBytes(dir.File(written[0])));
  REQUIRE(fast.ok());
  CHECK(fast->delay_centiseconds == 10);
  CHECK(*row[1].second.find("width") == Value(8));  // two videos side by side
  CHECK(*row[1].second.find("height") == Value(2));
  absl::StatusOr<Animation> grid = DecodeGif(ReadBytes(dir.File(written[1])));
  REQUIRE(grid.ok());
  CHECK(grid->width == 8);
  CHECK(grid->frames.size() == 2);
}

TEST_CASE("a video file is copied as it is and a GIF's size is read from it") {
  TempDir dir;
  Reports reports;
  MediaResolver resolver(dir.path(), &reports.reporter);
  Animation animation;
  animation.width = 3;
  animation.height = 5;
  animation.delay_centiseconds = 25;
  animation.frames.push_back(std::vector<uint8_t>(45, 9));
  absl::StatusOr<std::string> gif = EncodeGif(animation);
  REQUIRE(gif.ok());
  WriteBytes(dir.File("a.gif"), *gif);
  WriteBytes(dir.File("b.webm"), "webm bytes");
  Value::Map row{{"a", Video::from_file(dir.File("a.gif"))},
                 {"b", Video::from_file(dir.File("b.webm"))}};
  std::vector<std::string> written = resolver.ResolveRow(row, 1);
  REQUIRE(written.size() == 2);
  CHECK(ReadBytes(dir.File(written[0])) == *gif);
  CHECK(*row[0].second.find("width") == Value(3));
  CHECK(*row[0].second.find("height") == Value(5));
  CHECK(written[1] == "media/videos/b_1_" + Sha256Hex("webm bytes").substr(0, 20) + ".webm");
  CHECK(row[1].second.find("width") == nullptr);  // wandb knows no size for mp4, webm, ogg
}

TEST_CASE("a list of Videos becomes wandb's videos batch captions false unless the first has one") {
  TempDir dir;
  Reports reports;
  MediaResolver resolver(dir.path(), &reports.reporter);
  Value::Map row{{"plain", Value::List{Video(Frames(1, 1, 1), {1, 3, 1, 1}),
                                       Video(Frames(2, 1, 1), {2, 3, 1, 1})}},
                 {"named", Value::List{Video(Frames(1, 1, 1), {1, 3, 1, 1}, {.caption = "a"}),
                                       Video(Frames(2, 1, 1), {2, 3, 1, 1})}}};
  resolver.ResolveRow(row, 3);
  const Value& plain = row[0].second;
  CHECK(*plain.find("_type") == Value("videos"));
  CHECK(*plain.find("count") == Value(2));
  CHECK(plain.find("videos")->as_list().size() == 2);
  CHECK(*plain.find("captions") == Value(false));
  CHECK(row[1].second.find("captions")->to_json() == "[\"a\", null]");
  CHECK(reports.errors.empty());
}

}  // namespace wandb::internal
