// wandb::Image: a picture logged as a PNG (or the file given) under the run's
// files/media/images/, with wandb's "image-file" JSON in the row.
//
//   std::vector<uint8_t> rgb(h * w * 3);                       // height x width x channels
//   run.log({{"sample", wandb::Image(rgb, {h, w, 3}, {.caption = "epoch 3"})}});
//   run.log({{"chw", wandb::Image(tensor_data, {3, h, w}, {.channels_first = true})}});
//   run.log({{"photo", wandb::Image::from_file("cat.jpg")}});
//   run.log({{"examples", wandb::Value::List{wandb::Image(a, {h, w}), wandb::Image(b, {h, w})}}});
//
// Shapes: {height, width} grey, {height, width, 1|3|4} grey, RGB, RGBA, or the channel-first
// {channels, height, width} with `channels_first`. 8-bit pixels are taken as they are; float
// pixels are scaled as wandb's to_uint8: when the smallest is negative, to 0..1 by
// (v - min) / (max - min); then, when the largest is at most 1, times 255 (truncated); then
// clipped to 0..255. (Like wandb, 8-bit pixels that are all 0 or 1 are scaled by 255 too.)
// Files: png, jpg/jpeg, gif, bmp, copied as they are; width and height are read from the
// file. Building an Image copies the pixels; converting, PNG encoding, hashing and writing
// happen on the run's background thread.
#ifndef WANDB_IMAGE_H_
#define WANDB_IMAGE_H_

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <variant>
#include <vector>

#include "wandb/media.h"
#include "wandb/value.h"

#include "wandb/internal/api_begin.h"

namespace wandb {

struct ImageOptions {
  std::optional<std::string> caption{};
  // wandb's `grouping`: images with the same number are shown together.
  std::optional<int64_t> grouping{};
  // The pixels are {channels, height, width} (PyTorch's layout) rather than
  // {height, width, channels}.
  bool channels_first = false;
};

class WANDB_API Image : public Media {
 public:
  static constexpr size_t kMaxDimension = 65500;  // wandb's (PIL's) limit
  static constexpr size_t kMaxListItems = 108;    // wandb logs at most this many of a list

  Image(const uint8_t* pixels, size_t count, const std::vector<size_t>& shape,
        const ImageOptions& options = {});
  Image(const std::vector<uint8_t>& pixels, const std::vector<size_t>& shape,
        const ImageOptions& options = {});
  Image(const float* pixels, size_t count, const std::vector<size_t>& shape,
        const ImageOptions& options = {});
  Image(const std::vector<float>& pixels, const std::vector<size_t>& shape,
        const ImageOptions& options = {});
  Image(const double* pixels, size_t count, const std::vector<size_t>& shape,
        const ImageOptions& options = {});
  Image(const std::vector<double>& pixels, const std::vector<size_t>& shape,
        const ImageOptions& options = {});

  // An image file: png, jpg, jpeg, gif or bmp (by extension, any case). The file must exist
  // and its header must give its size; it is copied into the run when logged.
  static Image from_file(const std::string& path, const ImageOptions& options = {});

  size_t width() const noexcept { return width_; }
  size_t height() const noexcept { return height_; }
  // "png" for pixels, the file's extension for a file.
  const std::string& format() const noexcept { return format_; }
  const std::optional<std::string>& caption() const noexcept { return options_.caption; }

  Value Resolve(internal::MediaContext& context) const override;

 private:
  Image() = default;
  template <typename T>
  void Init(const T* pixels, size_t count, const std::vector<size_t>& shape,
            const ImageOptions& options);

  ImageOptions options_;
  size_t width_ = 0;
  size_t height_ = 0;
  size_t channels_ = 0;
  std::string format_ = "png";
  // Pixels as given, height x width x channels (channel-first input is reordered on the
  // background thread, with the conversion).
  std::variant<std::vector<uint8_t>, std::vector<float>, std::vector<double>> pixels_;
  std::string file_;  // from_file: the source path
};

}  // namespace wandb

#include "wandb/internal/api_end.h"

#endif  // WANDB_IMAGE_H_
