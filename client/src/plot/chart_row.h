// What log() does with the charts of a row, on the caller's thread, as wandb's run does
// (its "visualization hack"): a chart logged under key k becomes its table under "k_table",
// and the config gets the panel that draws it under _wandb.visualize.k (an older
// visualization keeps its key, and its panel goes under _wandb.viz.k). Only a row's
// top-level values are charts; a chart anywhere else is refused by the media checks.
#ifndef WANDB_CLIENT_SRC_PLOT_CHART_ROW_H_
#define WANDB_CLIENT_SRC_PLOT_CHART_ROW_H_

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "wandb/records.pb.h"
#include "wandb/value.h"

namespace wandb::internal {

struct RowCharts {
  records::ConfigRecord config;       // the charts' panels; no items when the row has none
  std::vector<std::string> warnings;  // "key 'k': ..." for each chart with a warning
};

// Replaces the row's charts by their tables and returns the config update for their panels.
// InvalidArgument, naming the key, for a chart whose table has a problem; the row is then
// unchanged.
absl::StatusOr<RowCharts> TakeCharts(Value::Map& row);

}  // namespace wandb::internal

#endif  // WANDB_CLIENT_SRC_PLOT_CHART_ROW_H_
