// wandb::Histogram: a distribution logged as wandb's histogram JSON,
// {"_type": "histogram", "values": [counts], "bins": [edges]}.
//
//   run.log({{"gradients", wandb::Histogram(grads)}});              // 64 bins
//   run.log({{"weights", wandb::Histogram(weights, 128)}});
//   run.log({{"counts", wandb::Histogram::from_counts({3, 3, 4}, {0, 3, 6, 9})}});
//
// Bins are numpy.histogram's: `num_bins` equal bins from the smallest value to the largest
// (half a unit either side when they are all equal). NaN and infinite values are left out and
// counted, with one warning per key. The counting happens on the run's background thread;
// building one costs a copy of the values.
#ifndef WANDB_HISTOGRAM_H_
#define WANDB_HISTOGRAM_H_

#include <cstddef>
#include <cstdint>
#include <variant>
#include <vector>

#include "wandb/media.h"
#include "wandb/value.h"

#include "wandb/internal/api_begin.h"

namespace wandb {

class WANDB_API Histogram : public Media {
 public:
  static constexpr int kDefaultBins = 64;
  static constexpr int kMaxBins = 512;  // wandb's MAX_LENGTH

  // From values (wandb.Histogram(sequence, num_bins)). `num_bins` from 1 to kMaxBins.
  explicit Histogram(const std::vector<double>& values, int num_bins = kDefaultBins);
  explicit Histogram(const std::vector<float>& values, int num_bins = kDefaultBins);
  Histogram(const double* values, size_t count, int num_bins = kDefaultBins);
  // Edges are computed in double and rounded to float, as numpy does for float32 data.
  Histogram(const float* values, size_t count, int num_bins = kDefaultBins);

  // From precomputed counts and bin edges (wandb.Histogram(np_histogram=(counts, edges))):
  // edges.size() must be counts.size() + 1, and counts at most kMaxBins.
  static Histogram from_counts(const std::vector<int64_t>& counts,
                               const std::vector<double>& edges);
  static Histogram from_counts(const std::vector<double>& counts, const std::vector<double>& edges);

  Value Resolve(internal::MediaContext& context) const override;

 private:
  Histogram() = default;
  void Check(int num_bins);

  int num_bins_ = kDefaultBins;
  std::variant<std::vector<double>, std::vector<float>> values_;
  // Set when built from counts: the JSON is known already.
  Value counts_;
  Value edges_;
  bool precomputed_ = false;
};

}  // namespace wandb

#include "wandb/internal/api_end.h"

#endif  // WANDB_HISTOGRAM_H_
