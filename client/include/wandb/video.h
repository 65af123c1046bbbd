// wandb::Video: frames logged as an animated GIF (or the video file given) under the run's
// files/media/videos/, with wandb's "video-file" JSON in the row; W&B plays it in a panel.
//
//   std::vector<uint8_t> frames(t * 3 * h * w);                 // time x channels x h x w
//   run.log({{"rollout", wandb::Video(frames, {t, 3, h, w}, {.fps = 8})}});
//   run.log({{"thwc", wandb::Video(frames, {t, h, w, 3}, {.channels_last = true})}});
//   run.log({{"grid", wandb::Video(batch, {b, t, 3, h, w})}});  // b videos tiled in one
//   run.log({{"demo", wandb::Video::from_file("episode.mp4", {.caption = "best"})}});
//
// Frames are 8-bit, wandb's {time, channels, height, width} (PyTorch's) by default or
// {time, height, width, channels} with `channels_last`; 1 (grey), 3 (RGB) or 4 (RGBA, alpha
// dropped) channels. A batch in front, {batch, time, ...}, is tiled into one picture as wandb
// tiles it. Frames become a GIF that loops at `fps` (GIF counts time in 1/100 s); a frame
// with more than 256 colours gets a 256-colour palette. Files: gif, mp4, webm, ogg (by
// extension, any case), copied as they are. Building a Video copies the frames; encoding,
// hashing and writing happen on the run's background thread.
#ifndef WANDB_VIDEO_H_
#define WANDB_VIDEO_H_

#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "wandb/media.h"
#include "wandb/value.h"

#include "wandb/internal/api_begin.h"

namespace wandb {

struct VideoOptions {
  std::optional<std::string> caption{};
  // Frames per second, 1 to 100; wandb's default is 4.
  int64_t fps = 4;
  // The frames are {time, height, width, channels} rather than {time, channels, height, width}.
  bool channels_last = false;
};

class WANDB_API Video : public Media {
 public:
  Video(const uint8_t* frames, size_t count, const std::vector<size_t>& shape,
        const VideoOptions& options = {});
  Video(const std::vector<uint8_t>& frames, const std::vector<size_t>& shape,
        const VideoOptions& options = {});

  // A video file: gif, mp4, webm or ogg. It must exist; it is copied into the run when
  // logged. A GIF's width and height are read from it.
  static Video from_file(const std::string& path, const VideoOptions& options = {});

  // The frame's size (of the tiled picture for a batch); 0 when not known (mp4, webm, ogg).
  size_t width() const noexcept { return width_; }
  size_t height() const noexcept { return height_; }
  // "gif" for frames, the file's extension (lower case) for a file.
  const std::string& format() const noexcept { return format_; }
  const std::optional<std::string>& caption() const noexcept { return options_.caption; }

  Value Resolve(internal::MediaContext& context) const override;

 private:
  Video() = default;

  VideoOptions options_;
  std::vector<size_t> shape_;
  std::shared_ptr<const uint8_t> frames_;  // pooled, as an Image's pixels
  size_t width_ = 0;
  size_t height_ = 0;
  std::string format_ = "gif";
  std::string file_;  // from_file: the source path
};

}  // namespace wandb

#include "wandb/internal/api_end.h"

#endif  // WANDB_VIDEO_H_
