// How wandb.plot's classifier charts (pr_curve, roc_curve, plots.precision_recall) read their
// arguments, and how they cut a table that grew past Table::kMaxRows.
#ifndef WANDB_CLIENT_SRC_PLOT_CLASS_SCORES_H_
#define WANDB_CLIENT_SRC_PLOT_CLASS_SCORES_H_

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "wandb/value.h"

namespace wandb::internal {

// One class to plot: the samples of that class are the positives, column `index` of y_probas
// their scores (index: the class's rank among the classes in y_true, as wandb reads it).
struct ClassScores {
  int64_t value = 0;
  Value label;  // labels[value] when labels are given, else the value
  std::vector<bool> positive;
  std::vector<double> scores;
};

// The classes of y_true in increasing order, those in `classes_to_plot` only when it is not
// empty. Throws std::invalid_argument("wandb::<chart>: ...") for an empty y_true, y_probas
// without a row per sample or without a column per class, a NaN score, or a class without a
// label.
std::vector<ClassScores> ClassesToPlot(const char* chart, const std::vector<int64_t>& y_true,
                                       const std::vector<std::vector<double>>& y_probas,
                                       const std::vector<std::string>& labels,
                                       const std::vector<int64_t>& classes_to_plot);

// wandb's cut of a curve table with more than Table::kMaxRows rows (sklearn's resample,
// stratified by the class column `class_column`, then sorted by `sort_columns`): each class
// keeps its share of kMaxRows rows, evenly spaced (wandb draws them at random, with seed 42;
// its draw cannot be repeated here). Returns the warning to show, or "" when nothing was cut.
std::string LimitCurveRows(std::vector<Value::List>* rows, size_t class_column,
                           const std::vector<size_t>& sort_columns);

}  // namespace wandb::internal

#endif  // WANDB_CLIENT_SRC_PLOT_CLASS_SCORES_H_
