// A video's frames from wandb's layouts to RGB frames, a batch tiled as wandb tiles it.
#include "client/src/media/video_frames.h"

#include <catch2/catch.hpp>
#include <string>
#include <vector>

namespace wandb::internal {

TEST_CASE("ParseVideoShape reads both layouts and tiles a batch as wandb does") {
  VideoLayout l;
  std::string problem;
  REQUIRE(ParseVideoShape({5, 3, 8, 6}, false, &l, &problem));
  CHECK((l.time == 5 && l.channels == 3 && l.height == 8 && l.width == 6));
  CHECK((l.frame_width() == 6 && l.frame_height() == 8));
  REQUIRE(ParseVideoShape({5, 8, 6, 1}, true, &l, &problem));
  CHECK((l.channels == 1 && l.height == 8 && l.width == 6));
  // wandb: padded to a power of two, 2^((bits(b) - 1) / 2) rows.
  struct Grid {
    size_t batch, rows, cols;
  };
  for (Grid g : {Grid{1, 1, 1}, Grid{2, 1, 2}, Grid{3, 1, 4}, Grid{4, 2, 2}, Grid{5, 2, 4},
                 Grid{8, 2, 4}, Grid{16, 4, 4}}) {
    INFO("batch " << g.batch);
    REQUIRE(ParseVideoShape({g.batch, 2, 3, 4, 5}, false, &l, &problem));
    CHECK(l.grid_rows == g.rows);
    CHECK(l.grid_cols == g.cols);
    CHECK(l.frame_height() == 4 * g.rows);
    CHECK(l.frame_width() == 5 * g.cols);
  }
}

TEST_CASE("ParseVideoShape says what is wrong with a shape") {
  VideoLayout l;
  std::string problem;
  CHECK_FALSE(ParseVideoShape({3, 4, 4}, false, &l, &problem));
  CHECK_THAT(problem, Catch::Contains("{time, channels, height, width}"));
  CHECK_FALSE(ParseVideoShape({3, 5, 4, 3}, false, &l, &problem));
  CHECK_THAT(problem, Catch::Contains("channels_last"));
  CHECK_FALSE(ParseVideoShape({3, 2, 4, 4}, false, &l, &problem));
  CHECK_THAT(problem, Catch::Contains("2 channels"));
  CHECK_FALSE(ParseVideoShape({0, 3, 4, 4}, false, &l, &problem));
  CHECK_THAT(problem, Catch::Contains("zero-sized"));
  CHECK_FALSE(ParseVideoShape({1, 3, 70000, 4}, false, &l, &problem));
  CHECK_THAT(problem, Catch::Contains("65535"));
}

TEST_CASE("TileFrames puts each video of a batch in its cell grey as RGB black padding") {
  // 3 one-frame grey videos of 1x2 pixels, channel-first: a grid of 1 row, 4 columns.
  std::vector<uint8_t> data = {10, 11, 20, 21, 30, 31};
  VideoLayout l;
  std::string problem;
  REQUIRE(ParseVideoShape({3, 1, 1, 1, 2}, false, &l, &problem));
  std::vector<std::vector<uint8_t>> frames = TileFrames(data.data(), l);
  REQUIRE(frames.size() == 1);
  std::vector<uint8_t> expected;
  for (uint8_t v : {10, 11, 20, 21, 30, 31, 0, 0}) expected.insert(expected.end(), {v, v, v});
  CHECK(frames[0] == expected);
}

TEST_CASE("TileFrames reads channel-first and channel-last RGB frames alike") {
  // Two frames of 1x2 RGB pixels: frame t, pixel x is (t, x, 7).
  std::vector<uint8_t> first = {0, 0, 0, 1, 7, 7, 1, 1, 0, 1, 7, 7};  // t, c, h, w
  std::vector<uint8_t> last = {0, 0, 7, 0, 1, 7, 1, 0, 7, 1, 1, 7};   // t, h, w, c
  VideoLayout a, b;
  std::string problem;
  REQUIRE(ParseVideoShape({2, 3, 1, 2}, false, &a, &problem));
  REQUIRE(ParseVideoShape({2, 1, 2, 3}, true, &b, &problem));
  std::vector<std::vector<uint8_t>> expected = {{0, 0, 7, 0, 1, 7}, {1, 0, 7, 1, 1, 7}};
  CHECK(TileFrames(first.data(), a) == expected);
  CHECK(TileFrames(last.data(), b) == expected);
}

}  // namespace wandb::internal
