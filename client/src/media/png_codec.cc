#include "client/src/media/png_codec.h"

#include <png.h>

#include <cstring>

#include "absl/strings/str_cat.h"

namespace wandb::internal {
namespace {

png_uint_32 FormatFor(size_t channels) {
  switch (channels) {
    case 1:
      return PNG_FORMAT_GRAY;
    case 3:
      return PNG_FORMAT_RGB;
    default:
      return PNG_FORMAT_RGBA;
  }
}

}  // namespace

absl::StatusOr<std::string> EncodePng(const Pixels& pixels) {
  if (pixels.channels != 1 && pixels.channels != 3 && pixels.channels != 4) {
    return absl::InvalidArgumentError(absl::StrCat("PNG: ", pixels.channels, " channels"));
  }
  png_image image;
  std::memset(&image, 0, sizeof(image));
  image.version = PNG_IMAGE_VERSION;
  image.width = static_cast<png_uint_32>(pixels.width);
  image.height = static_cast<png_uint_32>(pixels.height);
  image.format = FormatFor(pixels.channels);
  // First the size, then the bytes: libpng's documented way to write to memory.
  png_alloc_size_t size = 0;
  if (!png_image_write_to_memory(&image, nullptr, &size, 0, pixels.data.data(), 0, nullptr)) {
    return absl::InternalError(absl::StrCat("PNG: ", image.message));
  }
  std::string out(size, '\0');
  if (!png_image_write_to_memory(&image, out.data(), &size, 0, pixels.data.data(), 0, nullptr)) {
    return absl::InternalError(absl::StrCat("PNG: ", image.message));
  }
  out.resize(size);
  return out;
}

absl::StatusOr<Pixels> DecodePng(absl::string_view png) {
  png_image image;
  std::memset(&image, 0, sizeof(image));
  image.version = PNG_IMAGE_VERSION;
  if (!png_image_begin_read_from_memory(&image, png.data(), png.size())) {
    return absl::InvalidArgumentError(absl::StrCat("PNG: ", image.message));
  }
  Pixels out;
  bool alpha = (image.format & PNG_FORMAT_FLAG_ALPHA) != 0;
  bool color = (image.format & PNG_FORMAT_FLAG_COLOR) != 0;
  out.channels = color ? (alpha ? 4 : 3) : (alpha ? 4 : 1);
  image.format = FormatFor(out.channels);
  out.width = image.width;
  out.height = image.height;
  out.data.resize(PNG_IMAGE_SIZE(image));
  if (!png_image_finish_read(&image, nullptr, out.data.data(), 0, nullptr)) {
    png_image_free(&image);
    return absl::InvalidArgumentError(absl::StrCat("PNG: ", image.message));
  }
  return out;
}

}  // namespace wandb::internal
