#include <utility>

#include "absl/strings/str_cat.h"
#include "wandb/plot.h"

namespace wandb {
namespace {

// wandb's CustomChart.user_query: the panel asks for each run's summary table `table_key`.
Value UserQuery(const std::string& table_key) {
  auto field = [](const char* name) {
    return Value::map({{"name", name}, {"fields", Value::List()}});
  };
  Value summary_table =
      Value::map({{"name", "summaryTable"},
                  {"args", Value::List{Value::map({{"name", "tableKey"}, {"value", table_key}})}},
                  {"fields", Value::List()}});
  Value run_sets =
      Value::map({{"name", "runSets"},
                  {"args", Value::List{Value::map({{"name", "runSets"}, {"value", "${runSets}"}})}},
                  {"fields", Value::List{field("id"), field("name"), field("_defaultColorIndex"),
                                         summary_table}}});
  return Value::map({{"queryFields", Value::List{run_sets}}});
}

}  // namespace

CustomChart::CustomChart(std::string vega_spec_name, Table table, Value::Map fields,
                         Value::Map string_fields)
    : vega_spec_name_(std::move(vega_spec_name)),
      table_(std::make_shared<const Table>(std::move(table))),
      fields_(std::move(fields)),
      string_fields_(std::move(string_fields)) {
  if (!table_->problem().empty()) Fail(table_->problem());
  set_payload_bytes(table_->payload_bytes());
}

CustomChart CustomChart::visualization(std::string id, Table table) {
  CustomChart chart(std::move(id), std::move(table), {}, {});
  chart.visualization_ = true;
  return chart;
}

std::string CustomChart::row_key(const std::string& key) const {
  return visualization_ ? key : absl::StrCat(key, "_table");
}

std::vector<std::string> CustomChart::config_key(const std::string& key) const {
  return {"_wandb", visualization_ ? "viz" : "visualize", key};
}

Value CustomChart::config_value(const std::string& key) const {
  if (visualization_) {
    return Value::map({{"id", vega_spec_name_},
                       {"historyFieldSettings", Value::map({{"x-axis", "_step"}, {"key", key}})}});
  }
  return Value::map(
      {{"panel_type", "Vega2"},
       {"panel_config", Value::map({{"panelDefId", vega_spec_name_},
                                    {"fieldSettings", fields_},
                                    {"stringSettings", string_fields_},
                                    {"transform", Value::map({{"name", "tableWithLeafColNames"}})},
                                    {"userQuery", UserQuery(row_key(key))}})}});
}

Value CustomChart::Resolve(internal::MediaContext& context) const {
  return table_->Resolve(context);
}

CustomChart plot_table(const std::string& vega_spec_name, const Table& table, Value::Map fields,
                       Value::Map string_fields) {
  return CustomChart(vega_spec_name, table, std::move(fields), std::move(string_fields));
}

CustomChart visualize(const std::string& id, const Table& table) {
  return CustomChart::visualization(id, table);
}

}  // namespace wandb
