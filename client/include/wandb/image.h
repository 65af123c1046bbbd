// wandb::Image: a picture logged as a PNG (or the file given) under the run's
// files/media/images/, with wandb's "image-file" JSON in the row.
//
//   std::vector<uint8_t> rgb(h * w * 3);                       // height x width x channels
//   run.log({{"sample", wandb::Image(rgb, {h, w, 3}, {.caption = "epoch 3"})}});
//   run.log({{"chw", wandb::Image(tensor_data, {3, h, w}, {.channels_first = true})}});
//   run.log({{"photo", wandb::Image::from_file("cat.jpg")}});
//   run.log({{"examples", wandb::Value::List{wandb::Image(a, {h, w}), wandb::Image(b, {h, w})}}});
//
//   wandb::BoxGroup predictions{.boxes = {{.min_x = 0.1, .min_y = 0.2, .max_x = 0.5, .max_y = 0.9,
//                                          .class_id = 1, .caption = "cat 0.93",
//                                          .scores = {{"confidence", 0.93}}}},
//                               .class_labels = {{1, "cat"}, {2, "dog"}}};
//   wandb::ImageMask segmentation{.class_ids = mask, .class_labels = {{0, "sky"}, {1, "road"}}};
//   run.log({{"detections", wandb::Image(rgb, {h, w, 3}, {.boxes = {{"predictions", predictions}},
//                                                           .masks = {{"truth",
//                                                           segmentation}}})}});
//
// Shapes: {height, width} grey, {height, width, 1|3|4} grey, RGB, RGBA, or the channel-first
// {channels, height, width} with `channels_first`. 8-bit pixels are taken as they are; float
// pixels are scaled as wandb's to_uint8: when the smallest is negative, to 0..1 by
// (v - min) / (max - min); then, when the largest is at most 1, times 255 (truncated); then
// clipped to 0..255. (Like wandb, 8-bit pixels that are all 0 or 1 are scaled by 255 too.)
// Files: png, jpg/jpeg, gif, bmp, copied as they are; width and height are read from the
// file. Boxes and masks are drawn over the image by W&B, in groups named as you like
// ("predictions", "ground_truth"); each group's class ids get names from its class_labels
// (class_<id> when none are given), stored in the run's config as wandb stores them. Building an
// Image copies the pixels; converting, PNG encoding, hashing and writing happen on the run's
// background thread.
#ifndef WANDB_IMAGE_H_
#define WANDB_IMAGE_H_

#include <cstddef>
#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "wandb/media.h"
#include "wandb/value.h"

#include "wandb/internal/api_begin.h"

namespace wandb {

// A box over an image, by its top-left (min) and bottom-right (max) corners: fractions of the
// image's width and height (0..1), or pixels when its group's `pixels` is set.
struct BoundingBox {
  double min_x = 0;
  double min_y = 0;
  double max_x = 0;
  double max_y = 0;
  int64_t class_id = 0;
  std::string caption{};  // shown above the box
  // Named numbers W&B can filter the boxes by ("confidence", "iou").
  std::map<std::string, double> scores{};

  // A box given by its centre and size (YOLO's form), in the same units.
  static BoundingBox centered(double middle_x, double middle_y, double width, double height,
                              int64_t class_id = 0);
};

// One group of boxes (wandb's BoundingBoxes2D).
struct BoxGroup {
  std::vector<BoundingBox> boxes{};
  std::map<int64_t, std::string> class_labels{};
  // The boxes' coordinates are pixels ("domain": "pixel") rather than fractions.
  bool pixels = false;
};

// A segmentation mask (wandb's ImageMask): a class id (0..255) per pixel, height x width,
// the image's size.
struct ImageMask {
  std::vector<uint8_t> class_ids{};
  std::map<int64_t, std::string> class_labels{};
};

struct ImageOptions {
  std::optional<std::string> caption{};
  // wandb's `grouping`: images with the same number are shown together.
  std::optional<int64_t> grouping{};
  // The pixels are {channels, height, width} (PyTorch's layout) rather than
  // {height, width, channels}.
  bool channels_first = false;
  // Groups of boxes and masks, by name.
  std::map<std::string, BoxGroup> boxes{};
  std::map<std::string, ImageMask> masks{};
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
  // The pixels converted as wandb's to_uint8 converts them.
  std::vector<uint8_t> PixelsAsUint8() const;
  // Checks the boxes and masks against the image's size.
  void CheckOverlays();
  // Writes the boxes' and masks' files; adds wandb's "boxes" and "masks" to `json`.
  void ResolveOverlays(internal::MediaContext& context, Value& json) const;

  ImageOptions options_;
  size_t width_ = 0;
  size_t height_ = 0;
  size_t channels_ = 0;
  std::string format_ = "png";
  // Pixels as given, height x width x channels (channel-first input is reordered on the
  // background thread, with the conversion): a copy shared by copies of this Image, in a
  // buffer used again once the image is written.
  enum class PixelType : uint8_t { kUint8, kFloat, kDouble };
  std::shared_ptr<const uint8_t> pixels_;
  size_t pixel_count_ = 0;
  PixelType pixel_type_ = PixelType::kUint8;
  std::string file_;  // from_file: the source path
};

}  // namespace wandb

#include "wandb/internal/api_end.h"

#endif  // WANDB_IMAGE_H_
