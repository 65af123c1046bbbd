// The width and height an image file's header gives (PNG, JPEG, GIF, BMP), without decoding
// it: enough for wandb's "width" and "height" of an image logged from a file.
#ifndef WANDB_CLIENT_SRC_MEDIA_IMAGE_HEADER_H_
#define WANDB_CLIENT_SRC_MEDIA_IMAGE_HEADER_H_

#include <cstddef>
#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace wandb::internal {

struct ImageSize {
  size_t width = 0;
  size_t height = 0;
};

// `format`: "png", "jpeg", "gif" or "bmp". `head`: the file's first bytes (JPEG's size may
// come after other segments: give it the whole file or at least its first 64 KiB).
absl::StatusOr<ImageSize> ReadImageSize(absl::string_view format, absl::string_view head);

// The format an extension names ("jpg" and "jpeg" are "jpeg"), any case; "" when none.
std::string ImageFormatForExtension(absl::string_view extension);

}  // namespace wandb::internal

#endif  // WANDB_CLIENT_SRC_MEDIA_IMAGE_HEADER_H_
