#include "client/src/media/video_frames.h"

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"

namespace wandb::internal {
namespace {

size_t BitLength(size_t n) {
  size_t bits = 0;
  for (; n != 0; n >>= 1) ++bits;
  return bits;
}

size_t NextPowerOfTwo(size_t n) {
  size_t p = 1;
  while (p < n) p *= 2;
  return p;
}

}  // namespace

bool ParseVideoShape(const std::vector<size_t>& shape, bool channels_last, VideoLayout* layout,
                     std::string* problem) {
  const std::string text = absl::StrCat("{", absl::StrJoin(shape, ", "), "}");
  if (shape.size() != 4 && shape.size() != 5) {
    *problem = absl::StrCat(
        "video: shape ", text, " is not ",
        channels_last ? "{time, height, width, channels}" : "{time, channels, height, width}",
        " (with a batch in front or not)");
    return false;
  }
  VideoLayout l;
  size_t at = 0;
  if (shape.size() == 5) l.batch = shape[at++];
  l.time = shape[at++];
  if (channels_last) {
    l.height = shape[at];
    l.width = shape[at + 1];
    l.channels = shape[at + 2];
  } else {
    l.channels = shape[at];
    l.height = shape[at + 1];
    l.width = shape[at + 2];
  }
  l.channels_last = channels_last;
  if (l.batch == 0 || l.time == 0 || l.height == 0 || l.width == 0) {
    *problem = absl::StrCat("video: zero-sized shape ", text);
    return false;
  }
  if (l.channels != 1 && l.channels != 3 && l.channels != 4) {
    *problem = absl::StrCat("video: ", l.channels, " channels in shape ", text,
                            "; 1 (grey), 3 (RGB) or 4 (RGBA) are supported",
                            channels_last ? "" : " (channel-last data needs channels_last)");
    return false;
  }
  l.grid_rows = size_t{1} << ((BitLength(l.batch) - 1) / 2);
  l.grid_cols = NextPowerOfTwo(l.batch) / l.grid_rows;
  if (l.frame_height() > 65535 || l.frame_width() > 65535) {
    *problem = absl::StrCat("video: shape ", text, " makes frames of ", l.frame_width(), "x",
                            l.frame_height(), "; a GIF is at most 65535 on a side");
    return false;
  }
  *layout = l;
  return true;
}

std::vector<std::vector<uint8_t>> TileFrames(const uint8_t* data, const VideoLayout& l) {
  const size_t plane = l.height * l.width;
  const size_t video_bytes = l.time * l.channels * plane;
  const size_t out_width = l.frame_width();
  std::vector<std::vector<uint8_t>> frames(l.time,
                                           std::vector<uint8_t>(3 * l.frame_height() * out_width));
  for (size_t b = 0; b < l.batch; ++b) {
    size_t top = (b / l.grid_cols) * l.height;
    size_t left = (b % l.grid_cols) * l.width;
    for (size_t t = 0; t < l.time; ++t) {
      const uint8_t* frame = data + b * video_bytes + t * l.channels * plane;
      std::vector<uint8_t>& out = frames[t];
      for (size_t y = 0; y < l.height; ++y) {
        for (size_t x = 0; x < l.width; ++x) {
          uint8_t* pixel = &out[3 * ((top + y) * out_width + left + x)];
          for (size_t c = 0; c < 3; ++c) {
            size_t source = l.channels == 1 ? 0 : c;  // grey fills R, G and B
            pixel[c] = l.channels_last ? frame[(y * l.width + x) * l.channels + source]
                                       : frame[source * plane + y * l.width + x];
          }
        }
      }
    }
  }
  return frames;
}

}  // namespace wandb::internal
