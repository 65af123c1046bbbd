#include "ui/server/run_history.h"

#include <algorithm>
#include <cmath>
#include <numeric>

#include "absl/strings/str_cat.h"
#include "common/value/json.h"

namespace wandb::ui {
namespace {

// A run may log any number of keys; past this many the rest are not charted, so one odd run
// cannot take the server's memory.
constexpr size_t kMaxColumns = 20000;

// The "_type" of a media object ({"_type": "image-file", ...}), or "" for a plain object.
std::string MediaType(const Value::Map& map) {
  for (const auto& [key, value] : map) {
    if (key == "_type" && value.is_string()) return value.as_string();
  }
  return "";
}

}  // namespace

void RunHistory::AddValue(const std::string& key, double value) {
  auto it = columns_.find(key);
  if (it == columns_.end()) {
    if (columns_.size() >= kMaxColumns) return;
    it = columns_.try_emplace(key).first;
    bytes_ += key.size() + sizeof(Column) + 32;
  }
  it->second.rows.push_back(static_cast<uint32_t>(steps_.size() - 1));
  it->second.values.push_back(value);
  bytes_ += sizeof(uint32_t) + sizeof(double);
}

void RunHistory::Append(int64_t step, absl::string_view row_json) {
  if (!steps_.empty() && step <= steps_.back()) return;
  steps_.push_back(step);
  bytes_ += sizeof(int64_t);
  absl::StatusOr<Value> row = json::Parse(row_json);
  if (!row.ok() || !row->is_map()) return;

  // Depth-first over nested objects, naming leaves "outer.inner".
  struct Frame {
    const Value::Map* map;
    std::string prefix;
  };
  std::vector<Frame> stack = {{&row->as_map(), ""}};
  while (!stack.empty()) {
    Frame frame = std::move(stack.back());
    stack.pop_back();
    for (const auto& [key, value] : *frame.map) {
      std::string name = frame.prefix.empty() ? key : absl::StrCat(frame.prefix, ".", key);
      if (value.is_number()) {
        AddValue(name, value.as_double());
      } else if (value.is_bool()) {
        AddValue(name, value.as_bool() ? 1 : 0);
      } else if (value.is_map()) {
        std::string type = MediaType(value.as_map());
        if (type.empty()) {
          stack.push_back({&value.as_map(), std::move(name)});
        } else if (!media_keys_.contains(name)) {
          media_keys_.emplace(std::move(name), std::move(type));
        }
      }
    }
  }
}

std::map<std::string, int64_t> RunHistory::NumericKeys() const {
  std::map<std::string, int64_t> keys;
  for (const auto& [key, column] : columns_) {
    keys.emplace(key, static_cast<int64_t>(column.values.size()));
  }
  return keys;
}

const RunHistory::Column* RunHistory::Find(absl::string_view key) const {
  auto it = columns_.find(key);
  return it == columns_.end() ? nullptr : &it->second;
}

absl::StatusOr<SeriesPoints> RunHistory::Points(absl::string_view y_key,
                                                absl::string_view x_key) const {
  const Column* y = Find(y_key);
  if (y == nullptr) {
    return absl::NotFoundError(absl::StrCat("the run's history has no numeric key '", y_key, "'"));
  }
  SeriesPoints points;
  if (x_key == "_step") {
    points.x.reserve(y->rows.size());
    for (uint32_t row : y->rows) points.x.push_back(static_cast<double>(steps_[row]));
    points.y = y->values;
    return points;
  }
  const Column* x = Find(x_key);
  if (x == nullptr) {
    return absl::NotFoundError(
        absl::StrCat("the run's history has no numeric key '", x_key, "' to use as the x axis"));
  }
  // Both columns list rows in rising order: a merge keeps the rows that hold both.
  size_t i = 0, j = 0;
  while (i < x->rows.size() && j < y->rows.size()) {
    if (x->rows[i] < y->rows[j]) {
      ++i;
    } else if (y->rows[j] < x->rows[i]) {
      ++j;
    } else {
      // A NaN on the x axis has no place on it (and would break the sort below).
      if (std::isfinite(x->values[i])) {
        points.x.push_back(x->values[i]);
        points.y.push_back(y->values[j]);
      }
      ++i;
      ++j;
    }
  }
  if (!std::is_sorted(points.x.begin(), points.x.end())) {
    // A metric on the x axis need not rise (loss against accuracy): order the points by it.
    std::vector<size_t> order(points.x.size());
    std::iota(order.begin(), order.end(), 0);
    std::stable_sort(order.begin(), order.end(),
                     [&](size_t a, size_t b) { return points.x[a] < points.x[b]; });
    SeriesPoints sorted;
    sorted.x.reserve(order.size());
    sorted.y.reserve(order.size());
    for (size_t k : order) {
      sorted.x.push_back(points.x[k]);
      sorted.y.push_back(points.y[k]);
    }
    return sorted;
  }
  return points;
}

}  // namespace wandb::ui
