// Charts: a wandb::Table and a Vega spec that draws it (wandb's custom charts).
//
//   wandb::Table table({"step", "height"});
//   for (int i = 0; i < 100; ++i) table.add_data(i, std::sin(i / 10.0));
//   run.log({{"wave", wandb::plot::line(table, "step", "height", {}, "A wave")}});
//   run.log({{"custom", wandb::plot_table("my-team/my-spec", table, {{"x", "step"}})}});
//
// A chart goes at the top level of a log() row. Logged under key k, it is written as wandb
// writes one: the row holds the table under "k_table" (a table file, as for any Table), and
// the run's config gets the panel that draws it, under _wandb.visualize.k:
//   {"panel_type": "Vega2", "panel_config": {"panelDefId": <spec>, "fieldSettings": <fields>,
//    "stringSettings": <string_fields>, "transform": {"name": "tableWithLeafColNames"},
//    "userQuery": <wandb's query of the run's summary table "k_table">}}
// A chart anywhere else (nested, in a list, in the summary) is refused with
// std::invalid_argument naming the key. The plot:: functions take wandb.plot's arguments and
// build wandb's tables and spec ids; a column they are given that the table lacks throws
// std::invalid_argument naming it.
#ifndef WANDB_PLOT_H_
#define WANDB_PLOT_H_

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "wandb/media.h"
#include "wandb/table.h"
#include "wandb/value.h"

#include "wandb/internal/api_begin.h"

namespace wandb {

class WANDB_API CustomChart : public Media {
 public:
  // wandb's plot_table(vega_spec_name, data_table, fields, string_fields).
  CustomChart(std::string vega_spec_name, Table table, Value::Map fields,
              Value::Map string_fields = {});
  // wandb's older visualize(id, table): the table stays under its key and the config gets
  // _wandb.viz.<key> = {"id": id, "historyFieldSettings": {"x-axis": "_step", "key": key}}.
  static CustomChart visualization(std::string id, Table table);

  const std::string& vega_spec_name() const noexcept { return vega_spec_name_; }
  const std::shared_ptr<const Table>& table() const noexcept { return table_; }
  const Value::Map& fields() const noexcept { return fields_; }
  const Value::Map& string_fields() const noexcept { return string_fields_; }
  // What building the chart changed that its user should hear of (rows left out), or "".
  const std::string& warning() const noexcept { return warning_; }
  void set_warning(std::string warning) { warning_ = std::move(warning); }

  // For a chart logged under `key`: the row key its table goes under (key + "_table"; the
  // key itself for a visualization), the config path of its panel (_wandb.visualize.<key>,
  // or _wandb.viz.<key>) and the panel.
  std::string row_key(const std::string& key) const;
  std::vector<std::string> config_key(const std::string& key) const;
  Value config_value(const std::string& key) const;

  // A chart is replaced by its table before its row is written; if one gets here, its table.
  Value Resolve(internal::MediaContext& context) const override;

