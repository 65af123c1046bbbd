// Animated GIF through giflib: 8-bit RGB frames to a GIF file's bytes that loops forever at a
// given frame rate (as wandb's imageio writer makes them), and a GIF's bytes back to frames
// (the tests read what the run wrote).
#ifndef WANDB_CLIENT_SRC_MEDIA_GIF_CODEC_H_
#define WANDB_CLIENT_SRC_MEDIA_GIF_CODEC_H_

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace wandb::internal {

struct Animation {
  size_t width = 0;
  size_t height = 0;
  int delay_centiseconds = 0;                // each frame's; GIF counts time in 1/100 s
  std::vector<std::vector<uint8_t>> frames;  // each height x width x 3 (RGB)
};

// A frame with at most 256 colours keeps them exactly; one with more gets giflib's median-cut
// palette of 256.
absl::StatusOr<std::string> EncodeGif(const Animation& animation);
// Frames as RGB, the delay of the first.
absl::StatusOr<Animation> DecodeGif(absl::string_view gif);

}  // namespace wandb::internal

#endif  // WANDB_CLIENT_SRC_MEDIA_GIF_CODEC_H_
