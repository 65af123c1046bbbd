#include "ui/server/series_reducer.h"

#include <catch2/catch.hpp>
#include <cmath>
#include <limits>
#include <vector>

namespace wandb::ui {
namespace {

std::vector<double> Range(int n) {
  std::vector<double> v(n);
  for (int i = 0; i < n; ++i) v[i] = i;
  return v;
}

double Max(const std::vector<double>& v) { return *std::max_element(v.begin(), v.end()); }
double Min(const std::vector<double>& v) { return *std::min_element(v.begin(), v.end()); }

}  // namespace

TEST_CASE("ReduceSeries: a series that fits the buckets comes back whole") {
  std::vector<double> x = Range(10), y = Range(10);
  Reduction r = ReduceSeries(x, y, {.buckets = 5});
  CHECK(r.exact);
  CHECK(r.line.x == x);
  CHECK(r.line.y == y);
  CHECK(r.points_in_range == 10);
  CHECK(r.x_lo == 0);
  CHECK(r.x_hi == 9);
  CHECK(r.bucket_x.empty());
}

TEST_CASE("ReduceSeries: one spike among a million points survives, and so does a dip") {
  const int n = 1000000;
  std::vector<double> x = Range(n), y(n, 1.0);
  y[617283] = 1000;
  y[123457] = -5;
  Reduction r = ReduceSeries(x, y, {.buckets = 800});
  CHECK_FALSE(r.exact);
  CHECK(r.points_in_range == n);
  CHECK(r.bucket_x.size() == 800);
  CHECK(r.line.x.size() <= 3 * 800);
  CHECK(Max(r.line.y) == 1000);
  CHECK(Min(r.line.y) == -5);
  CHECK(Max(r.bucket_max) == 1000);
  // The spike is drawn where it happened.
  auto at = std::find(r.line.y.begin(), r.line.y.end(), 1000.0) - r.line.y.begin();
  CHECK(r.line.x[at] == 617283);
  CHECK(std::is_sorted(r.line.x.begin(), r.line.x.end()));
  // The last point of the series is kept.
  CHECK(r.line.x.back() == n - 1);
}

TEST_CASE("ReduceSeries: a zoomed range is reduced on its own, with a point beyond each edge") {
  std::vector<double> x = Range(1000), y = Range(1000);
  Reduction r = ReduceSeries(x, y, {.buckets = 100, .x_min = 500, .x_max = 549});
  CHECK(r.exact);
  CHECK(r.points_in_range == 50);
  REQUIRE(r.line.x.size() == 52);
  CHECK(r.line.x.front() == 499);
  CHECK(r.line.x[1] == 500);
  CHECK(r.line.x.back() == 550);
  CHECK(r.x_lo == 500);
  CHECK(r.x_hi == 549);

  Reduction wide = ReduceSeries(x, y, {.buckets = 10, .x_min = 100, .x_max = 899});
  CHECK_FALSE(wide.exact);
  CHECK(wide.points_in_range == 800);
  CHECK(wide.bucket_x.size() == 10);
  CHECK(wide.line.x.front() == 99);
  CHECK(wide.line.x.back() == 900);
}

TEST_CASE("ReduceSeries: NaN and infinite values are left out, and an empty range is empty") {
  const double nan = std::numeric_limits<double>::quiet_NaN();
  const double inf = std::numeric_limits<double>::infinity();
  std::vector<double> x = {0, 1, 2, 3}, y = {1, nan, inf, 4};
  Reduction r = ReduceSeries(x, y, {.buckets = 10});
  CHECK(r.points_in_range == 2);
  CHECK(r.line.x == std::vector<double>{0, 3});

  Reduction none = ReduceSeries(x, y, {.buckets = 10, .x_min = 10, .x_max = 20});
  CHECK(none.points_in_range == 0);
  CHECK(none.line.x == std::vector<double>{3});  // the point before the range only
  Reduction empty = ReduceSeries({}, {}, {.buckets = 10});
  CHECK(empty.line.x.empty());
}

TEST_CASE("ReduceSeries: points with equal x fall in one bucket") {
  std::vector<double> x(100, 5.0), y = Range(100);
  Reduction r = ReduceSeries(x, y, {.buckets = 10});
  CHECK_FALSE(r.exact);
  CHECK(r.bucket_x.size() == 1);
  CHECK(r.bucket_min[0] == 0);
  CHECK(r.bucket_max[0] == 99);
  CHECK(r.bucket_last[0] == 99);
}

TEST_CASE("SmoothEma: W&B's debiased exponential moving average") {
  std::vector<double> y = {1, 2, 3};
  std::vector<double> s = SmoothEma(y, 0.5);
  // Debiased: the first value is itself, not pulled toward zero.
  CHECK(s[0] == Approx(1));
  CHECK(s[1] == Approx((0.5 * 0.5 * 1 + 0.5 * 2) / 0.75));
  CHECK(s[2] == Approx((0.25 * 0.5 * 1 + 0.25 * 2 + 0.5 * 3) / 0.875));
  CHECK(SmoothEma(y, 0) == y);
  const double nan = std::numeric_limits<double>::quiet_NaN();
  std::vector<double> with_nan = SmoothEma({1, nan, 1}, 0.9);
  CHECK(std::isnan(with_nan[1]));
  CHECK(with_nan[2] == Approx(1));
}

}  // namespace wandb::ui
