// wandb.plot.line_series (wandb/plot/line_series.py): many lines in one chart, as a table of
// (step, lineKey, lineVal) rows.
#include <algorithm>
#include <stdexcept>

#include "absl/strings/str_cat.h"
#include "wandb/plot.h"

namespace wandb::plot {

CustomChart line_series(const std::vector<double>& xs, const std::vector<std::vector<double>>& ys,
                        const std::vector<std::string>& keys,
                        const std::optional<std::string>& title,
                        const std::optional<std::string>& xname) {
  return line_series(std::vector<std::vector<double>>(ys.size(), xs), ys, keys, title, xname);
}

CustomChart line_series(const std::vector<std::vector<double>>& xs,
                        const std::vector<std::vector<double>>& ys,
                        const std::vector<std::string>& keys,
                        const std::optional<std::string>& title,
                        const std::optional<std::string>& xname) {
  if (xs.size() != ys.size()) {
    throw std::invalid_argument(absl::StrCat("wandb::plot::line_series: ", xs.size(),
                                             " lists of xs for ", ys.size(), " lines"));
  }
  if (!keys.empty() && keys.size() != ys.size()) {
    throw std::invalid_argument(
        absl::StrCat("wandb::plot::line_series: ", keys.size(), " keys for ", ys.size(), " lines"));
  }
  Table table({"step", "lineKey", "lineVal"});
  for (size_t line = 0; line < ys.size(); ++line) {
    std::string key = keys.empty() ? absl::StrCat("key_", line) : keys[line];
    // As Python's zip: as many points as the shorter list has.
    size_t points = std::min(xs[line].size(), ys[line].size());
    for (size_t i = 0; i < points; ++i) table.add_data(xs[line][i], key, ys[line][i]);
  }
  return plot_table(
      "wandb/lineseries/v0", table,
      {{"step", "step"}, {"lineKey", "lineKey"}, {"lineVal", "lineVal"}},
      {{"title", title.has_value() ? Value(*title) : Value()}, {"xname", xname.value_or("x")}});
}

}  // namespace wandb::plot
