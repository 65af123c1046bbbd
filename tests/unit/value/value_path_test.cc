#include "common/value/value_path.h"

#include <catch2/catch.hpp>
#include <string>
#include <vector>

namespace wandb {

TEST_CASE("SetAtPath makes maps on the way and replaces a non-map") {
  Value root = Value::Map{{"a", Value::Map{{"b", 1}}}, {"x", 5}};
  std::vector<std::string> ac = {"a", "c"};
  SetAtPath(&root, ac.begin(), ac.end(), Value(2));
  std::vector<std::string> xyz = {"x", "y", "z"};
  SetAtPath(&root, xyz.begin(), xyz.end(), Value("v"));
  CHECK(root.to_json() == R"({"a": {"b": 1, "c": 2}, "x": {"y": {"z": "v"}}})");
}

TEST_CASE("EraseAtPath removes the leaf and ignores a missing path") {
  Value root = Value::Map{{"a", Value::Map{{"b", 1}, {"c", 2}}}};
  std::vector<std::string> ab = {"a", "b"};
  EraseAtPath(&root, ab.begin(), ab.end());
  std::vector<std::string> missing = {"q", "r"};
  EraseAtPath(&root, missing.begin(), missing.end());
  CHECK(root.to_json() == R"({"a": {"c": 2}})");
}

}  // namespace wandb
