// scikit-learn's precision_recall_curve and roc_curve (1.1), worked out by hand for small
// cases (the first is scikit-learn's own documentation example), and numpy's helpers.
#include "client/src/plot/curves.h"

#include <catch2/catch.hpp>
#include <cmath>
#include <vector>

namespace wandb::internal {

// y_true = [0, 0, 1, 1], scores = [0.1, 0.4, 0.35, 0.8]: by score, highest first, the samples
// are +, -, +, -; at thresholds 0.8, 0.4, 0.35, 0.1: tps 1, 1, 2, 2 and fps 0, 1, 1, 2.
const std::vector<bool> kPositive{false, false, true, true};
const std::vector<double> kScores{0.1, 0.4, 0.35, 0.8};

TEST_CASE("_binary_clf_curve: true and false positives at each distinct score") {
  ClfCurve curve = BinaryClfCurve(kPositive, kScores);
  CHECK(curve.thresholds == std::vector<double>{0.8, 0.4, 0.35, 0.1});
  CHECK(curve.tps == std::vector<double>{1, 1, 2, 2});
  CHECK(curve.fps == std::vector<double>{0, 1, 1, 2});
  // Equal scores are one threshold, counted whole.
  ClfCurve ties = BinaryClfCurve({true, false, true}, {0.5, 0.5, 0.2});
  CHECK(ties.thresholds == std::vector<double>{0.5, 0.2});
  CHECK(ties.tps == std::vector<double>{1, 2});
  CHECK(ties.fps == std::vector<double>{1, 1});
}

TEST_CASE("precision_recall_curve: stops at full recall, ends at (recall 0, precision 1)") {
  // Full recall first at 0.35 (tps 2): precision 2/3, then 1/2 at 0.4, 1/1 at 0.8, then 1.
  PrCurve curve = PrecisionRecallCurve(kPositive, kScores);
  REQUIRE(curve.precision.size() == 4);
  CHECK(curve.precision[0] == Approx(2.0 / 3.0));
  CHECK(curve.precision[1] == 0.5);
  CHECK(curve.precision[2] == 1.0);
  CHECK(curve.precision[3] == 1.0);
  CHECK(curve.recall == std::vector<double>{1.0, 0.5, 0.5, 0.0});
}

TEST_CASE("roc_curve: from (0, 0), collinear points dropped") {
  RocCurve curve = RocCurveOf(kPositive, kScores);
  CHECK(curve.fpr == std::vector<double>{0, 0, 0.5, 0.5, 1});
  CHECK(curve.tpr == std::vector<double>{0, 0.5, 0.5, 1, 1});
  // +, +, -, -: tps 1, 2, 2, 2, fps 0, 0, 1, 2; the point at the third threshold lies on the
  // line from the second to the fourth (second differences 0) and is dropped.
  RocCurve dropped = RocCurveOf({true, true, false, false}, {0.9, 0.8, 0.7, 0.6});
  CHECK(dropped.fpr == std::vector<double>{0, 0, 0, 1});
  CHECK(dropped.tpr == std::vector<double>{0, 0.5, 1, 1});
  // No negatives: fpr is NaN throughout, as scikit-learn returns it.
  RocCurve all_positive = RocCurveOf({true, true}, {0.9, 0.1});
  CHECK(std::isnan(all_positive.fpr[0]));
  CHECK(all_positive.tpr == std::vector<double>{0, 0.5, 1});
}

TEST_CASE("numpy helpers: around(x, 3), searchsorted left, linspace") {
  CHECK(Round3(2.0 / 3.0) == 0.667);
  // numpy multiplies, rounds half to even and divides: 0.0005 * 1000 is 0.5, so 0.0
  // (Python's round(0.0005, 3) would give 0.001), and 0.0015 becomes 0.002.
  CHECK(Round3(0.0005) == 0.0);
  CHECK(Round3(0.0015) == 0.002);
  CHECK(std::isnan(Round3(std::nan(""))));
  CHECK(SearchSortedLeft({0, 0.5, 0.5, 1}, 0.5) == 1);
  CHECK(SearchSortedLeft({0, 0.5, 0.5, 1}, 1) == 3);
  CHECK(SearchSortedLeft({0, 0.5, 0.5, 1}, 0) == 0);
  CHECK(Linspace01(3) == std::vector<double>{0, 0.5, 1});
  CHECK(Linspace01(21)[19] == 19 * (1.0 / 20));
  CHECK(Linspace01(21)[20] == 1.0);
}

}  // namespace wandb::internal
