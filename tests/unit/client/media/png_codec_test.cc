#include "client/src/media/png_codec.h"

#include <catch2/catch.hpp>

namespace wandb::internal {

TEST_CASE("a 2x2 RGB image's PNG decodes back to the same pixels") {
  Pixels in;
  in.width = 2;
  in.height = 2;
  in.channels = 3;
  in.data = {255, 0, 0, 0, 255, 0, 0, 0, 255, 10, 20, 30};
  absl::StatusOr<std::string> png = EncodePng(in);
  REQUIRE(png.ok());
  CHECK(png->substr(1, 3) == "PNG");
  absl::StatusOr<Pixels> out = DecodePng(*png);
  REQUIRE(out.ok());
  CHECK(out->width == 2);
  CHECK(out->height == 2);
  CHECK(out->channels == 3);
  CHECK(out->data == in.data);
}

TEST_CASE("grey and RGBA images round-trip too") {
  for (size_t channels : {size_t{1}, size_t{4}}) {
    Pixels in;
    in.width = 3;
    in.height = 1;
    in.channels = channels;
    for (size_t i = 0; i < 3 * channels; ++i) in.data.push_back(static_cast<uint8_t>(i * 20));
    absl::StatusOr<std::string> png = EncodePng(in);
    REQUIRE(png.ok());
    absl::StatusOr<Pixels> out = DecodePng(*png);
    REQUIRE(out.ok());
    CHECK(out->channels == channels);
    CHECK(out->data == in.data);
  }
}

TEST_CASE("bytes that are not a PNG are refused") { CHECK(!DecodePng("not a png").ok()); }

}  // namespace wandb::internal
