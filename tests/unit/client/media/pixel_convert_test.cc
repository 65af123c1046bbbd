// wandb's Image.to_uint8, worked out by hand.
#include "client/src/media/pixel_convert.h"

#include <catch2/catch.hpp>
#include <vector>

namespace wandb::internal {

TEST_CASE("floats in 0..1 are scaled by 255 and truncated") {
  std::vector<float> v{0.0f, 0.5f, 1.0f, 0.999f};
  CHECK(ToUint8(v.data(), v.size()) == std::vector<uint8_t>{0, 127, 255, 254});
}

TEST_CASE("floats with a negative minimum are shifted to 0..1 first") {
  std::vector<double> v{-1.0, 0.0, 1.0};
  CHECK(ToUint8(v.data(), v.size()) == std::vector<uint8_t>{0, 127, 255});
}

TEST_CASE("floats above 1 are clipped, not scaled") {
  std::vector<double> v{0.0, 100.7, 300.0};
  CHECK(ToUint8(v.data(), v.size()) == std::vector<uint8_t>{0, 100, 255});
}

TEST_CASE("8-bit pixels are kept, except an all-0/1 mask, which wandb scales by 255") {
  std::vector<uint8_t> image{0, 1, 2, 200};
  CHECK(ToUint8(image.data(), image.size()) == image);
  std::vector<uint8_t> mask{0, 1, 1, 0};
  CHECK(ToUint8(mask.data(), mask.size()) == std::vector<uint8_t>{0, 255, 255, 0});
}

TEST_CASE("channel-first pixels are reordered to height x width x channels") {
  // 2 channels of a 1x2 image: plane R = {1, 2}, plane G = {3, 4}.
  CHECK(ChannelsLast({1, 2, 3, 4}, 2, 1, 2) == std::vector<uint8_t>{1, 3, 2, 4});
}

}  // namespace wandb::internal
