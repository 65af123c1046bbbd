#include "ui/server/run_history.h"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <limits>
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

// The common row, a flat object of numbers ({"loss": 0.25, "_step": 3, "_runtime": 1.5}),
// read without building a Value: the pairs, or false for anything else (a nested object, a
// string, a list, an escaped key), which the full parser then reads.
bool ScanFlatNumbers(absl::string_view text,
                     std::vector<std::pair<absl::string_view, double>>* out) {
  const char* p = text.data();
  const char* const end = p + text.size();
  auto skip_space = [&] {
    while (p < end && (*p == ' ' || *p == '\n' || *p == '\t' || *p == '\r')) ++p;
  };
  auto literal = [&](absl::string_view word) {
    if (static_cast<size_t>(end - p) < word.size() || absl::string_view(p, word.size()) != word) {
      return false;
    }
    p += word.size();
    return true;
  };
  skip_space();
  if (p == end || *p++ != '{') return false;
  skip_space();
  if (p < end && *p == '}') return true;
  for (;;) {
    if (p == end || *p++ != '"') return false;
    const char* key = p;
    while (p < end && *p != '"' && *p != '\\') ++p;
    if (p == end || *p != '"') return false;
    absl::string_view name(key, p - key);
    ++p;
    skip_space();
    if (p == end || *p++ != ':') return false;
    skip_space();
    if (p == end) return false;
    double value;
    if (literal("NaN")) {
      value = std::numeric_limits<double>::quiet_NaN();
    } else if (literal("Infinity")) {
      value = std::numeric_limits<double>::infinity();
    } else if (literal("-Infinity")) {
      value = -std::numeric_limits<double>::infinity();
    } else if (*p == '-' || (*p >= '0' && *p <= '9')) {
      auto [next, error] = std::from_chars(p, end, value);
      if (error != std::errc()) return false;
      p = next;
    } else {
      return false;  // a string, object, list, bool or null
    }
    out->emplace_back(name, value);
    skip_space();
    if (p == end) return false;
    if (*p == '}') return true;
    if (*p++ != ',') return false;
    skip_space();
  }
}

}  // namespace

void RunHistory::AddValue(absl::string_view key, int64_t step, double value) {
  auto it = columns_.find(key);
  if (it == columns_.end()) {
    if (columns_.size() >= kMaxColumns) return;
    it = columns_.try_emplace(std::string(key)).first;
    bytes_ += key.size() + sizeof(Column) + 32;
  }
  it->second.steps.push_back(static_cast<double>(step));
  it->second.values.push_back(value);
  bytes_ += 2 * sizeof(double);
}

void RunHistory::AddMedia(std::string key, std::string type, int64_t step) {
  auto it = media_steps_.find(key);
  if (it == media_steps_.end()) {
    if (media_steps_.size() >= kMaxColumns) return;
    bytes_ += 2 * key.size() + type.size() + 64;
    media_keys_.emplace(key, std::move(type));
    it = media_steps_.try_emplace(std::move(key)).first;
  }
  it->second.push_back(step);
  bytes_ += sizeof(int64_t);
}

void RunHistory::Append(int64_t step, absl::string_view row_json) {
  if (!steps_.empty() && step <= steps_.back()) return;
  steps_.push_back(step);
  bytes_ += sizeof(int64_t);
  thread_local std::vector<std::pair<absl::string_view, double>> flat;
  flat.clear();
  if (ScanFlatNumbers(row_json, &flat)) {
    for (const auto& [key, value] : flat) AddValue(key, step, value);
    return;
  }
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
        AddValue(name, step, value.as_double());
      } else if (value.is_bool()) {
        AddValue(name, step, value.as_bool() ? 1 : 0);
      } else if (value.is_map()) {
        std::string type = MediaType(value.as_map());
        if (type.empty()) {
          stack.push_back({&value.as_map(), std::move(name)});
        } else {
          AddMedia(std::move(name), std::move(type), step);
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

const std::vector<int64_t>* RunHistory::MediaSteps(absl::string_view key) const {
  auto it = media_steps_.find(key);
  return it == media_steps_.end() ? nullptr : &it->second;
}

absl::StatusOr<RunHistory::Series> RunHistory::Points(absl::string_view y_key,
                                                      absl::string_view x_key) const {
  const Column* y = Find(y_key);
  if (y == nullptr) {
    return absl::NotFoundError(absl::StrCat("the run's history has no numeric key '", y_key, "'"));
  }
  Series series;
  if (x_key == "_step") {
    series.x = y->steps;
    series.y = y->values;
    return series;
  }
  const Column* x = Find(x_key);
  if (x == nullptr) {
    return absl::NotFoundError(
        absl::StrCat("the run's history has no numeric key '", x_key, "' to use as the x axis"));
  }
  // Both columns are in rising step order: a merge keeps the rows that hold both.
  SeriesPoints& points = series.owned;
  size_t i = 0, j = 0;
  while (i < x->steps.size() && j < y->steps.size()) {
    if (x->steps[i] < y->steps[j]) {
      ++i;
    } else if (y->steps[j] < x->steps[i]) {
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
    points = std::move(sorted);
  }
  series.x = points.x;
  series.y = points.y;
  return series;
}

}  // namespace wandb::ui
