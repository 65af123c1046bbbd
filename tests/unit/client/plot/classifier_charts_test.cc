// wandb.plot.pr_curve, roc_curve, confusion_matrix, line_series and wandb.plots.
// precision_recall: their tables worked out by hand from scikit-learn's definitions and
// wandb 0.12.21's code (wandb/plot/*.py, wandb/plots/precision_recall.py).
#include <algorithm>
#include <catch2/catch.hpp>
#include <stdexcept>
#include <string>
#include <vector>

#include "wandb/plot.h"

namespace wandb {
namespace {

// Two classes; column 1 scores class 1 as scikit-learn's example does, column 0 is 1 - that.
const std::vector<int64_t> kTrue{0, 0, 1, 1};
const std::vector<std::vector<double>> kProbas{{0.9, 0.1}, {0.6, 0.4}, {0.65, 0.35}, {0.2, 0.8}};

std::string Rows(const CustomChart& chart) {
  Value::List rows;
  for (const Value::List& row : chart.table()->data()) rows.emplace_back(row);
  return Value(rows).to_json();
}

using Lists = std::vector<std::vector<double>>;

std::string Json(const Value::Map& map) { return Value(map).to_json(); }

}  // namespace

TEST_CASE("plot::pr_curve: precision at evenly spaced recalls, per class") {
  // Class 1: precision 2/3, 1/2, 1, 1 at recall 1, .5, .5, 0; made non-increasing in recall
  // (2/3, 2/3, 1, 1) and read at recall 1, 0.5, 0 (searchsorted left in 0, .5, .5, 1): 0.667,
  // 1, 1. Class 0 (scores 0.9, 0.6, 0.65, 0.2: +, -, +, -) gives the same.
  CustomChart chart = plot::pr_curve(kTrue, kProbas, {"cat", "dog"}, {}, 3);
  CHECK(chart.vega_spec_name() == "wandb/area-under-curve/v0");
  CHECK(chart.table()->columns() == std::vector<std::string>{"class", "precision", "recall"});
  CHECK(Rows(chart) == R"([["cat", 0.667, 1.0], ["cat", 1.0, 0.5], ["cat", 1.0, 0.0], )"
                       R"(["dog", 0.667, 1.0], ["dog", 1.0, 0.5], ["dog", 1.0, 0.0]])");
  CHECK(Json(chart.fields()) == R"({"x": "recall", "y": "precision", "class": "class"})");
  CHECK(Json(chart.string_fields()) == R"({"title": "Precision v. Recall"})");
  CHECK(chart.warning().empty());

  CustomChart one = plot::pr_curve(kTrue, kProbas, {}, {1}, 3, "PR");
  CHECK(Rows(one) == R"([[1, 0.667, 1.0], [1, 1.0, 0.5], [1, 1.0, 0.0]])");
  CHECK(Json(one.string_fields()) == R"({"title": "PR"})");
  CHECK(plot::pr_curve(kTrue, kProbas).table()->num_rows() == 42);  // 21 recalls, 2 classes
}

TEST_CASE("plot::roc_curve: scikit-learn's roc_curve per class, rounded") {
  CustomChart chart = plot::roc_curve(kTrue, kProbas, {}, {1});
  CHECK(chart.vega_spec_name() == "wandb/area-under-curve/v0");
  CHECK(chart.table()->columns() == std::vector<std::string>{"class", "fpr", "tpr"});
  CHECK(Rows(chart) == R"([[1, 0.0, 0.0], [1, 0.0, 0.5], [1, 0.5, 0.5], [1, 0.5, 1.0], )"
                       R"([1, 1.0, 1.0]])");
  CHECK(Json(chart.fields()) == R"({"x": "fpr", "y": "tpr", "class": "class"})");
  CHECK(Json(chart.string_fields()) == R"({"title": "ROC", "x-axis-title": "False positive rate", )"
                                       R"("y-axis-title": "True positive rate"})");
}

TEST_CASE("plot::roc_curve cuts a table past 10,000 rows to 10,000, sorted, with a warning") {
  // 12,000 distinct scores of one class each give 12,001 ROC points for each of 2 classes.
  std::vector<int64_t> y_true;
  std::vector<std::vector<double>> probas;
  for (int i = 0; i < 12000; ++i) {
    y_true.push_back(i % 2);
    double s = (i * 7919 % 12000) / 12000.0;
    probas.push_back({1 - s, s});
  }
  CustomChart chart = plot::roc_curve(y_true, probas);
  REQUIRE(chart.table()->num_rows() == 10000);
  CHECK(chart.warning() == "wandb uses only 10000 data points to create the plots.");
  Value::List fpr = chart.table()->get_column("fpr");
  CHECK(std::is_sorted(fpr.begin(), fpr.end(), [](const Value& a, const Value& b) {
    return a.as_double() < b.as_double();
  }));
  size_t class0 = 0;
  for (const Value& c : chart.table()->get_column("class")) class0 += c == Value(0) ? 1 : 0;
  CHECK(class0 == 5000);  // each class keeps its share
}

TEST_CASE("plot::confusion_matrix: counts per (actual, predicted), wandb's names and floats") {
  CustomChart chart = plot::confusion_matrix({.y_true = {0, 1, 2, 2}, .preds = {0, 2, 2, 1}});
  CHECK(chart.vega_spec_name() == "wandb/confusion_matrix/v1");
  CHECK(chart.table()->columns() ==
        std::vector<std::string>{"Actual", "Predicted", "nPredictions"});
  CHECK(Rows(chart) == R"([["Class_1", "Class_1", 1.0], ["Class_1", "Class_2", 0.0], )"
                       R"(["Class_1", "Class_3", 0.0], ["Class_2", "Class_1", 0.0], )"
                       R"(["Class_2", "Class_2", 0.0], ["Class_2", "Class_3", 1.0], )"
                       R"(["Class_3", "Class_1", 0.0], ["Class_3", "Class_2", 1.0], )"
                       R"(["Class_3", "Class_3", 1.0]])");
  CHECK(Json(chart.fields()) ==
        R"({"Actual": "Actual", "Predicted": "Predicted", "nPredictions": "nPredictions"})");
  CHECK(Json(chart.string_fields()) == R"({"title": ""})");

  // From probabilities (argmax), classes as seen (5 and 7), and with names.
  CustomChart seen = plot::confusion_matrix(
      {.probs = {{0, 0, 0, 0, 0, 0, 0, 1}, {0, 1, 0, 0, 0, 0, 0, 2}}, .y_true = {5, 7}});
  CHECK(Rows(seen) == R"([["Class_1", "Class_1", 0.0], ["Class_1", "Class_2", 1.0], )"
                      R"(["Class_2", "Class_1", 0.0], ["Class_2", "Class_2", 1.0]])");
  CustomChart named = plot::confusion_matrix(
      {.y_true = {1, 0}, .preds = {1, 1}, .class_names = {"cat", "dog"}, .title = "T"});
  CHECK(Rows(named) == R"([["cat", "cat", 0.0], ["cat", "dog", 1.0], ["dog", "cat", 0.0], )"
                       R"(["dog", "dog", 1.0]])");
  CHECK(Json(named.string_fields()) == R"({"title": "T"})");
}

TEST_CASE("plot::line_series: (step, lineKey, lineVal) rows, shared or own xs") {
  CustomChart chart = plot::line_series(std::vector<double>{0, 1}, {{1, 2}, {3, 4, 5}});
  CHECK(chart.vega_spec_name() == "wandb/lineseries/v0");
  CHECK(Rows(chart) == R"([[0.0, "key_0", 1.0], [1.0, "key_0", 2.0], [0.0, "key_1", 3.0], )"
                       R"([1.0, "key_1", 4.0]])");
  CHECK(Json(chart.fields()) == R"({"step": "step", "lineKey": "lineKey", "lineVal": "lineVal"})");
  CHECK(Json(chart.string_fields()) == R"({"title": null, "xname": "x"})");
  CustomChart own = plot::line_series(Lists{{0}, {5}}, {{1}, {2}}, {"a", "b"}, "T", "epoch");
  CHECK(Rows(own) == R"([[0.0, "a", 1.0], [5.0, "b", 2.0]])");
  CHECK(Json(own.string_fields()) == R"({"title": "T", "xname": "epoch"})");
}

TEST_CASE("plots::precision_recall: 20 points per class through wandb.visualize") {
  CustomChart chart = plots::precision_recall(kTrue, kProbas, {}, true, {1});
  CHECK(chart.vega_spec_name() == "wandb/pr_curve/v1");
  CHECK(chart.row_key("pr") == "pr");
  CHECK(chart.config_key("pr") == std::vector<std::string>{"_wandb", "viz", "pr"});
  // precision 2/3, 1/2, 1, 1 and recall 1, .5, .5, 0, read at index 4k/20 for k = 0..19.
  std::string expected = "[";
  const char* points[] = {"0.667, 1.0", "0.5, 0.5", "1.0, 0.5", "1.0, 0.0"};
  for (int k = 0; k < 20; ++k) {
    expected += std::string(k ? ", " : "") + "[1, " + points[k / 5] + "]";
  }
  CHECK(Rows(chart) == expected + "]");
}

TEST_CASE("classifier charts refuse inconsistent input, naming the problem") {
  CHECK_THROWS_WITH(plot::pr_curve({0, 1}, {{0.5, 0.5}}),
                    "wandb::plot::pr_curve: y_probas has 1 rows for 2 samples in y_true");
  CHECK_THROWS_WITH(plot::roc_curve({0, 1}, {{0.5}, {0.5}}),
                    "wandb::plot::roc_curve: y_probas row 0 has 1 scores; class 1 is scored in "
                    "column 1");
  CHECK_THROWS_WITH(plot::pr_curve({0, 2}, {{1, 0}, {0, 1}}, {"a", "b"}),
                    "wandb::plot::pr_curve: class 2 has no label (2 labels)");
  CHECK_THROWS_AS(plot::pr_curve({}, {}), std::invalid_argument);
  CHECK_THROWS_AS(plot::confusion_matrix({.y_true = {0}}), std::invalid_argument);
  CHECK_THROWS_WITH(plot::confusion_matrix({.y_true = {0, 1}, .preds = {0}}),
                    "wandb::plot::confusion_matrix: 1 predictions for 2 labels");
  CHECK_THROWS_WITH(
      plot::confusion_matrix({.y_true = {0, 3}, .preds = {0, 1}, .class_names = {"a", "b"}}),
      "wandb::plot::confusion_matrix: class 3 has no name (2 class_names)");
  CHECK_THROWS_AS(plot::line_series(Lists{{0}}, {{1}, {2}}), std::invalid_argument);
  CHECK_THROWS_AS(plot::line_series(std::vector<double>{0}, {{1}, {2}}, {"one"}),
                  std::invalid_argument);
}

}  // namespace wandb
