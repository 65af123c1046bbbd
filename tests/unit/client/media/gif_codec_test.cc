// Animated GIF through giflib: frames written and decoded back, exact colours when a frame
// has at most 256, a close palette when it has more, the loop and the delay.
#include "client/src/media/gif_codec.h"

#include <catch2/catch.hpp>
#include <cstdlib>
#include <string>
#include <vector>

namespace wandb::internal {

TEST_CASE("a 3-frame GIF decodes back to the same frames looping at the delay given") {
  Animation animation;
  animation.width = 4;
  animation.height = 2;
  animation.delay_centiseconds = 25;
  for (uint8_t shade : {0, 128, 255}) {
    std::vector<uint8_t> frame;
    for (size_t p = 0; p < 8; ++p) {
      frame.insert(frame.end(),
                   {shade, static_cast<uint8_t>(p * 30), static_cast<uint8_t>(255 - shade)});
    }
    animation.frames.push_back(frame);
  }
  absl::StatusOr<std::string> gif = EncodeGif(animation);
  REQUIRE(gif.ok());
  CHECK(gif->substr(0, 6) == "GIF89a");
  CHECK(gif->find("NETSCAPE2.0") != std::string::npos);
  absl::StatusOr<Animation> back = DecodeGif(*gif);
  REQUIRE(back.ok());
  CHECK(back->width == 4);
  CHECK(back->height == 2);
  CHECK(back->delay_centiseconds == 25);
  CHECK(back->frames == animation.frames);
}

TEST_CASE("a frame of more than 256 colours gets a close 256-colour palette that reaches white") {
  // The top half a gradient of 2048 dark colours, the bottom half white.
  Animation animation;
  animation.width = 64;
  animation.height = 64;
  animation.delay_centiseconds = 10;
  std::vector<uint8_t> frame;
  for (size_t y = 0; y < 64; ++y) {
    for (size_t x = 0; x < 64; ++x) {
      if (y >= 32) {
        frame.insert(frame.end(), {255, 255, 255});
      } else {
        frame.insert(frame.end(), {static_cast<uint8_t>(x * 2), static_cast<uint8_t>(y * 4),
                                   static_cast<uint8_t>((x + y) % 8 * 10)});
      }
    }
  }
  animation.frames.push_back(frame);
  absl::StatusOr<std::string> gif = EncodeGif(animation);
  REQUIRE(gif.ok());
  absl::StatusOr<Animation> back = DecodeGif(*gif);
  REQUIRE(back.ok());
  REQUIRE(back->frames.size() == 1);
  const std::vector<uint8_t>& got = back->frames[0];
  REQUIRE(got.size() == frame.size());
  long total = 0;
  for (size_t i = 0; i < frame.size(); ++i) total += std::abs(int{got[i]} - int{frame[i]});
  CHECK(static_cast<double>(total) / static_cast<double>(frame.size()) < 8.0);
  // giflib's median cut alone would make it 248 (5 bits a channel).
  size_t white = 3 * 64 * 63;
  CHECK((got[white] == 255 && got[white + 1] == 255 && got[white + 2] == 255));
}

TEST_CASE("EncodeGif refuses frames that do not fit the animation's size") {
  Animation animation;
  animation.width = 2;
  animation.height = 2;
  CHECK_FALSE(EncodeGif(animation).ok());  // no frames
  animation.frames.push_back(std::vector<uint8_t>(5));
  CHECK_FALSE(EncodeGif(animation).ok());
  CHECK_FALSE(DecodeGif("GIF89a but no more").ok());
}

}  // namespace wandb::internal
