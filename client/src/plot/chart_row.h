// What log() does with the charts of a row, on the caller's thread, as wandb's run does
// (its "visualization hack"): a chart logged under key k becomes its table under "k_table",
// and the config gets the panel that draws it under _wandb.visualize.k. Only a row's
// top-level values are charts; a chart anywhere else is refused by the media checks.
#ifndef WANDB_CLIENT_SRC_PLOT_CHART_ROW_H_
#define WANDB_CLIENT_SRC_PLOT_CHART_ROW_H_

#include "absl/status/statusor.h"
#include "wandb/records.pb.h"
#include "wandb/value.h"

namespace wandb::internal {

// Replaces the row's charts by their tables and returns the config update for their panels
// (no items when the row has no chart). InvalidArgument, naming the key, for a chart whose
// table has a problem; the row is then unchanged.
absl::StatusOr<records::ConfigRecord> TakeCharts(Value::Map& row);

}  // namespace wandb::internal

#endif  // WANDB_CLIENT_SRC_PLOT_CHART_ROW_H_
