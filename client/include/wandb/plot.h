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

#include <memory>
#include <optional>
#include <string>

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

  const std::string& vega_spec_name() const noexcept { return vega_spec_name_; }
  const std::shared_ptr<const Table>& table() const noexcept { return table_; }
  const Value::Map& fields() const noexcept { return fields_; }
  const Value::Map& string_fields() const noexcept { return string_fields_; }

  // The row key the table is logged under for a chart logged under `key`: key + "_table".
  static std::string table_key(const std::string& key);
  // The config entry wandb writes under _wandb.visualize.<key>.
  Value panel_config(const std::string& key) const;

  // A chart is replaced by its table before its row is written; if one gets here, its table.
  Value Resolve(internal::MediaContext& context) const override;

 private:
  std::string vega_spec_name_;
  std::shared_ptr<const Table> table_;
  Value::Map fields_;
  Value::Map string_fields_;
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

}  // namespace plot
}  // namespace wandb

#include "wandb/internal/api_end.h"

#endif  // WANDB_PLOT_H_
