// numpy.histogram's bins, worked out by hand from numpy's rules (linspace edges, half-open
// bins but the last, the all-equal and empty ranges).
#include "client/src/media/histogram_bins.h"

#include <catch2/catch.hpp>
#include <cmath>
#include <limits>
#include <vector>

namespace wandb::internal {
namespace {

HistogramBins Of(const std::vector<double>& values, int bins) {
  return ComputeHistogram(values.data(), values.size(), bins);
}

}  // namespace

TEST_CASE("0..9 in 3 bins: edges 0, 3, 6, 9, the last bin holds 9") {
  HistogramBins h = Of({0, 1, 2, 3, 4, 5, 6, 7, 8, 9}, 3);
  CHECK(h.edges == std::vector<double>{0, 3, 6, 9});
  CHECK(h.counts == std::vector<int64_t>{3, 3, 4});
  CHECK(h.non_finite == 0);
}

TEST_CASE("equal values get half a unit either side, as numpy does") {
  HistogramBins h = Of({2, 2, 2}, 4);
  CHECK(h.edges == std::vector<double>{1.5, 1.75, 2.0, 2.25, 2.5});
  CHECK(h.counts == std::vector<int64_t>{0, 0, 3, 0});
}

TEST_CASE("no values: numpy's range 0..1, every count 0") {
  HistogramBins h = Of({}, 2);
  CHECK(h.edges == std::vector<double>{0, 0.5, 1});
  CHECK(h.counts == std::vector<int64_t>{0, 0});
}

TEST_CASE("non-finite values are left out and counted") {
  double inf = std::numeric_limits<double>::infinity();
  HistogramBins h = Of({1, std::nan(""), 3, inf, -inf}, 2);
  CHECK(h.edges == std::vector<double>{1, 2, 3});
  CHECK(h.counts == std::vector<int64_t>{1, 1});
  CHECK(h.non_finite == 3);
}

TEST_CASE("edges are linspace's i * step + first, and values land by them") {
  // step = (0.3 - 0.1) / 3 = 0.06666666666666667; 0.2 is just above the second edge.
  HistogramBins h = Of({0.1, 0.2, 0.3}, 3);
  CHECK(h.edges == std::vector<double>{0.1, 0.16666666666666669, 0.23333333333333334, 0.3});
  CHECK(h.counts == std::vector<int64_t>{1, 1, 1});
}

TEST_CASE("float data gets float edges, as numpy's float32 histogram") {
  std::vector<float> values{0.0f, 1.0f, 0.5f};
  HistogramBins h = ComputeHistogram(values.data(), values.size(), 3);
  CHECK(h.edges == std::vector<double>{0, 0.3333333432674408, 0.6666666865348816, 1});
  CHECK(h.counts == std::vector<int64_t>{1, 1, 1});
}

TEST_CASE("a value on an inner edge goes to the bin above it") {
  HistogramBins h = Of({0, 1, 2, 4}, 4);
  CHECK(h.edges == std::vector<double>{0, 1, 2, 3, 4});
  CHECK(h.counts == std::vector<int64_t>{1, 1, 1, 1});
}

}  // namespace wandb::internal
