// PNG through libpng's simplified API: 8-bit grey, RGB or RGBA pixels to a PNG file's bytes
// and back (the tests read what the run wrote).
#ifndef WANDB_CLIENT_SRC_MEDIA_PNG_CODEC_H_
#define WANDB_CLIENT_SRC_MEDIA_PNG_CODEC_H_

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace wandb::internal {

struct Pixels {
  size_t width = 0;
  size_t height = 0;
  size_t channels = 0;        // 1 grey, 3 RGB, 4 RGBA
  std::vector<uint8_t> data;  // height x width x channels
};

absl::StatusOr<std::string> EncodePng(const Pixels& pixels);
absl::StatusOr<Pixels> DecodePng(absl::string_view png);

}  // namespace wandb::internal

#endif  // WANDB_CLIENT_SRC_MEDIA_PNG_CODEC_H_
