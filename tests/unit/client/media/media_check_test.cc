// log()'s checks of media values: each problem named with its key.
#include "client/src/media/media_check.h"

#include <catch2/catch.hpp>
#include <string>

#include "wandb/histogram.h"
#include "wandb/image.h"

namespace wandb::internal {
namespace {

std::string Problem(const Value::Map& row) {
  absl::StatusOr<MediaLoad> load = CheckMediaRow(row);
  REQUIRE(!load.ok());
  CHECK(absl::IsInvalidArgument(load.status()));
  return std::string(load.status().message());
}

bool Contains(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

}  // namespace

TEST_CASE("a row's media bytes are counted, a row without media has none") {
  std::vector<uint8_t> pixels(12);
  absl::StatusOr<MediaLoad> load = CheckMediaRow({{"img", Image(pixels, {2, 2, 3})}, {"x", 1}});
  REQUIRE(load.ok());
  CHECK(load->present);
  CHECK(load->bytes == 12);
  load = CheckMediaRow({{"x", 1}, {"y", Value::List{1, 2}}});
  REQUIRE(load.ok());
  CHECK(!load->present);
}

TEST_CASE("bad images are refused naming the key and the problem") {
  std::vector<uint8_t> eleven(11);
  std::string p = Problem({{"img", Image(eleven, {2, 2, 3})}});
  CHECK(Contains(p, "key 'img'"));
  CHECK(Contains(p, "11 pixel values for shape {2, 2, 3}, which needs 12"));
  CHECK(Contains(Problem({{"z", Image(std::vector<uint8_t>{}, {0, 4})}}), "zero-sized"));
  CHECK(Contains(Problem({{"c", Image(std::vector<uint8_t>(8), {2, 2, 2})}}), "2 channels"));
  CHECK(Contains(Problem({{"s", Image(std::vector<uint8_t>(8), {8})}}), "shape {8}"));
  CHECK(Contains(Problem({{"f", Image::from_file("/no/such/file.png")}}), "missing"));
  CHECK(Contains(Problem({{"e", Image::from_file("notes.txt")}}), "unknown extension 'txt'"));
  // Nested and in lists, the top-level key is named.
  CHECK(Contains(Problem({{"outer", Value::map({{"in", Image(eleven, {2, 2, 3})}})}}),
                 "key 'outer'"));
  CHECK(Contains(Problem({{"list", Value::List{Image(eleven, {2, 2, 3})}}}), "key 'list'"));
}

TEST_CASE("bad histograms are refused naming the key") {
  std::vector<double> values{1, 2, 3};
  CHECK(Contains(Problem({{"h", Histogram(values, 513)}}), "num_bins is 513, must be 1 to 512"));
  CHECK(Contains(Problem({{"h", Histogram(values, 0)}}), "num_bins is 0"));
  CHECK(Contains(Problem({{"h", Histogram::from_counts(std::vector<int64_t>{1, 2}, {0, 1})}}),
                 "2 bin edges for 2 counts"));
}

TEST_CASE("keys that would name files outside their folder are refused") {
  std::vector<double> values{1};
  std::vector<uint8_t> pixels(4);
  CHECK(Contains(Problem({{"../up", Image(pixels, {2, 2})}}), "must not be empty, '.' or '..'"));
  CHECK(Contains(Problem({{"a//b", Image(pixels, {2, 2})}}), "key 'a//b'"));
  CHECK(Contains(Problem({{"ok", Value::map({{"..", Image(pixels, {2, 2})}})}}), "key 'ok'"));
}

TEST_CASE("summary values are checked by their dotted path") {
  std::vector<uint8_t> pixels(4);
  absl::StatusOr<MediaLoad> load = CheckMediaSummary({"best", "img"}, Value(Image(pixels, {2, 2})));
  REQUIRE(load.ok());
  CHECK(load->present);
  CHECK(load->bytes == 4);
}

}  // namespace wandb::internal
