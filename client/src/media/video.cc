#include "wandb/video.h"

#include <unistd.h>

#include <algorithm>
#include <array>
#include <cmath>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "client/src/media/buffer_pool.h"
#include "client/src/media/gif_codec.h"
#include "client/src/media/image_header.h"
#include "client/src/media/media_context.h"
#include "client/src/media/video_frames.h"
#include "common/util/read_file.h"

namespace wandb {
namespace {

// wandb's Video.EXTS.
constexpr std::array<const char*, 4> kExtensions = {"gif", "mp4", "webm", "ogg"};
constexpr int64_t kMaxFps = 100;  // a GIF's delays are in 1/100 s
constexpr size_t kGifHeaderBytes = 16;

}  // namespace

Video::Video(const uint8_t* frames, size_t count, const std::vector<size_t>& shape,
             const VideoOptions& options)
    : options_(options), shape_(shape) {
  set_payload_bytes(count);
  if (options.fps < 1 || options.fps > kMaxFps) {
    Fail(absl::StrCat("video: fps ", options.fps, "; 1 to ", kMaxFps, " are supported"));
    return;
  }
  internal::VideoLayout layout;
  std::string problem;
  if (!internal::ParseVideoShape(shape, options.channels_last, &layout, &problem)) {
    Fail(problem);
    return;
  }
  size_t needed = layout.batch * layout.time * layout.channels * layout.height * layout.width;
  if (frames == nullptr || count != needed) {
    Fail(absl::StrCat("video: ", count, " bytes of frames for shape {", absl::StrJoin(shape, ", "),
                      "}, which needs ", needed));
    return;
  }
  width_ = layout.frame_width();
  height_ = layout.frame_height();
  frames_ = internal::PooledCopy(frames, count);
}

Video::Video(const std::vector<uint8_t>& frames, const std::vector<size_t>& shape,
             const VideoOptions& options)
    : Video(frames.data(), frames.size(), shape, options) {}

Video Video::from_file(const std::string& path, const VideoOptions& options) {
  Video video;
  video.options_ = options;
  video.file_ = path;
  video.format_ = absl::AsciiStrToLower(internal::FileExtension(path));
  if (std::find(kExtensions.begin(), kExtensions.end(), video.format_) == kExtensions.end()) {
    video.Fail(absl::StrCat("video file ", path, ": unknown extension '",
                            internal::FileExtension(path), "' (gif, mp4, webm or ogg)"));
    return video;
  }
  if (access(path.c_str(), R_OK) != 0) {
    video.Fail(absl::StrCat("video file ", path, ": missing or unreadable"));
    return video;
  }
  if (video.format_ == "gif") {
    absl::StatusOr<std::string> head = ReadFilePrefix(path, kGifHeaderBytes);
    absl::StatusOr<internal::ImageSize> size =
        head.ok() ? internal::ReadImageSize("gif", *head) : head.status();
    if (!size.ok()) {
      video.Fail(absl::StrCat("video file ", path, ": ", size.status().message()));
      return video;
    }
    video.width_ = size->width;
    video.height_ = size->height;
  }
  return video;
}

Value Video::Resolve(internal::MediaContext& context) const {
  std::optional<internal::MediaFile> file;
  if (!file_.empty()) {
    file = context.Copy("videos", absl::StrCat(".", internal::FileExtension(file_)), file_);
  } else {
    internal::VideoLayout layout;
    std::string problem;
    internal::ParseVideoShape(shape_, options_.channels_last, &layout, &problem);
    internal::Animation animation;
    animation.width = layout.frame_width();
    animation.height = layout.frame_height();
    animation.delay_centiseconds =
        static_cast<int>(std::max<int64_t>(1, std::lround(100.0 / options_.fps)));
    animation.frames = internal::TileFrames(frames_.get(), layout);
    absl::StatusOr<std::string> gif = internal::EncodeGif(animation);
    if (!gif.ok()) {
      context.Error(gif.status().message());
      return Value();
    }
    file = context.Write("videos", ".gif", *gif);
  }
  if (!file.has_value()) return Value();
  // wandb's Video.to_json: Media's fields, the size when known, the caption when not empty.
  Value json = Value::map({{"_type", "video-file"},
                           {"sha256", file->sha256},
                           {"size", file->size},
                           {"path", file->path}});
  if (width_ != 0) json.set("width", static_cast<int64_t>(width_));
  if (height_ != 0) json.set("height", static_cast<int64_t>(height_));
  if (options_.caption.has_value() && !options_.caption->empty()) {
    json.set("caption", *options_.caption);
  }
  return json;
}

}  // namespace wandb
