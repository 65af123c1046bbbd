// A video's frames as the caller gives them (wandb's time x channel x height x width, or
// time x height x width x channel, optionally with a batch of videos in front) to the RGB
// frames a GIF is made of. A batch is tiled into one picture as wandb's _prepare_video tiles
// it: padded with black videos to a power of two, 2^floor((bits(batch) - 1) / 2) rows.
#ifndef WANDB_CLIENT_SRC_MEDIA_VIDEO_FRAMES_H_
#define WANDB_CLIENT_SRC_MEDIA_VIDEO_FRAMES_H_

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

namespace wandb::internal {

struct VideoLayout {
  size_t batch = 1;
  size_t time = 0;
  size_t channels = 0;  // 1 grey, 3 RGB, 4 RGBA (alpha dropped)
  size_t height = 0;
  size_t width = 0;
  bool channels_last = false;
  // The tiled picture.
  size_t grid_rows = 1;
  size_t grid_cols = 1;
  size_t frame_height() const { return grid_rows * height; }
  size_t frame_width() const { return grid_cols * width; }
};

// The layout of `shape` ({t, c, h, w} or {b, t, c, h, w}; channels last: {t, h, w, c} or
// {b, t, h, w, c}), or a message saying what is wrong with it.
bool ParseVideoShape(const std::vector<size_t>& shape, bool channels_last, VideoLayout* layout,
                     std::string* problem);

// Each frame of the tiled picture as height x width x 3.
std::vector<std::vector<uint8_t>> TileFrames(const uint8_t* data, const VideoLayout& layout);

}  // namespace wandb::internal

#endif  // WANDB_CLIENT_SRC_MEDIA_VIDEO_FRAMES_H_
