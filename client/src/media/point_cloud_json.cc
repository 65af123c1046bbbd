#include "client/src/media/point_cloud_json.h"

#include <cmath>

#include "absl/strings/str_cat.h"
#include "common/value/json.h"

namespace wandb::internal {
namespace {

template <typename Numbers>
void AppendList(const Numbers& numbers, std::string* out) {
  out->push_back('[');
  bool first = true;
  for (auto n : numbers) {
    if (!first) out->push_back(',');
    first = false;
    if constexpr (std::is_integral_v<decltype(n)>) {
      absl::StrAppend(out, n);
    } else {
      json::AppendDouble(n, out);
    }
  }
  out->push_back(']');
}

void AppendPoints(const std::vector<double>& points, size_t columns, size_t* dropped,
                  std::string* out) {
  out->push_back('[');
  bool first = true;
  for (size_t at = 0; at + columns <= points.size(); at += columns) {
    bool finite = true;
    for (size_t c = 0; c < columns; ++c) finite = finite && std::isfinite(points[at + c]);
    if (!finite) {
      ++*dropped;
      continue;
    }
    if (!first) out->push_back(',');
    first = false;
    out->push_back('[');
    for (size_t c = 0; c < columns; ++c) {
      if (c > 0) out->push_back(',');
      json::AppendDouble(points[at + c], out);
    }
    out->push_back(']');
  }
  out->push_back(']');
}

void AppendBox(const Box3D& box, std::string* out) {
  out->append("{\"color\":");
  AppendList(box.color, out);
  out->append(",\"corners\":[");
  for (size_t i = 0; i < box.corners.size(); ++i) {
    if (i > 0) out->push_back(',');
    AppendList(box.corners[i], out);
  }
  out->append("],\"label\":");
  json::AppendQuoted(box.label, out);
  out->push_back('}');
}

void AppendVector(const Vector3D& vector, std::string* out) {
  out->append("{\"end\":");
  AppendList(vector.end, out);
  out->append(",\"start\":");
  AppendList(vector.start, out);
  out->push_back('}');
}

}  // namespace

std::string PointsJson(const std::vector<double>& points, size_t columns, size_t* dropped) {
  std::string out;
  out.reserve(points.size() * 12);
  AppendPoints(points, columns, dropped, &out);
  return out;
}

std::string SceneJson(const std::vector<double>& points, size_t columns, const Scene3D& scene,
                      size_t* dropped) {
  std::string out = "{\"boxes\":[";
  for (size_t i = 0; i < scene.boxes.size(); ++i) {
    if (i > 0) out.push_back(',');
    AppendBox(scene.boxes[i], &out);
  }
  out.append("],\"points\":");
  AppendPoints(points, columns, dropped, &out);
  out.append(",\"type\":\"lidar/beta\",\"vectors\":[");
  for (size_t i = 0; i < scene.vectors.size(); ++i) {
    if (i > 0) out.push_back(',');
    AppendVector(scene.vectors[i], &out);
  }
  out.append("]}");
  return out;
}

}  // namespace wandb::internal
