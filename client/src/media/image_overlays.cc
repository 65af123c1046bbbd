#include "client/src/media/image_overlays.h"

#include <algorithm>
#include <cmath>
#include <set>

#include "absl/strings/str_cat.h"
#include "client/src/media/png_codec.h"
#include "common/value/json.h"

namespace wandb::internal {
namespace {

// wandb's names for ids without one: class_<id>, for each id used.
template <typename Ids>
Value ClassLabels(const std::map<int64_t, std::string>& given, const Ids& used) {
  Value::Map labels;
  if (!given.empty()) {
    for (const auto& [id, name] : given) labels.emplace_back(absl::StrCat(id), name);
  } else {
    for (int64_t id : used) labels.emplace_back(absl::StrCat(id), absl::StrCat("class_", id));
  }
  return Value(std::move(labels));
}

// wandb's singleton: config._wandb[kind][<key>_wandb_delimeter_<group>].
void AddClassLabels(MediaContext& context, const std::string& kind, const std::string& group,
                    Value labels) {
  std::string entry = absl::StrCat(context.key(), "_wandb_delimeter_", group);
  context.AddConfig({"_wandb", kind, entry},
                    Value::map({{"type", kind}, {"key", entry}, {"value", std::move(labels)}}));
}

Value BoxJson(const BoundingBox& box, bool pixels) {
  Value json = Value::map(
      {{"position",
        Value::map(
            {{"minX", box.min_x}, {"maxX", box.max_x}, {"minY", box.min_y}, {"maxY", box.max_y}})},
       {"class_id", box.class_id}});
  if (!box.caption.empty()) json.set("box_caption", box.caption);
  if (!box.scores.empty()) {
    Value::Map scores;
    for (const auto& [name, score] : box.scores) scores.emplace_back(name, score);
    json.set("scores", Value(std::move(scores)));
  }
  if (pixels) json.set("domain", "pixel");
  return json;
}

// The file's "_type", "sha256", "size", "path", as wandb's JSONMetadata and ImageMask write.
Value FileJson(const char* type, const MediaFile& file) {
  return Value::map(
      {{"_type", type}, {"sha256", file.sha256}, {"size", file.size}, {"path", file.path}});
}

}  // namespace

std::string CheckBoxGroup(const std::string& name, const BoxGroup& group, size_t width,
                          size_t height) {
  for (size_t i = 0; i < group.boxes.size(); ++i) {
    const BoundingBox& b = group.boxes[i];
    std::string which = absl::StrCat("image: box ", i, " of '", name, "'");
    for (double v : {b.min_x, b.min_y, b.max_x, b.max_y}) {
      if (!std::isfinite(v)) return absl::StrCat(which, " has a coordinate that is not finite");
    }
    for (const auto& [score, value] : b.scores) {
      if (!std::isfinite(value)) return absl::StrCat(which, ": score '", score, "' is not finite");
    }
    if (b.min_x > b.max_x || b.min_y > b.max_y) {
      return absl::StrCat(which, " has its min corner past its max (", b.min_x, ", ", b.min_y,
                          " to ", b.max_x, ", ", b.max_y, ")");
    }
    bool outside = b.min_x < 0 || b.min_y < 0 || b.max_x > 1 || b.max_y > 1;
    if (!group.pixels && outside) {
      return absl::StrCat(which, " is outside the image: its coordinates are fractions 0..1 ",
                          "unless the group's `pixels` is set (an image of ", width, "x", height,
                          ")");
    }
  }
  return "";
}

std::string CheckMask(const std::string& name, const ImageMask& mask, size_t width, size_t height) {
  if (mask.class_ids.size() != width * height) {
    return absl::StrCat("image: mask '", name, "' has ", mask.class_ids.size(),
                        " class ids for an image of ", width, "x", height, ", which needs ",
                        width * height);
  }
  return "";
}

Value WriteBoxGroup(MediaContext& context, const std::string& name, const BoxGroup& group) {
  Value::List boxes;
  std::set<int64_t> ids;
  for (const BoundingBox& box : group.boxes) {
    boxes.push_back(BoxJson(box, group.pixels));
    ids.insert(box.class_id);
  }
  Value labels = ClassLabels(group.class_labels, ids);
  Value content = Value::map({{"box_data", Value(std::move(boxes))}});
  if (!group.class_labels.empty()) content.set("class_labels", labels);
  std::optional<MediaFile> file =
      context.Write("metadata/boxes2D", ".boxes2D.json", json::Encode(content));
  if (!file.has_value()) return Value();
  AddClassLabels(context, "bounding_box/class_labels", name, std::move(labels));
  return FileJson("boxes2D", *file);
}

Value WriteMask(MediaContext& context, const std::string& name, const ImageMask& mask, size_t width,
                size_t height) {
  Pixels grey;
  grey.width = width;
  grey.height = height;
  grey.channels = 1;
  grey.data = mask.class_ids;
  absl::StatusOr<std::string> png = EncodePng(grey);
  if (!png.ok()) {
    context.Error(png.status().message());
    return Value();
  }
  std::optional<MediaFile> file = context.Write("images/mask", ".mask.png", *png);
  if (!file.has_value()) return Value();
  std::set<int64_t> ids(mask.class_ids.begin(), mask.class_ids.end());
  AddClassLabels(context, "mask/class_labels", name, ClassLabels(mask.class_labels, ids));
  return FileJson("mask", *file);
}

}  // namespace wandb::internal
