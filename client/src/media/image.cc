#include "wandb/image.h"

#include <type_traits>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "client/src/media/buffer_pool.h"
#include "client/src/media/image_header.h"
#include "client/src/media/image_overlays.h"
#include "client/src/media/media_context.h"
#include "client/src/media/pixel_convert.h"
#include "client/src/media/png_codec.h"
#include "common/util/read_file.h"

namespace wandb {
namespace {

constexpr size_t kHeaderBytes = 64 << 10;  // enough for a JPEG's frame header

std::string ShapeText(const std::vector<size_t>& shape) {
  return absl::StrCat("{", absl::StrJoin(shape, ", "), "}");
}

}  // namespace

template <typename T>
void Image::Init(const T* pixels, size_t count, const std::vector<size_t>& shape,
                 const ImageOptions& options) {
  options_ = options;
  set_payload_bytes(count * sizeof(T));
  // {h, w}, {h, w, c} or, channel-first, {c, h, w}; c of 1 is grey (wandb squeezes it).
  size_t h = 0, w = 0, c = 1;
  if (shape.size() == 2) {
    h = shape[0];
    w = shape[1];
  } else if (shape.size() == 3 && options.channels_first) {
    c = shape[0];
    h = shape[1];
    w = shape[2];
  } else if (shape.size() == 3) {
    h = shape[0];
    w = shape[1];
    c = shape[2];
  } else {
    Fail(absl::StrCat("image: shape ", ShapeText(shape),
                      " is not {height, width} or {height, width, channels}"));
    return;
  }
  if (c != 1 && c != 3 && c != 4) {
    Fail(absl::StrCat("image: ", c, " channels in shape ", ShapeText(shape),
                      "; 1 (grey), 3 (RGB) or 4 (RGBA) are supported",
                      options.channels_first ? "" : " (channel-first data needs channels_first)"));
    return;
  }
  if (h == 0 || w == 0) {
    Fail(absl::StrCat("image: zero-sized shape ", ShapeText(shape)));
    return;
  }
  if (h > kMaxDimension || w > kMaxDimension) {
    Fail(absl::StrCat("image: shape ", ShapeText(shape), " is larger than ", kMaxDimension,
                      " pixels on a side"));
    return;
  }
  if (pixels == nullptr || count != h * w * c) {
    Fail(absl::StrCat("image: ", count, " pixel values for shape ", ShapeText(shape),
                      ", which needs ", h * w * c));
    return;
  }
  height_ = h;
  width_ = w;
  channels_ = c;
  pixels_ = internal::PooledCopy(pixels, count * sizeof(T));
  pixel_count_ = count;
  pixel_type_ = std::is_same_v<T, uint8_t> ? PixelType::kUint8
                : std::is_same_v<T, float> ? PixelType::kFloat
                                           : PixelType::kDouble;
  CheckOverlays();
}

std::vector<uint8_t> Image::PixelsAsUint8() const {
  const uint8_t* raw = pixels_.get();
  switch (pixel_type_) {
    case PixelType::kFloat:
      return internal::ToUint8(reinterpret_cast<const float*>(raw), pixel_count_);
    case PixelType::kDouble:
      return internal::ToUint8(reinterpret_cast<const double*>(raw), pixel_count_);
    case PixelType::kUint8:
      break;
  }
  return internal::ToUint8(raw, pixel_count_);
}

void Image::CheckOverlays() {
  for (const auto& [name, group] : options_.boxes) {
    std::string problem = internal::CheckBoxGroup(name, group, width_, height_);
    if (!problem.empty()) return Fail(std::move(problem));
  }
  for (const auto& [name, mask] : options_.masks) {
    std::string problem = internal::CheckMask(name, mask, width_, height_);
    if (!problem.empty()) return Fail(std::move(problem));
  }
}

BoundingBox BoundingBox::centered(double middle_x, double middle_y, double width, double height,
                                  int64_t class_id) {
  BoundingBox box;
  box.min_x = middle_x - width / 2;
  box.max_x = middle_x + width / 2;
  box.min_y = middle_y - height / 2;
  box.max_y = middle_y + height / 2;
  box.class_id = class_id;
  return box;
}

Image::Image(const uint8_t* pixels, size_t count, const std::vector<size_t>& shape,
             const ImageOptions& options) {
  Init(pixels, count, shape, options);
}
Image::Image(const std::vector<uint8_t>& pixels, const std::vector<size_t>& shape,
             const ImageOptions& options) {
  Init(pixels.data(), pixels.size(), shape, options);
}
Image::Image(const float* pixels, size_t count, const std::vector<size_t>& shape,
             const ImageOptions& options) {
  Init(pixels, count, shape, options);
}
Image::Image(const std::vector<float>& pixels, const std::vector<size_t>& shape,
             const ImageOptions& options) {
  Init(pixels.data(), pixels.size(), shape, options);
}
Image::Image(const double* pixels, size_t count, const std::vector<size_t>& shape,
             const ImageOptions& options) {
  Init(pixels, count, shape, options);
}
Image::Image(const std::vector<double>& pixels, const std::vector<size_t>& shape,
             const ImageOptions& options) {
  Init(pixels.data(), pixels.size(), shape, options);
}

Image Image::from_file(const std::string& path, const ImageOptions& options) {
  Image image;
  image.options_ = options;
  image.file_ = path;
  std::string ext = internal::FileExtension(path);
  std::string format = internal::ImageFormatForExtension(ext);
  if (format.empty()) {
    image.Fail(absl::StrCat("image file ", path, ": unknown extension '", ext,
                            "' (png, jpg, jpeg, gif or bmp)"));
    return image;
  }
  image.format_ = ext;  // wandb keeps the extension as written
  absl::StatusOr<std::string> head = ReadFilePrefix(path, kHeaderBytes);
  if (!head.ok()) {
    image.Fail(absl::StrCat("image file ", path, ": missing or unreadable"));
    return image;
  }
  absl::StatusOr<internal::ImageSize> size = internal::ReadImageSize(format, *head);
  if (!size.ok()) {
    image.Fail(absl::StrCat("image file ", path, ": ", size.status().message()));
    return image;
  }
  image.width_ = size->width;
  image.height_ = size->height;
  image.CheckOverlays();
  return image;
}

Value Image::Resolve(internal::MediaContext& context) const {
  std::optional<internal::MediaFile> file;
  if (!file_.empty()) {
    file = context.Copy("images", absl::StrCat(".", internal::FileExtension(file_)), file_);
  } else {
    internal::Pixels png;
    png.width = width_;
    png.height = height_;
    png.channels = channels_;
    png.data = PixelsAsUint8();
    if (options_.channels_first && channels_ > 1) {
      png.data = internal::ChannelsLast(png.data, channels_, height_, width_);
    }
    absl::StatusOr<std::string> bytes = internal::EncodePng(png);
    if (!bytes.ok()) {
      context.Error(bytes.status().message());
      return Value();
    }
    file = context.Write("images", ".png", *bytes);
  }
  if (!file.has_value()) return Value();
  // wandb's key order: Media's fields, then the image's.
  Value json = Value::map({{"_type", "image-file"},
                           {"sha256", file->sha256},
                           {"size", file->size},
                           {"path", file->path},
                           {"format", format_},
                           {"width", static_cast<int64_t>(width_)},
                           {"height", static_cast<int64_t>(height_)}});
  if (options_.grouping.has_value() && *options_.grouping != 0) {
    json.set("grouping", *options_.grouping);
  }
  if (options_.caption.has_value() && !options_.caption->empty()) {
    json.set("caption", *options_.caption);
  }
  ResolveOverlays(context, json);
  return json;
}

void Image::ResolveOverlays(internal::MediaContext& context, Value& json) const {
  if (!options_.boxes.empty()) {
    Value::Map boxes;
    for (const auto& [name, group] : options_.boxes) {
      boxes.emplace_back(name, internal::WriteBoxGroup(context, name, group));
    }
    json.set("boxes", Value(std::move(boxes)));
  }
  if (!options_.masks.empty()) {
    Value::Map masks;
    for (const auto& [name, mask] : options_.masks) {
      masks.emplace_back(name, internal::WriteMask(context, name, mask, width_, height_));
    }
    json.set("masks", Value(std::move(masks)));
  }
}

}  // namespace wandb
