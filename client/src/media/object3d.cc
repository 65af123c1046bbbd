#include "wandb/object3d.h"

#include <unistd.h>

#include <array>
#include <cmath>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "client/src/media/media_context.h"
#include "client/src/media/point_cloud_json.h"

namespace wandb {
namespace {

// wandb's Object3D.SUPPORTED_TYPES, matched against the end of a file's name.
constexpr std::array<const char*, 6> kFileTypes = {"pts.json", "obj",     "gltf",
                                                   "glb",      "babylon", "stl"};

}  // namespace

template <typename T>
void Object3D::Init(const T* points, size_t count, const std::vector<size_t>& shape) {
  set_payload_bytes(count * sizeof(double));
  std::string text = absl::StrCat("{", absl::StrJoin(shape, ", "), "}");
  if (shape.size() != 2 || (shape[1] != 3 && shape[1] != 4 && shape[1] != 6)) {
    Fail(absl::StrCat("object3D: shape ", text,
                      " is not {n, 3} (x y z), {n, 4} (x y z category) or {n, 6} (x y z r g b)"));
    return;
  }
  if (points == nullptr || count != shape[0] * shape[1]) {
    Fail(absl::StrCat("object3D: ", count, " values for shape ", text, ", which needs ",
                      shape[0] * shape[1]));
    return;
  }
  columns_ = shape[1];
  points_.assign(points, points + count);
}

Object3D::Object3D(const std::vector<float>& points, const std::vector<size_t>& shape) {
  Init(points.data(), points.size(), shape);
}
Object3D::Object3D(const std::vector<double>& points, const std::vector<size_t>& shape) {
  Init(points.data(), points.size(), shape);
}
Object3D::Object3D(const float* points, size_t count, const std::vector<size_t>& shape) {
  Init(points, count, shape);
}
Object3D::Object3D(const double* points, size_t count, const std::vector<size_t>& shape) {
  Init(points, count, shape);
}

Object3D Object3D::scene(const std::vector<double>& points, const std::vector<size_t>& shape,
                         const Scene3D& scene) {
  Object3D object(points, shape);
  object.SetScene(scene);
  return object;
}

Object3D Object3D::scene(const std::vector<float>& points, const std::vector<size_t>& shape,
                         const Scene3D& scene) {
  Object3D object(points, shape);
  object.SetScene(scene);
  return object;
}

void Object3D::SetScene(const Scene3D& scene) {
  is_scene_ = true;
  scene_ = scene;
  for (size_t i = 0; i < scene_.boxes.size(); ++i) {
    const Box3D& box = scene_.boxes[i];
    for (int c : box.color) {
      if (c < 0 || c > 255) {
        Fail(absl::StrCat("object3D: box ", i, "'s colour ", absl::StrJoin(box.color, ", "),
                          " is not RGB in 0..255"));
        return;
      }
    }
    for (const auto& corner : box.corners) {
      for (double v : corner) {
        if (!std::isfinite(v)) {
          Fail(absl::StrCat("object3D: box ", i, " has a corner that is not finite"));
          return;
        }
      }
    }
  }
  for (size_t i = 0; i < scene_.vectors.size(); ++i) {
    for (double v : scene_.vectors[i].start) {
      if (!std::isfinite(v)) Fail(absl::StrCat("object3D: vector ", i, " is not finite"));
    }
    for (double v : scene_.vectors[i].end) {
      if (!std::isfinite(v)) Fail(absl::StrCat("object3D: vector ", i, " is not finite"));
    }
  }
}

Object3D Object3D::from_file(const std::string& path) {
  Object3D object;
  object.file_ = path;
  std::string lower = absl::AsciiStrToLower(path);
  bool known = false;
  for (const char* type : kFileTypes)
    known = known || absl::EndsWith(lower, absl::StrCat(".", type));
  if (!known) {
    object.Fail(
        absl::StrCat("object3D file ", path, ": not obj, gltf, glb, babylon, stl or pts.json"));
    return object;
  }
  if (access(path.c_str(), R_OK) != 0) {
    object.Fail(absl::StrCat("object3D file ", path, ": missing or unreadable"));
    return object;
  }
  // wandb names the copy by the file's last extension: a .pts.json file becomes .json.
  object.extension_ = absl::StrCat(".", internal::FileExtension(path));
  return object;
}

Value Object3D::Resolve(internal::MediaContext& context) const {
  std::optional<internal::MediaFile> file;
  if (!file_.empty()) {
    file = context.Copy("object3D", extension_, file_);
  } else {
    size_t dropped = 0;
    std::string json = is_scene_ ? internal::SceneJson(points_, columns_, scene_, &dropped)
                                 : internal::PointsJson(points_, columns_, &dropped);
    if (dropped > 0) {
      context.WarnOnce("object3d-non-finite",
                       absl::StrCat(dropped, " points with NaN or infinite coordinates left out"));
    }
    file = context.Write("object3D", ".pts.json", json);
  }
  if (!file.has_value()) return Value();
  return Value::map({{"_type", "object3D-file"},
                     {"sha256", file->sha256},
                     {"size", file->size},
                     {"path", file->path}});
}

}  // namespace wandb
