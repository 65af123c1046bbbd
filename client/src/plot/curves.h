// The numbers behind wandb.plot's PR and ROC charts, as scikit-learn 1.1 (the release wandb
// 0.12.21's charts were written against) defines them, and numpy's helpers wandb applies.
#ifndef WANDB_CLIENT_SRC_PLOT_CURVES_H_
#define WANDB_CLIENT_SRC_PLOT_CURVES_H_

#include <cstddef>
#include <vector>

namespace wandb::internal {

// sklearn.metrics._ranking._binary_clf_curve: at each distinct score, from the highest down,
// the false and true positives among the samples scored at least that high.
struct ClfCurve {
  std::vector<double> fps;
  std::vector<double> tps;
  std::vector<double> thresholds;
};
// `positive[i]`: whether sample i is of the positive class. Scores must not be NaN.
ClfCurve BinaryClfCurve(const std::vector<bool>& positive, const std::vector<double>& scores);

// sklearn.metrics.precision_recall_curve: recall decreasing from the first threshold of full
// recall, then the point (recall 0, precision 1).
struct PrCurve {
  std::vector<double> precision;
  std::vector<double> recall;
};
PrCurve PrecisionRecallCurve(const std::vector<bool>& positive, const std::vector<double>& scores);

// sklearn.metrics.roc_curve with drop_intermediate=True: from (0, 0) up, collinear points
// left out. fpr is NaN when there is no negative sample, tpr when there is no positive one
// (scikit-learn warns and returns the same).
struct RocCurve {
  std::vector<double> fpr;
  std::vector<double> tpr;
};
RocCurve RocCurveOf(const std::vector<bool>& positive, const std::vector<double>& scores);

// numpy.around(x, 3): x * 1000 rounded half to even, divided by 1000 (pandas' round).
double Round3(double x);
// numpy.searchsorted(sorted, v, side="left").
size_t SearchSortedLeft(const std::vector<double>& sorted, double v);
// numpy.linspace(0, 1, n).
std::vector<double> Linspace01(size_t n);

}  // namespace wandb::internal

#endif  // WANDB_CLIENT_SRC_PLOT_CURVES_H_
