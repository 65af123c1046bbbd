// One run's history as numeric columns, for charts: built from the store's rows once and
// extended as a live run logs more, so a chart of a million steps is parsed once, not per
// request.
//
// Each history row is a JSON object; its numbers (ints and floats, NaN and infinities too) are
// columns, named as W&B names them: a nested object's keys are joined with '.' ({"val":
// {"loss": 1}} is "val.loss"). Values of other kinds (strings, lists, media objects with a
// "_type") are not columns; media keys are listed with their type and the steps that hold
// one, for the media panels (which read the values themselves from the store's rows).
#ifndef WANDB_UI_SERVER_RUN_HISTORY_H_
#define WANDB_UI_SERVER_RUN_HISTORY_H_

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/types/span.h"
#include "ui/server/series_reducer.h"

namespace wandb::ui {

class RunHistory {
 public:
  // A key's values with the steps of the rows they came from, in step order. The steps are
  // kept as doubles: they are the x axis of most charts, handed out without a copy.
  struct Column {
    std::vector<double> steps;
    std::vector<double> values;
  };

  // The points of a series, sorted by x: views into the columns when x is "_step", else
  // into `owned`.
  struct Series {
    absl::Span<const double> x, y;
    SeriesPoints owned;
  };

  // Adds one stored row. Rows must come in rising step order; a row at or below last_step()
  // is ignored. A row that is not a JSON object counts as a row with no values.
  void Append(int64_t step, absl::string_view row_json);

  int64_t last_step() const { return steps_.empty() ? -1 : steps_.back(); }
  size_t row_count() const { return steps_.size(); }
  const std::vector<int64_t>& steps() const { return steps_; }
  // Numeric keys and how many rows hold each, by name.
  std::map<std::string, int64_t> NumericKeys() const;
  // Keys whose values are media objects, with their "_type" (e.g. "image-file").
  const std::map<std::string, std::string>& media_keys() const { return media_keys_; }
  // The steps whose rows hold a media object under `key`, rising; null for no such key.
  const std::vector<int64_t>* MediaSteps(absl::string_view key) const;
  const Column* Find(absl::string_view key) const;

  // The points of `y_key` against `x_key` ("_step", or any numeric key such as "_runtime",
  // "_timestamp" or another metric), sorted by x; rows lacking either are left out.
  // NotFound when either key has no numeric value.
  // Valid while the history is neither changed nor destroyed.
  absl::StatusOr<Series> Points(absl::string_view y_key, absl::string_view x_key) const;

  // Roughly the memory held, for the cache's budget.
  size_t bytes() const { return bytes_; }

 private:
  void AddValue(absl::string_view key, int64_t step, double value);
  void AddMedia(std::string key, std::string type, int64_t step);

  std::vector<int64_t> steps_;
  absl::flat_hash_map<std::string, Column> columns_;
  std::map<std::string, std::string> media_keys_;
  absl::flat_hash_map<std::string, std::vector<int64_t>> media_steps_;
  size_t bytes_ = 0;
};

}  // namespace wandb::ui

#endif  // WANDB_UI_SERVER_RUN_HISTORY_H_
