#include "ui/server/series_reducer.h"

#include <algorithm>
#include <cmath>

namespace wandb::ui {
namespace {

// One bucket being filled: the indices of its min, max and last point.
struct Bucket {
  int64_t index = -1;
  size_t min = 0, max = 0, last = 0;
};

void Emit(absl::Span<const double> x, absl::Span<const double> y, size_t i, SeriesPoints* line) {
  line->x.push_back(x[i]);
  line->y.push_back(y[i]);
}

void Flush(const Bucket& b, absl::Span<const double> x, absl::Span<const double> y,
           Reduction* out) {
  if (b.index < 0) return;
  const size_t first = std::min(b.min, b.max);
  const size_t second = std::max(b.min, b.max);
  Emit(x, y, first, &out->line);
  if (second != first) Emit(x, y, second, &out->line);
  if (b.last != second) Emit(x, y, b.last, &out->line);
  out->bucket_x.push_back(x[b.last]);
  out->bucket_min.push_back(y[b.min]);
  out->bucket_max.push_back(y[b.max]);
  out->bucket_last.push_back(y[b.last]);
}

}  // namespace

Reduction ReduceSeries(absl::Span<const double> x, absl::Span<const double> y,
                       const ReduceOptions& options) {
  Reduction out;
  const size_t n = std::min(x.size(), y.size());
  auto finite = [&](size_t i) { return std::isfinite(y[i]) && std::isfinite(x[i]); };
  size_t begin = 0, end = n;
  if (options.x_min.has_value()) {
    begin = std::lower_bound(x.begin(), x.begin() + n, *options.x_min) - x.begin();
  }
  if (options.x_max.has_value()) {
    end = std::upper_bound(x.begin(), x.begin() + n, *options.x_max) - x.begin();
  }
  if (end < begin) end = begin;

  size_t first = n, last = n;  // the first and last finite points in range
  for (size_t i = begin; i < end; ++i) {
    if (!finite(i)) continue;
    if (first == n) first = i;
    last = i;
    ++out.points_in_range;
  }
  out.x_lo = options.x_min.value_or(first < n ? x[first] : 0);
  out.x_hi = options.x_max.value_or(last < n ? x[last] : 0);

  // The nearest finite points outside a zoomed range, so the line reaches the edges.
  std::optional<size_t> before, after;
  if (options.x_min.has_value()) {
    for (size_t i = begin; i-- > 0;) {
      if (finite(i)) {
        before = i;
        break;
      }
    }
  }
  if (options.x_max.has_value()) {
    for (size_t i = end; i < n; ++i) {
      if (finite(i)) {
        after = i;
        break;
      }
    }
  }

  if (before.has_value()) Emit(x, y, *before, &out.line);
  const int buckets = std::max(1, options.buckets);
  if (out.points_in_range <= 2 * static_cast<int64_t>(buckets)) {
    for (size_t i = begin; i < end; ++i) {
      if (finite(i)) Emit(x, y, i, &out.line);
    }
  } else {
    out.exact = false;
    const double lo = x[first];
    const double width = x[last] - lo;
    Bucket bucket;
    for (size_t i = first; i <= last; ++i) {
      if (!finite(i)) continue;
      int64_t index = width > 0 ? static_cast<int64_t>((x[i] - lo) / width * buckets) : 0;
      index = std::min<int64_t>(index, buckets - 1);
      if (index != bucket.index) {
        Flush(bucket, x, y, &out);
        bucket = {index, i, i, i};
        continue;
      }
      if (y[i] < y[bucket.min]) bucket.min = i;
      if (y[i] > y[bucket.max]) bucket.max = i;
      bucket.last = i;
    }
    Flush(bucket, x, y, &out);
  }
  if (after.has_value()) Emit(x, y, *after, &out.line);
  return out;
}

std::vector<double> SmoothEma(absl::Span<const double> y, double weight) {
  std::vector<double> out(y.size());
  weight = std::clamp(weight, 0.0, 0.999);
  double average = 0, debias = 0;
  for (size_t i = 0; i < y.size(); ++i) {
    if (!std::isfinite(y[i])) {
      out[i] = y[i];
      continue;
    }
    average = average * weight + (1 - weight) * y[i];
    debias = debias * weight + (1 - weight);
    out[i] = average / debias;
  }
  return out;
}

}  // namespace wandb::ui
