// Reduces a series to what a chart of a given width can show, without losing a spike.
//
// W&B's charts sample a long series down to 1,500 points, and a spike that falls between
// samples vanishes (wandb#4177, #4295). Here the x range is cut into one bucket per pixel and
// each bucket keeps its minimum, its maximum and its last point ("full fidelity"): a line
// through those, in x order, covers exactly the pixels the full series would. Zooming in
// asks again for the narrower range, whose buckets hold fewer points, down to the points
// themselves.
#ifndef WANDB_UI_SERVER_SERIES_REDUCER_H_
#define WANDB_UI_SERVER_SERIES_REDUCER_H_

#include <cstdint>
#include <optional>
#include <vector>

#include "absl/types/span.h"

namespace wandb::ui {

struct SeriesPoints {
  std::vector<double> x;
  std::vector<double> y;
};

struct Reduction {
  // The line to draw, in x order: the points themselves when they fit (exact), else per
  // bucket its min and max (in the order they occur) and its last point.
  SeriesPoints line;
  // Per non-empty bucket (only when reduced): the x of its last point and its min, max, last.
  std::vector<double> bucket_x, bucket_min, bucket_max, bucket_last;
  bool exact = true;  // nothing was reduced
  int64_t points_in_range = 0;
  double x_lo = 0, x_hi = 0;  // the range reduced (the data's own when none was asked)
};

struct ReduceOptions {
  int buckets = 1000;
  std::optional<double> x_min, x_max;  // the zoomed range; unset: all of the data
};

// `x` must be sorted ascending (ties allowed) and as long as `y`. Points whose y is NaN or
// infinite are left out (a chart cannot place them). One point on each side of the range is
// kept too, so a zoomed line runs on to the chart's edges.
Reduction ReduceSeries(absl::Span<const double> x, absl::Span<const double> y,
                       const ReduceOptions& options);

// W&B's default smoothing: an exponential moving average with weight `weight` in [0, 1),
// debiased for its start as TensorBoard does (so the first value is not pulled toward 0).
// Non-finite values pass through unsmoothed and do not disturb the average.
std::vector<double> SmoothEma(absl::Span<const double> y, double weight);

}  // namespace wandb::ui

#endif  // WANDB_UI_SERVER_SERIES_REDUCER_H_
