#include "wandb/histogram.h"

#include <algorithm>

#include "absl/strings/str_cat.h"
#include "client/src/media/histogram_bins.h"
#include "client/src/media/media_context.h"

namespace wandb {
namespace {

template <typename T>
Value::List ToList(const std::vector<T>& items) {
  Value::List list;
  list.reserve(items.size());
  for (const T& item : items) list.emplace_back(item);
  return list;
}

template <typename T>
std::vector<T> Copy(const T* values, size_t count) {
  return values == nullptr ? std::vector<T>() : std::vector<T>(values, values + count);
}

}  // namespace

Histogram::Histogram(const std::vector<double>& values, int num_bins)
    : Histogram(values.data(), values.size(), num_bins) {}

Histogram::Histogram(const std::vector<float>& values, int num_bins)
    : Histogram(values.data(), values.size(), num_bins) {}

Histogram::Histogram(const double* values, size_t count, int num_bins)
    : num_bins_(num_bins), values_(Copy(values, count)) {
  set_payload_bytes(count * sizeof(double));
  Check(num_bins);
  if (values == nullptr && count > 0) Fail("histogram: null values pointer");
}

Histogram::Histogram(const float* values, size_t count, int num_bins)
    : num_bins_(num_bins), values_(Copy(values, count)) {
  set_payload_bytes(count * sizeof(float));
  Check(num_bins);
  if (values == nullptr && count > 0) Fail("histogram: null values pointer");
}

void Histogram::Check(int num_bins) {
  if (num_bins < 1 || num_bins > kMaxBins) {
    Fail(absl::StrCat("histogram: num_bins is ", num_bins, ", must be 1 to ", kMaxBins));
  }
}

Histogram Histogram::from_counts(const std::vector<int64_t>& counts,
                                 const std::vector<double>& edges) {
  Histogram h;
  h.precomputed_ = true;
  h.counts_ = ToList(counts);
  h.edges_ = ToList(edges);
  if (counts.empty() || counts.size() > static_cast<size_t>(kMaxBins)) {
    h.Fail(absl::StrCat("histogram: ", counts.size(), " counts, must be 1 to ", kMaxBins));
  }
  if (edges.size() != counts.size() + 1) {
    h.Fail(absl::StrCat("histogram: ", edges.size(), " bin edges for ", counts.size(),
                        " counts; edges must be one more than counts"));
  }
  return h;
}

Histogram Histogram::from_counts(const std::vector<double>& counts,
                                 const std::vector<double>& edges) {
  Histogram h = from_counts(std::vector<int64_t>(counts.size()), edges);
  h.counts_ = ToList(counts);
  return h;
}

Value Histogram::Resolve(internal::MediaContext& context) const {
  Value json = Value::map({{"_type", "histogram"}});
  if (precomputed_) {
    json.set("values", counts_);
    json.set("bins", edges_);
    return json;
  }
  internal::HistogramBins bins = std::visit(
      [&](const auto& values) {
        return internal::ComputeHistogram(values.data(), values.size(), num_bins_);
      },
      values_);
  if (bins.non_finite > 0) {
    context.WarnOnce("histogram-non-finite",
                     absl::StrCat("histogram left out ", bins.non_finite,
                                  " NaN or infinite values (further ones under this key are "
                                  "left out without a warning)"));
  }
  json.set("values", ToList(bins.counts));
  json.set("bins", ToList(bins.edges));
  return json;
}

}  // namespace wandb
