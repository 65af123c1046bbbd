#include "client/src/media/image_header.h"

#include <catch2/catch.hpp>
#include <string>

#include "client/src/media/png_codec.h"

namespace wandb::internal {
namespace {

std::string Bytes(std::initializer_list<int> bytes) {
  std::string s;
  for (int b : bytes) s.push_back(static_cast<char>(b));
  return s;
}

}  // namespace

TEST_CASE("a PNG's size comes from its IHDR chunk") {
  Pixels pixels;
  pixels.width = 5;
  pixels.height = 3;
  pixels.channels = 1;
  pixels.data.assign(15, 0);
  absl::StatusOr<std::string> png = EncodePng(pixels);
  REQUIRE(png.ok());
  absl::StatusOr<ImageSize> size = ReadImageSize("png", *png);
  REQUIRE(size.ok());
  CHECK(size->width == 5);
  CHECK(size->height == 3);
}

TEST_CASE("a GIF's size is its logical screen's, little-endian") {
  std::string gif = "GIF89a" + Bytes({0x40, 0x01, 0xF0, 0x00}) + std::string(10, '\0');
  absl::StatusOr<ImageSize> size = ReadImageSize("gif", gif);
  REQUIRE(size.ok());
  CHECK(size->width == 320);
  CHECK(size->height == 240);
}

TEST_CASE("a BMP's height may be negative (top-down)") {
  std::string bmp = "BM" + std::string(16, '\0') + Bytes({0x10, 0, 0, 0}) +
                    Bytes({0xF8, 0xFF, 0xFF, 0xFF}) + std::string(8, '\0');
  absl::StatusOr<ImageSize> size = ReadImageSize("bmp", bmp);
  REQUIRE(size.ok());
  CHECK(size->width == 16);
  CHECK(size->height == 8);
}

TEST_CASE("a JPEG's size comes from its frame header, after other segments") {
  std::string jpeg = Bytes({0xFF, 0xD8}) +
                     // APP0 of length 16
                     Bytes({0xFF, 0xE0, 0x00, 0x10}) + std::string(14, 'j') +
                     // SOF0: length 17, precision 8, height 480, width 640
                     Bytes({0xFF, 0xC0, 0x00, 0x11, 0x08, 0x01, 0xE0, 0x02, 0x80}) +
                     std::string(12, '\0');
  absl::StatusOr<ImageSize> size = ReadImageSize("jpeg", jpeg);
  REQUIRE(size.ok());
  CHECK(size->width == 640);
  CHECK(size->height == 480);
}

TEST_CASE("headers that do not match their format are refused") {
  CHECK(!ReadImageSize("png", "GIF89a....").ok());
  CHECK(!ReadImageSize("jpeg", Bytes({0xFF, 0xD8, 0xFF, 0xD9})).ok());
  CHECK(!ReadImageSize("gif", "GIF89a" + std::string(4, '\0')).ok());  // zero size
}

TEST_CASE("extensions name formats in any case, others none") {
  CHECK(ImageFormatForExtension("JPG") == "jpeg");
  CHECK(ImageFormatForExtension("jpeg") == "jpeg");
  CHECK(ImageFormatForExtension("Png") == "png");
  CHECK(ImageFormatForExtension("tiff").empty());
  CHECK(ImageFormatForExtension("").empty());
}

}  // namespace wandb::internal
