#include "client/src/plot/curves.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <numeric>

namespace wandb::internal {

ClfCurve BinaryClfCurve(const std::vector<bool>& positive, const std::vector<double>& scores) {
  std::vector<size_t> order(scores.size());
  std::iota(order.begin(), order.end(), 0);
  // Highest score first. How ties are ordered does not matter: only the last sample of a run
  // of equal scores is a threshold, and by then the whole run is counted.
  std::stable_sort(order.begin(), order.end(),
                   [&](size_t a, size_t b) { return scores[a] > scores[b]; });
  ClfCurve curve;
  double tps = 0;
  for (size_t i = 0; i < order.size(); ++i) {
    if (positive[order[i]]) ++tps;
    bool last_of_run = i + 1 == order.size() || scores[order[i + 1]] != scores[order[i]];
    if (!last_of_run) continue;
    curve.tps.push_back(tps);
    curve.fps.push_back(static_cast<double>(i + 1) - tps);
    curve.thresholds.push_back(scores[order[i]]);
  }
  return curve;
}

PrCurve PrecisionRecallCurve(const std::vector<bool>& positive, const std::vector<double>& scores) {
  ClfCurve clf = BinaryClfCurve(positive, scores);
  PrCurve curve;
  if (clf.tps.empty()) return curve;
  double all = clf.tps.back();
  // The first threshold at which every positive is found: later ones add only negatives.
  size_t last =
      static_cast<size_t>(std::lower_bound(clf.tps.begin(), clf.tps.end(), all) - clf.tps.begin());
  for (size_t i = last + 1; i-- > 0;) {
    double predicted = clf.tps[i] + clf.fps[i];
    curve.precision.push_back(predicted == 0 ? 0 : clf.tps[i] / predicted);
    curve.recall.push_back(clf.tps[i] / all);
  }
  curve.precision.push_back(1);
  curve.recall.push_back(0);
  return curve;
}

RocCurve RocCurveOf(const std::vector<bool>& positive, const std::vector<double>& scores) {
  ClfCurve clf = BinaryClfCurve(positive, scores);
  std::vector<double> fps{0};
  std::vector<double> tps{0};
  size_t n = clf.fps.size();
  for (size_t i = 0; i < n; ++i) {
    // drop_intermediate: keep the ends and every point where the curve bends (a non-zero
    // second difference of fps or tps).
    bool keep = n <= 2 || i == 0 || i + 1 == n ||
                clf.fps[i + 1] - 2 * clf.fps[i] + clf.fps[i - 1] != 0 ||
                clf.tps[i + 1] - 2 * clf.tps[i] + clf.tps[i - 1] != 0;
    if (!keep) continue;
    fps.push_back(clf.fps[i]);
    tps.push_back(clf.tps[i]);
  }
  RocCurve curve;
  const double nan = std::numeric_limits<double>::quiet_NaN();
  for (size_t i = 0; i < fps.size(); ++i) {
    curve.fpr.push_back(fps.back() > 0 ? fps[i] / fps.back() : nan);
    curve.tpr.push_back(tps.back() > 0 ? tps[i] / tps.back() : nan);
  }
  return curve;
}

double Round3(double x) { return std::nearbyint(x * 1000.0) / 1000.0; }

size_t SearchSortedLeft(const std::vector<double>& sorted, double v) {
  return static_cast<size_t>(std::lower_bound(sorted.begin(), sorted.end(), v) - sorted.begin());
}

std::vector<double> Linspace01(size_t n) {
  std::vector<double> out;
  if (n == 1) return {0.0};
  // numpy: step = 1 / (n - 1); y = arange(n) * step; the last is exactly the stop.
  double step = 1.0 / static_cast<double>(n - 1);
  for (size_t i = 0; i < n; ++i) out.push_back(static_cast<double>(i) * step);
  if (n > 1) out.back() = 1.0;
  return out;
}

}  // namespace wandb::internal
