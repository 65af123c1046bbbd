#include "client/src/console.h"

#include <catch2/catch.hpp>
#include <limits>
#include <string>
#include <vector>

namespace wandb::internal {
namespace {

const double kNaN = std::numeric_limits<double>::quiet_NaN();
const double kInf = std::numeric_limits<double>::infinity();

// The eight bar characters, lowest first.
const std::vector<std::string> kBars = {"\xe2\x96\x81", "\xe2\x96\x82", "\xe2\x96\x83",
                                        "\xe2\x96\x84", "\xe2\x96\x85", "\xe2\x96\x86",
                                        "\xe2\x96\x87", "\xe2\x96\x88"};

// Splits a sparkline into its characters, each of which must be one of the bars.
std::vector<int> Levels(const std::string& line) {
  REQUIRE(line.size() % 3 == 0);
  std::vector<int> levels;
  for (size_t i = 0; i < line.size(); i += 3) {
    std::string ch = line.substr(i, 3);
    int level = -1;
    for (size_t b = 0; b < kBars.size(); ++b) {
      if (ch == kBars[b]) level = static_cast<int>(b);
    }
    INFO("character at byte " << i);
    REQUIRE(level >= 0);
    levels.push_back(level);
  }
  return levels;
}

std::vector<double> Ramp(int n) {
  std::vector<double> v;
  for (int i = 0; i < n; ++i) v.push_back(i);
  return v;
}

TEST_CASE("Sparkline: one bar per value, min lowest and max highest", "[console]") {
  CHECK(Sparkline({1, 2, 3, 4, 5, 6, 7, 8}) ==
        "\xe2\x96\x81\xe2\x96\x82\xe2\x96\x83\xe2\x96\x84\xe2\x96\x85\xe2\x96\x86\xe2\x96\x87"
        "\xe2\x96\x88");
  CHECK(Levels(Sparkline({10, 0, 5})) == std::vector<int>{7, 0, 4});
  CHECK(Levels(Sparkline({-1, -3})) == std::vector<int>{7, 0});
  CHECK(Levels(Sparkline({0, 1e-9, 1})) == std::vector<int>{0, 0, 7});
}

TEST_CASE("Sparkline: empty input and flat series", "[console]") {
  CHECK(Sparkline({}).empty());
  CHECK(Sparkline({5}) == kBars[0]);
  CHECK(Sparkline({3, 3, 3}) == kBars[0] + kBars[0] + kBars[0]);
  CHECK(Levels(Sparkline({-2.5, -2.5})) == std::vector<int>{0, 0});
}

TEST_CASE("Sparkline: NaN and infinities are skipped", "[console]") {
  CHECK(Levels(Sparkline({1, kNaN, 2})) == std::vector<int>{0, 7});
  CHECK(Levels(Sparkline({kInf, 1, -kInf, 2, kNaN})) == std::vector<int>{0, 7});
  CHECK(Sparkline({kNaN, kNaN}).empty());
  CHECK(Sparkline({kInf}).empty());
}

// With finite values whose spread overflows a double (hi - lo == inf), (v - lo) / range was
// inf / inf == NaN for the maximum, and converting NaN to int is undefined behaviour (INT_MIN
// on x86-64, clamped to the lowest bar): the maximum was drawn as the minimum.
TEST_CASE("Sparkline: a range too wide for a double still draws min and max", "[console]") {
  CHECK(Levels(Sparkline({-1e308, 0, 1e308})) == std::vector<int>{0, 4, 7});
}

TEST_CASE("Sparkline: at most 40 characters, sampled evenly from the start", "[console]") {
  CHECK(Levels(Sparkline(Ramp(40))).size() == 40);
  CHECK(Levels(Sparkline(Ramp(80))).size() == 40);
  CHECK(Levels(Sparkline(Ramp(41))).size() == 21);
  CHECK(Levels(Sparkline(Ramp(100))).size() == 34);
  CHECK(Levels(Sparkline(Ramp(1000))).size() == 40);
  CHECK(Levels(Sparkline(Ramp(100001))).size() <= 40);
  std::vector<int> levels = Levels(Sparkline(Ramp(1000)));
  CHECK(levels.front() == 0);
  CHECK(levels.back() == 7);
  // A ramp never goes down.
  for (size_t i = 1; i < levels.size(); ++i) CHECK(levels[i] >= levels[i - 1]);
}

}  // namespace
}  // namespace wandb::internal
