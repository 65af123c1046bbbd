// numpy.histogram(values, bins=n) for equal-width bins, as wandb.Histogram calls it: the
// range is [min, max] of the values (min - 0.5 .. max + 0.5 when they are all equal), the
// edges are numpy.linspace's, every bin is half-open except the last, which holds max.
// Unlike numpy, non-finite values are left out (and counted) instead of raising.
#ifndef WANDB_CLIENT_SRC_MEDIA_HISTOGRAM_BINS_H_
#define WANDB_CLIENT_SRC_MEDIA_HISTOGRAM_BINS_H_

#include <cstddef>
#include <cstdint>
#include <vector>

namespace wandb::internal {

struct HistogramBins {
  std::vector<int64_t> counts;  // num_bins of them
  std::vector<double> edges;    // num_bins + 1
  size_t non_finite = 0;        // values left out
};

// `num_bins` >= 1. No finite values: numpy's empty-range rule, [0, 1].
HistogramBins ComputeHistogram(const double* values, size_t count, int num_bins);
// float32 data: numpy's edges are float32, so they are rounded to float.
HistogramBins ComputeHistogram(const float* values, size_t count, int num_bins);

}  // namespace wandb::internal

#endif  // WANDB_CLIENT_SRC_MEDIA_HISTOGRAM_BINS_H_
