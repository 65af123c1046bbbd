#include "client/src/plot/chart_row.h"

#include <algorithm>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "common/value/json.h"
#include "common/value/validation.h"
#include "wandb/plot.h"

namespace wandb::internal {
namespace {

const CustomChart* AsChart(const Value& value) {
  return value.is_media() ? dynamic_cast<const CustomChart*>(value.as_media().get()) : nullptr;
}

}  // namespace

absl::StatusOr<records::ConfigRecord> TakeCharts(Value::Map& row) {
  // Checked whole first, so that a refused row is left as it was.
  std::vector<std::pair<std::string, std::shared_ptr<const Media>>> charts;
  for (const auto& [key, value] : row) {
    const CustomChart* chart = AsChart(value);
    if (chart == nullptr) continue;
    if (!chart->problem().empty()) {
      return absl::InvalidArgumentError(absl::StrCat("key '", key, "': ", chart->problem()));
    }
    if (absl::Status s = validation::ValidateKey(CustomChart::table_key(key)); !s.ok()) return s;
    charts.emplace_back(key, value.as_media());
  }
  records::ConfigRecord config;
  // Plain names, not a structured binding: the lambda below captures the key, which clang 14
  // (scripts/check-thread-safety) refuses for a binding.
  for (const auto& entry : charts) {
    const std::string& key = entry.first;
    const auto& chart = static_cast<const CustomChart&>(*entry.second);
    records::ConfigItem* item = config.add_update();
    for (const char* part : {"_wandb", "visualize"}) item->add_nested_key(part);
    item->add_nested_key(key);
    item->set_value_json(json::Encode(chart.panel_config(key)));
    // wandb pops the chart's key and adds "<key>_table" at the end of the row.
    Value table(std::shared_ptr<const Media>(chart.table()));
    std::string table_key = CustomChart::table_key(key);
    row.erase(std::remove_if(
                  row.begin(), row.end(),
                  [&](const auto& cell) { return cell.first == key || cell.first == table_key; }),
              row.end());
    row.emplace_back(std::move(table_key), std::move(table));
  }
  return config;
}

}  // namespace wandb::internal
