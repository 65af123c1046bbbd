#include "client/src/media/histogram_bins.h"

#include <algorithm>
#include <cmath>
#include <limits>

namespace wandb::internal {
namespace {

// numpy.linspace(first, last, n + 1): i * step + first, the last edge exactly `last`.
std::vector<double> Edges(double first, double last, int num_bins, bool as_float) {
  std::vector<double> edges(static_cast<size_t>(num_bins) + 1);
  double step = (last - first) / num_bins;
  for (int i = 0; i < num_bins; ++i) edges[i] = i * step + first;
  edges[num_bins] = last;
  if (as_float) {
    for (double& e : edges) e = static_cast<float>(e);
  }
  return edges;
}

template <typename T>
HistogramBins Compute(const T* values, size_t count, int num_bins, bool as_float) {
  HistogramBins out;
  double lo = std::numeric_limits<double>::infinity();
  double hi = -lo;
  for (size_t i = 0; i < count; ++i) {
    double v = values[i];
    if (!std::isfinite(v)) {
      ++out.non_finite;
      continue;
    }
    lo = std::min(lo, v);
    hi = std::max(hi, v);
  }
  if (lo > hi) {  // nothing finite: numpy's range for an empty array
    lo = 0;
    hi = 1;
  } else if (lo == hi) {
    lo -= 0.5;
    hi += 0.5;
  }
  if (as_float) {
    lo = static_cast<float>(lo);
    hi = static_cast<float>(hi);
  }
  out.edges = Edges(lo, hi, num_bins, as_float);
  out.counts.assign(static_cast<size_t>(num_bins), 0);
  const double norm = num_bins / (hi - lo);
  const std::vector<double>& edges = out.edges;
  for (size_t i = 0; i < count; ++i) {
    double v = values[i];
    if (!std::isfinite(v)) continue;
    // numpy's fast path: the bin from the scaled offset, then corrected by one either way
    // where rounding put the value beside the edges linspace computed.
    auto bin = static_cast<int64_t>((v - lo) * norm);
    if (bin >= num_bins) bin = num_bins - 1;
    if (bin > 0 && v < edges[bin]) --bin;
    if (bin < num_bins - 1 && v >= edges[bin + 1]) ++bin;
    ++out.counts[static_cast<size_t>(bin)];
  }
  return out;
}

}  // namespace

HistogramBins ComputeHistogram(const double* values, size_t count, int num_bins) {
  return Compute(values, count, num_bins, false);
}

HistogramBins ComputeHistogram(const float* values, size_t count, int num_bins) {
  return Compute(values, count, num_bins, true);
}

}  // namespace wandb::internal
