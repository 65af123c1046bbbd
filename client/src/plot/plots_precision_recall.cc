// wandb.plots.precision_recall (wandb/plots/precision_recall.py), the spelling the SDK's
// documentation still shows: 20 points of each class's precision-recall curve, shown through
// wandb's older wandb.visualize and the spec wandb/pr_curve/v1.
#include "absl/strings/str_cat.h"
#include "client/src/plot/class_scores.h"
#include "client/src/plot/curves.h"
#include "wandb/plot.h"

namespace wandb::plots {
namespace {

constexpr size_t kSamples = 20;  // points per class

}  // namespace

CustomChart precision_recall(const std::vector<int64_t>& y_true,
                             const std::vector<std::vector<double>>& y_probas,
                             const std::vector<std::string>& labels, bool /*plot_micro*/,
                             const std::vector<int64_t>& classes_to_plot) {
  Table table({"class", "precision", "recall"});
  std::string warning;
  size_t count = 0;
  for (const internal::ClassScores& c : internal::ClassesToPlot(
           "plots::precision_recall", y_true, y_probas, labels, classes_to_plot)) {
    internal::PrCurve curve = internal::PrecisionRecallCurve(c.positive, c.scores);
    for (size_t k = 0; k < kSamples; ++k) {
      size_t i = curve.precision.size() * k / kSamples;
      table.add_data(c.label, internal::Round3(curve.precision[i]),
                     internal::Round3(curve.recall[i]));
      // wandb stops a class's points at its limit; every later class still adds one.
      if (++count >= Table::kMaxRows) {
        warning = absl::StrCat("wandb uses only the first ", Table::kMaxRows,
                               " datapoints to create the plots.");
        break;
      }
    }
  }
  CustomChart chart = visualize("wandb/pr_curve/v1", table);
  chart.set_warning(warning);
  return chart;
}

}  // namespace wandb::plots