 private:
  std::string vega_spec_name_;
  std::shared_ptr<const Table> table_;
  Value::Map fields_;
  Value::Map string_fields_;
  bool visualization_ = false;
  std::string warning_;
};

// wandb.plot_table: a chart of `table` drawn by the Vega spec `vega_spec_name`. `fields` map
// the spec's fields to the table's columns, `string_fields` give its string constants.
WANDB_API CustomChart plot_table(const std::string& vega_spec_name, const Table& table,
                                 Value::Map fields, Value::Map string_fields = {});

namespace plot {

// wandb.plot.line: y against x, one line per value of `stroke` when given. Spec wandb/line/v0.
WANDB_API CustomChart line(const Table& table, const std::string& x, const std::string& y,
                           const std::optional<std::string>& stroke = std::nullopt,
                           const std::optional<std::string>& title = std::nullopt);
// wandb.plot.scatter. Spec wandb/scatter/v0.
WANDB_API CustomChart scatter(const Table& table, const std::string& x, const std::string& y,
                              const std::optional<std::string>& title = std::nullopt);
// wandb.plot.bar: one bar per row, labelled by `label`, as long as `value`. Spec wandb/bar/v0.
WANDB_API CustomChart bar(const Table& table, const std::string& label, const std::string& value,
                          const std::optional<std::string>& title = std::nullopt);
// wandb.plot.histogram: the values of one column, binned. Spec wandb/histogram/v0.
WANDB_API CustomChart histogram(const Table& table, const std::string& value,
                                const std::optional<std::string>& title = std::nullopt);

// wandb.plot.line_series: one line per list of ys, named by `keys` ("key_0", "key_1", ...
// when empty), against the shared `xs`. Spec wandb/lineseries/v0; the x axis is titled
// `xname` ("x" when not given).
WANDB_API CustomChart line_series(const std::vector<double>& xs,
                                  const std::vector<std::vector<double>>& ys,
                                  const std::vector<std::string>& keys = {},
                                  const std::optional<std::string>& title = std::nullopt,
                                  const std::optional<std::string>& xname = std::nullopt);
// The same with xs of their own for each line. (With brace lists for xs, name the type:
// line_series(std::vector<double>{0, 1}, ...); a list of lists would fit both.)
WANDB_API CustomChart line_series(const std::vector<std::vector<double>>& xs,
                                  const std::vector<std::vector<double>>& ys,
                                  const std::vector<std::string>& keys = {},
                                  const std::optional<std::string>& title = std::nullopt,
                                  const std::optional<std::string>& xname = std::nullopt);

// wandb.plot.pr_curve: each class's precision-recall curve (scikit-learn's
// precision_recall_curve, with class c positive and column i of y_probas its score, where c
// is the i-th smallest class in y_true), precision made non-increasing in recall and read at
// `interp_size` recalls evenly spaced from 1 to 0; rounded to 3 places. `labels[c]` names
// class c when given; `classes_to_plot` limits the classes. Spec wandb/area-under-curve/v0,
// title "Precision v. Recall" by default.
WANDB_API CustomChart pr_curve(const std::vector<int64_t>& y_true,
                               const std::vector<std::vector<double>>& y_probas,
                               const std::vector<std::string>& labels = {},
                               const std::vector<int64_t>& classes_to_plot = {},
                               int interp_size = 21,
                               const std::optional<std::string>& title = std::nullopt);
// wandb.plot.roc_curve: each class's ROC curve (scikit-learn's roc_curve, drop_intermediate),
// rounded to 3 places. Spec wandb/area-under-curve/v0, title "ROC" by default.
WANDB_API CustomChart roc_curve(const std::vector<int64_t>& y_true,
                                const std::vector<std::vector<double>>& y_probas,
                                const std::vector<std::string>& labels = {},
                                const std::vector<int64_t>& classes_to_plot = {},
                                const std::optional<std::string>& title = std::nullopt);

// wandb.plot.confusion_matrix's keyword arguments: `probs` (one row of class scores per
// sample; its largest names the prediction) or `preds`, not both.
struct ConfusionMatrixArgs {
  std::vector<std::vector<double>> probs{};
  std::vector<int64_t> y_true{};
  std::vector<int64_t> preds{};
  // Class i's name; without them the classes seen are named Class_1, Class_2, ... in order.
  std::vector<std::string> class_names{};
  std::optional<std::string> title{};
};
// wandb.plot.confusion_matrix: a row per (actual, predicted) pair of classes with its count.
// Spec wandb/confusion_matrix/v1.
//   run.log({{"conf", wandb::plot::confusion_matrix({.y_true = labels, .preds = predicted})}});
WANDB_API CustomChart confusion_matrix(const ConfusionMatrixArgs& args);

}  // namespace plot

// wandb.visualize(id, table): see CustomChart::visualization.
WANDB_API CustomChart visualize(const std::string& id, const Table& table);

namespace plots {

// wandb.plots.precision_recall, the older spelling (wandb 0.12 still takes it): each class's
// precision_recall_curve read at 20 evenly spaced points, as wandb.visualize("wandb/pr_curve/v1",
// table with columns class, precision, recall). `plot_micro` is taken and unused, as in wandb.
WANDB_API CustomChart precision_recall(const std::vector<int64_t>& y_true,
                                       const std::vector<std::vector<double>>& y_probas,
                                       const std::vector<std::string>& labels = {},
                                       bool plot_micro = true,
                                       const std::vector<int64_t>& classes_to_plot = {});

}  // namespace plots
}  // namespace wandb

#include "wandb/internal/api_end.h"

#endif  // WANDB_PLOT_H_
