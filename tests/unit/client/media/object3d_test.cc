// wandb::Object3D: the checks when it is built, the .pts.json of a point cloud and of a
// "lidar/beta" scene, files copied with wandb's names, and the "object3D" batch a list
// becomes, as wandb 0.12.21's Object3D writes them.
#include "wandb/object3d.h"

#include <catch2/catch.hpp>
#include <limits>
#include <string>
#include <vector>

#include "client/src/media/media_resolver.h"
#include "client/src/media/sha256.h"
#include "common/value/json.h"
#include "tests/support/media_reports.h"
#include "tests/support/temp_dir.h"

namespace wandb::internal {
namespace {

using testing::ReadBytes;
using testing::TempDir;
using testing::WriteBytes;
using Reports = testing::MediaReports;

}  // namespace

TEST_CASE("Object3D checks the shape of its points and a file's type and presence") {
  CHECK(Object3D(std::vector<float>{1, 2, 3, 4, 5, 6}, {2, 3}).problem().empty());
  CHECK(Object3D(std::vector<double>(12), {3, 4}).problem().empty());
  CHECK(Object3D(std::vector<double>(12), {2, 6}).problem().empty());
  CHECK_THAT(Object3D(std::vector<float>(10), {2, 5}).problem(),
             Catch::Contains("{2, 5} is not {n, 3}"));
  CHECK_THAT(Object3D(std::vector<float>(5), {2, 3}).problem(),
             Catch::Contains("5 values for shape {2, 3}, which needs 6"));
  Box3D bad;
  bad.color = {0, 300, 0};
  CHECK_THAT(Object3D::scene(std::vector<float>(3), {1, 3}, {.boxes = {bad}}).problem(),
             Catch::Contains("box 0's colour 0, 300, 0"));
  TempDir dir;
  WriteBytes(dir.File("bunny.OBJ"), "v 0 0 0\n");
  CHECK(Object3D::from_file(dir.File("bunny.OBJ")).problem().empty());
  CHECK_THAT(Object3D::from_file(dir.File("bunny.ply")).problem(),
             Catch::Contains("not obj, gltf, glb, babylon, stl or pts.json"));
  CHECK_THAT(Object3D::from_file(dir.File("none.glb")).problem(), Catch::Contains("missing"));
}

TEST_CASE("a point cloud becomes a .pts.json list of points and wandb's object3D-file JSON") {
  TempDir dir;
  Reports reports;
  MediaResolver resolver(dir.path(), &reports.reporter);
  const double nan = std::numeric_limits<double>::quiet_NaN();
  Value::Map row{{"cloud", Object3D(std::vector<double>{0, 1, 2, 0.5, -1, 3, nan, 0, 0}, {3, 3})},
                 {"rgb", Object3D(std::vector<float>{1, 2, 3, 255, 0, 10}, {1, 6})}};
  std::vector<std::string> written = resolver.ResolveRow(row, 4);

  REQUIRE(written.size() == 2);
  const std::string points = "[[0.0,1.0,2.0],[0.5,-1.0,3.0]]";  // the NaN point left out
  const std::string sha = Sha256Hex(points);
  const std::string path = "media/object3D/cloud_4_" + sha.substr(0, 20) + ".pts.json";
  CHECK(written[0] == path);
  CHECK(ReadBytes(dir.File(path)) == points);
  CHECK(row[0].second.to_json() == "{\"_type\": \"object3D-file\", \"sha256\": \"" + sha +
                                       "\", \"size\": " + std::to_string(points.size()) +
                                       ", \"path\": \"" + path + "\"}");
  CHECK(ReadBytes(dir.File(written[1])) == "[[1.0,2.0,3.0,255.0,0.0,10.0]]");
  REQUIRE(reports.warnings.size() == 1);
  CHECK_THAT(reports.warnings[0], Catch::Contains("cloud: 1 points with NaN"));
}

TEST_CASE("a scene becomes wandb's lidar/beta object with its keys sorted") {
  TempDir dir;
  Reports reports;
  MediaResolver resolver(dir.path(), &reports.reporter);
  Box3D box;
  for (size_t i = 0; i < 8; ++i)
    box.corners[i] = {double(i & 1), double((i >> 1) & 1), double(i >> 2)};
  box.label = "car";
  box.color = {0, 255, 0};
  Value::Map row{{"lidar", Object3D::scene(std::vector<float>{1, 2, 3}, {1, 3},
                                           {.boxes = {box}, .vectors = {{{0, 0, 0}, {1, 0, 0}}}})}};
  std::vector<std::string> written = resolver.ResolveRow(row, 0);
  REQUIRE(written.size() == 1);
  std::string text = ReadBytes(dir.File(written[0]));
  CHECK(
      text ==
      "{\"boxes\":[{\"color\":[0,255,0],\"corners\":[[0.0,0.0,0.0],[1.0,0.0,0.0],[0.0,1.0,0.0],"
      "[1.0,1.0,0.0],[0.0,0.0,1.0],[1.0,0.0,1.0],[0.0,1.0,1.0],[1.0,1.0,1.0]],\"label\":\"car\"}],"
      "\"points\":[[1.0,2.0,3.0]],\"type\":\"lidar/beta\","
      "\"vectors\":[{\"end\":[1.0,0.0,0.0],\"start\":[0.0,0.0,0.0]}]}");
  CHECK(json::Parse(text).ok());
}

TEST_CASE("an Object3D file is copied under wandb's name and a list becomes an object3D batch") {
  TempDir dir;
  Reports reports;
  MediaResolver resolver(dir.path(), &reports.reporter);
  WriteBytes(dir.File("scan.pts.json"), "[[1,2,3]]");
  WriteBytes(dir.File("bunny.glb"), "glTF binary");
  Value::Map row{{"scans", Value::List{Object3D::from_file(dir.File("scan.pts.json")),
                                       Object3D::from_file(dir.File("bunny.glb"))}}};
  std::vector<std::string> written = resolver.ResolveRow(row, 2);
  REQUIRE(written.size() == 2);
  // wandb names the copy by the last extension only.
  const std::string scan = "scans_2_" + Sha256Hex("[[1,2,3]]").substr(0, 20) + ".json";
  const std::string bunny = "scans_2_" + Sha256Hex("glTF binary").substr(0, 20) + ".glb";
  CHECK(written[0] == "media/object3D/" + scan);
  CHECK(ReadBytes(dir.File(written[1])) == "glTF binary");
  const Value& batch = row[0].second;
  CHECK(*batch.find("_type") == Value("object3D"));
  CHECK(batch.find("filenames")->to_json() == "[\"" + scan + "\", \"" + bunny + "\"]");
  CHECK(*batch.find("count") == Value(2));
  CHECK(*batch.find("objects")->as_list()[1].find("path") == Value("media/object3D/" + bunny));
  CHECK(reports.errors.empty());
}

}  // namespace wandb::internal
