// wandb.plot's classifier charts: pr_curve, roc_curve (wandb/plot/pr_curve.py, roc_curve.py)
// and confusion_matrix (confusion_matrix.py), with their tables and spec ids.
#include <algorithm>
#include <cmath>
#include <map>
#include <set>
#include <stdexcept>
#include <utility>

#include "absl/strings/str_cat.h"
#include "client/src/plot/class_scores.h"
#include "client/src/plot/curves.h"
#include "wandb/plot.h"

namespace wandb::plot {
namespace {

using internal::ClassScores;

// A curve table (class, y, x) cut to wandb's row limit, as a chart of `spec`.
CustomChart CurveChart(std::vector<std::string> columns, std::vector<Value::List> rows,
                       Value::Map fields, Value::Map string_fields) {
  std::string warning = internal::LimitCurveRows(&rows, 0, {1, 2, 0});
  CustomChart chart("wandb/area-under-curve/v0", Table(std::move(columns), rows), std::move(fields),
                    std::move(string_fields));
  chart.set_warning(std::move(warning));
  return chart;
}

// wandb's _step: each precision at least the one before it.
std::vector<double> RunningMax(std::vector<double> values) {
  for (size_t i = 1; i < values.size(); ++i) values[i] = std::max(values[i], values[i - 1]);
  return values;
}

// np.argmax of a row: the first largest, or the first NaN.
int64_t ArgMax(const std::vector<double>& row) {
  size_t best = 0;
  for (size_t i = 0; i < row.size(); ++i) {
    if (std::isnan(row[i])) return static_cast<int64_t>(i);
    if (row[i] > row[best]) best = i;
  }
  return static_cast<int64_t>(best);
}

[[noreturn]] void Refuse(const std::string& message) {
  throw std::invalid_argument(absl::StrCat("wandb::plot::confusion_matrix: ", message));
}

}  // namespace

CustomChart pr_curve(const std::vector<int64_t>& y_true,
                     const std::vector<std::vector<double>>& y_probas,
                     const std::vector<std::string>& labels,
                     const std::vector<int64_t>& classes_to_plot, int interp_size,
                     const std::optional<std::string>& title) {
  if (interp_size < 1) {
    throw std::invalid_argument(
        absl::StrCat("wandb::plot::pr_curve: interp_size ", interp_size, " is below 1"));
  }
  std::vector<double> interp = internal::Linspace01(static_cast<size_t>(interp_size));
  std::reverse(interp.begin(), interp.end());  // recall from 1 down to 0
  std::vector<Value::List> rows;
  for (const ClassScores& c :
       internal::ClassesToPlot("plot::pr_curve", y_true, y_probas, labels, classes_to_plot)) {
    internal::PrCurve curve = internal::PrecisionRecallCurve(c.positive, c.scores);
    // Precision made non-increasing in recall, then both read with recall increasing.
    std::vector<double> precision = RunningMax(curve.precision);
    std::reverse(precision.begin(), precision.end());
    std::vector<double> recall(curve.recall.rbegin(), curve.recall.rend());
    for (double r : interp) {
      size_t i = internal::SearchSortedLeft(recall, r);
      rows.push_back({c.label, internal::Round3(precision[std::min(i, precision.size() - 1)]),
                      internal::Round3(r)});
    }
  }
  return CurveChart({"class", "precision", "recall"}, std::move(rows),
                    {{"x", "recall"}, {"y", "precision"}, {"class", "class"}},
                    {{"title", title.value_or("Precision v. Recall")}});
}

CustomChart roc_curve(const std::vector<int64_t>& y_true,
                      const std::vector<std::vector<double>>& y_probas,
                      const std::vector<std::string>& labels,
                      const std::vector<int64_t>& classes_to_plot,
                      const std::optional<std::string>& title) {
  std::vector<Value::List> rows;
  for (const ClassScores& c :
       internal::ClassesToPlot("plot::roc_curve", y_true, y_probas, labels, classes_to_plot)) {
    internal::RocCurve curve = internal::RocCurveOf(c.positive, c.scores);
    for (size_t i = 0; i < curve.fpr.size(); ++i) {
      rows.push_back({c.label, internal::Round3(curve.fpr[i]), internal::Round3(curve.tpr[i])});
    }
  }
  return CurveChart({"class", "fpr", "tpr"}, std::move(rows),
                    {{"x", "fpr"}, {"y", "tpr"}, {"class", "class"}},
                    {{"title", title.value_or("ROC")},
                     {"x-axis-title", "False positive rate"},
                     {"y-axis-title", "True positive rate"}});
}

CustomChart confusion_matrix(const ConfusionMatrixArgs& args) {
  if (args.probs.empty() == args.preds.empty()) {
    Refuse("give probs or preds, not both and not neither");
  }
  std::vector<int64_t> preds = args.preds;
  for (const std::vector<double>& row : args.probs) preds.push_back(ArgMax(row));
  if (preds.size() != args.y_true.size()) {
    Refuse(absl::StrCat(preds.size(), " predictions for ", args.y_true.size(), " labels"));
  }
  // Each class's row and column in the matrix.
  std::map<int64_t, size_t> index;
  std::vector<std::string> names = args.class_names;
  if (!names.empty()) {
    for (size_t i = 0; i < names.size(); ++i) index[static_cast<int64_t>(i)] = i;
    for (const std::vector<int64_t>* values : {&std::as_const(preds), &args.y_true}) {
      for (int64_t v : *values) {
        if (index.count(v) == 0) {
          Refuse(absl::StrCat("class ", v, " has no name (", names.size(), " class_names)"));
        }
      }
    }
  } else {
    std::set<int64_t> seen(preds.begin(), preds.end());
    seen.insert(args.y_true.begin(), args.y_true.end());
    for (int64_t v : seen) {
      index[v] = names.size();
      names.push_back(absl::StrCat("Class_", names.size() + 1));
    }
  }
  size_t n = names.size();
  std::vector<double> counts(n * n, 0.0);  // wandb counts in a float array
  for (size_t i = 0; i < preds.size(); ++i) counts[index[args.y_true[i]] * n + index[preds[i]]]++;
  Table table({"Actual", "Predicted", "nPredictions"});
  for (size_t actual = 0; actual < n; ++actual) {
    for (size_t predicted = 0; predicted < n; ++predicted) {
      table.add_data(names[actual], names[predicted], counts[actual * n + predicted]);
    }
  }
  return plot_table(
      "wandb/confusion_matrix/v1", table,
      {{"Actual", "Actual"}, {"Predicted", "Predicted"}, {"nPredictions", "nPredictions"}},
      {{"title", args.title.value_or("")}});
}

}  // namespace wandb::plot
