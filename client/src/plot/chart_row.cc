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

absl::StatusOr<RowCharts> TakeCharts(Value::Map& row) {
  // Checked whole first, so that a refused row is left as it was.
  std::vector<std::pair<std::string, std::shared_ptr<const Media>>> charts;
  for (const auto& [key, value] : row) {
    const CustomChart* chart = AsChart(value);
    if (chart == nullptr) continue;
    if (!chart->problem().empty()) {
      return absl::InvalidArgumentError(absl::StrCat("key '", key, "': ", chart->problem()));
    }
    if (absl::Status s = validation::ValidateKey(chart->row_key(key)); !s.ok()) return s;
    charts.emplace_back(key, value.as_media());
  }
  RowCharts result;
  // Plain names, not a structured binding: the lambda below captures the key, which clang 14
  // (scripts/check-thread-safety) refuses for a binding.
  for (const auto& entry : charts) {
    const std::string& key = entry.first;
    const auto& chart = static_cast<const CustomChart&>(*entry.second);
    records::ConfigItem* item = result.config.add_update();
    for (const std::string& part : chart.config_key(key)) item->add_nested_key(part);
    item->set_value_json(json::Encode(chart.config_value(key)));
    if (!chart.warning().empty()) {
      result.warnings.push_back(absl::StrCat("key '", key, "': ", chart.warning()));
    }
    Value table(std::shared_ptr<const Media>(chart.table()));
    std::string row_key = chart.row_key(key);
    if (row_key == key) {
      // wandb's older visualization: the table takes the chart's place.
      for (auto& cell : row) {
        if (cell.first == key) cell.second = std::move(table);
      }
      continue;
    }
    // wandb pops the chart's key and adds "<key>_table" at the end of the row.
    row.erase(std::remove_if(
                  row.begin(), row.end(),
                  [&](const auto& cell) { return cell.first == key || cell.first == row_key; }),
              row.end());
    row.emplace_back(std::move(row_key), std::move(table));
  }
  return result;
}

}  // namespace wandb::internal
