// The .pts.json files of wandb::Object3D: a point cloud as a JSON list of points, and a
// "lidar/beta" scene as wandb's object of points, boxes and vectors (its keys sorted, as
// wandb's json.dump(sort_keys=True) writes them). Written compact: a reader parses JSON, and
// a large cloud is a third of the size of wandb's indented file.
#ifndef WANDB_CLIENT_SRC_MEDIA_POINT_CLOUD_JSON_H_
#define WANDB_CLIENT_SRC_MEDIA_POINT_CLOUD_JSON_H_

#include <cstddef>
#include <string>
#include <vector>

#include "wandb/object3d.h"

namespace wandb::internal {

// `points`: n x `columns`. A point with a NaN or infinite coordinate is left out and counted
// in `*dropped`.
std::string PointsJson(const std::vector<double>& points, size_t columns, size_t* dropped);
std::string SceneJson(const std::vector<double>& points, size_t columns, const Scene3D& scene,
                      size_t* dropped);

}  // namespace wandb::internal

#endif  // WANDB_CLIENT_SRC_MEDIA_POINT_CLOUD_JSON_H_
