// wandb::Value from the containers C++ programs hold their numbers in, and from a type of the
// program's own through ValueConverter.
#include <array>
#include <catch2/catch.hpp>
#include <map>
#include <span>
#include <string>
#include <vector>

#include "wandb/value.h"

namespace {

// A stand-in for a tensor type: what a program would log after one specialization.
struct Tensor {
  std::vector<int64_t> shape;
  std::vector<float> data;
};

}  // namespace

template <>
struct wandb::ValueConverter<Tensor> {
  static wandb::Value convert(const Tensor& t) {
    return wandb::Value::Map{{"shape", t.shape},
                             {"values", Value::list(t.data.data(), t.data.size())}};
  }
};

namespace wandb {

TEST_CASE("Value: std::vector and std::array and std::span of numbers are lists") {
  CHECK(Value(std::vector<float>{0.5f, 1.5f}).to_json() == "[0.5, 1.5]");
  CHECK(Value(std::vector<int>{1, 2, 3}).to_json() == "[1, 2, 3]");
  CHECK(Value(std::array<double, 2>{0.25, 4}).to_json() == "[0.25, 4.0]");
  float raw[] = {1, 2, 3};
  CHECK(Value(std::span<const float>(raw, 3)).to_json() == "[1.0, 2.0, 3.0]");
  CHECK(Value(std::span<float, 3>(raw)).to_json() == "[1.0, 2.0, 3.0]");
  const int64_t counts[] = {7, 8};
  CHECK(Value::list(counts, 2).to_json() == "[7, 8]");
  CHECK(Value::list(counts, 0).to_json() == "[]");
}

TEST_CASE("Value: a std::map from std::string keys is a map") {
  std::map<std::string, double> metrics{{"acc", 0.5}, {"loss", 2}};
  Value v = metrics;
  REQUIRE(v.is_map());
  CHECK(v.to_json() == "{\"acc\": 0.5, \"loss\": 2.0}");
  std::map<std::string, std::vector<int>> nested{{"layers", {64, 32}}};
  CHECK(Value(nested).to_json() == "{\"layers\": [64, 32]}");
}

TEST_CASE("Value: a type of the program's own, through ValueConverter") {
  Tensor t{{2}, {0.5f, 1.0f}};
  Value v = t;
  CHECK(v.to_json() == "{\"shape\": [2], \"values\": [0.5, 1.0]}");
  // In a row, beside numbers and brace-initialised maps, as run.log() takes it.
  Value::Map row{{"weights", t}, {"lr", 1e-3}, {"val", {{"acc", 0.9}}}};
  CHECK(Value(row).to_json() ==
        "{\"weights\": {\"shape\": [2], \"values\": [0.5, 1.0]}, \"lr\": 0.001, \"val\": {\"acc\": "
        "0.9}}");
  CHECK(Value(std::vector<Tensor>{t}).as_list().size() == 1);
}

}  // namespace wandb
