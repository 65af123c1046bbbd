// wandb::Object3D: a 3-D point cloud or scene logged as a .pts.json file (or the model file
// given) under the run's files/media/object3D/, with wandb's "object3D-file" JSON in the row;
// W&B shows it in a 3-D viewer.
//
//   std::vector<float> xyz = ...;                                // n x 3: x, y, z
//   run.log({{"cloud", wandb::Object3D(xyz, {n, 3})}});
//   run.log({{"classes", wandb::Object3D(xyzc, {n, 4})}});      // + a category, 1..14
//   run.log({{"colour", wandb::Object3D(xyzrgb, {n, 6})}});     // + r, g, b in 0..255
//   run.log({{"lidar", wandb::Object3D::scene(xyz, {n, 3},
//                          {.boxes = {{.corners = corners, .label = "car", .color = {0, 255, 0}}},
//                           .vectors = {{.start = {0, 0, 0}, .end = {1, 0, 0}}}})}});
//   run.log({{"mesh", wandb::Object3D::from_file("bunny.obj")}});
//
// Points are float or double, one point after another. A scene is wandb's "lidar/beta" form:
// the points with boxes (8 corners, a label, a colour) and vectors (arrows). Files: obj, gltf,
// glb, babylon, stl, pts.json (wandb's six), copied as they are. Building one copies the
// points; writing the JSON, hashing and writing the file happen on the run's background
// thread, where a point with a NaN or infinite coordinate is left out (one warning per key).
#ifndef WANDB_OBJECT3D_H_
#define WANDB_OBJECT3D_H_

#include <array>
#include <cstddef>
#include <string>
#include <vector>

#include "wandb/media.h"
#include "wandb/value.h"

#include "wandb/internal/api_begin.h"

namespace wandb {

// A box of a scene: its 8 corners (x, y, z), a label, an RGB colour (0..255 each).
struct Box3D {
  std::array<std::array<double, 3>, 8> corners{};
  std::string label{};
  std::array<int, 3> color{255, 255, 255};
};

// An arrow of a scene, from `start` to `end`.
struct Vector3D {
  std::array<double, 3> start{};
  std::array<double, 3> end{};
};

struct Scene3D {
  std::vector<Box3D> boxes{};
  std::vector<Vector3D> vectors{};
};

class WANDB_API Object3D : public Media {
 public:
  // Points of shape {n, 3}, {n, 4} or {n, 6}.
  Object3D(const std::vector<float>& points, const std::vector<size_t>& shape);
  Object3D(const std::vector<double>& points, const std::vector<size_t>& shape);
  Object3D(const float* points, size_t count, const std::vector<size_t>& shape);
  Object3D(const double* points, size_t count, const std::vector<size_t>& shape);

  // wandb's {"type": "lidar/beta", "points", "boxes", "vectors"} scene.
  static Object3D scene(const std::vector<double>& points, const std::vector<size_t>& shape,
                        const Scene3D& scene);
  static Object3D scene(const std::vector<float>& points, const std::vector<size_t>& shape,
                        const Scene3D& scene);

  // A model or point-cloud file: obj, gltf, glb, babylon, stl or pts.json (by its name's
  // ending, any case). It must exist; it is copied into the run when logged.
  static Object3D from_file(const std::string& path);

  // How many points (0 for a file).
  size_t points() const noexcept { return columns_ == 0 ? 0 : points_.size() / columns_; }

  Value Resolve(internal::MediaContext& context) const override;

 private:
  Object3D() = default;
  template <typename T>
  void Init(const T* points, size_t count, const std::vector<size_t>& shape);
  // Makes this a lidar/beta scene of `scene`, checking its boxes and vectors.
  void SetScene(const Scene3D& scene);

  std::vector<double> points_;  // n x columns_
  size_t columns_ = 0;
  bool is_scene_ = false;
  Scene3D scene_;
  std::string file_;       // from_file: the source path
  std::string extension_;  // from_file: what the copy's name ends with
};

}  // namespace wandb

#include "wandb/internal/api_end.h"

#endif  // WANDB_OBJECT3D_H_
