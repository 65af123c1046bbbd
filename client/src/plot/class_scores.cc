#include "client/src/plot/class_scores.h"

#include <algorithm>
#include <cmath>
#include <map>
#include <set>
#include <stdexcept>

#include "absl/strings/str_cat.h"
#include "wandb/table.h"

namespace wandb::internal {
namespace {

[[noreturn]] void Refuse(const char* chart, const std::string& message) {
  throw std::invalid_argument(absl::StrCat("wandb::", chart, ": ", message));
}

// pandas' order for sort_values: numbers by value (NaN last), strings by bytes.
bool CellLess(const Value& a, const Value& b) {
  if (a.is_number() && b.is_number()) {
    double x = a.as_double();
    double y = b.as_double();
    if (std::isnan(x) || std::isnan(y)) return !std::isnan(x) && std::isnan(y);
    return x < y;
  }
  if (a.is_string() && b.is_string()) return a.as_string() < b.as_string();
  return a.type() < b.type();
}

}  // namespace

std::vector<ClassScores> ClassesToPlot(const char* chart, const std::vector<int64_t>& y_true,
                                       const std::vector<std::vector<double>>& y_probas,
                                       const std::vector<std::string>& labels,
                                       const std::vector<int64_t>& classes_to_plot) {
  if (y_true.empty()) Refuse(chart, "y_true is empty");
  if (y_probas.size() != y_true.size()) {
    Refuse(chart, absl::StrCat("y_probas has ", y_probas.size(), " rows for ", y_true.size(),
                               " samples in y_true"));
  }
  std::set<int64_t> classes(y_true.begin(), y_true.end());
  std::set<int64_t> wanted(classes_to_plot.begin(), classes_to_plot.end());
  std::vector<ClassScores> out;
  size_t index = 0;
  for (int64_t value : classes) {
    size_t column = index++;
    if (!wanted.empty() && wanted.count(value) == 0) continue;
    ClassScores scores;
    scores.value = value;
    if (labels.empty()) {
      scores.label = value;
    } else if (value < 0 || static_cast<uint64_t>(value) >= labels.size()) {
      Refuse(chart, absl::StrCat("class ", value, " has no label (", labels.size(), " labels)"));
    } else {
      scores.label = labels[static_cast<size_t>(value)];
    }
    for (size_t i = 0; i < y_true.size(); ++i) {
      if (y_probas[i].size() <= column) {
        Refuse(chart, absl::StrCat("y_probas row ", i, " has ", y_probas[i].size(),
                                   " scores; class ", value, " is scored in column ", column));
      }
      double score = y_probas[i][column];
      if (std::isnan(score)) Refuse(chart, absl::StrCat("y_probas row ", i, " holds NaN"));
      scores.positive.push_back(y_true[i] == value);
      scores.scores.push_back(score);
    }
    out.push_back(std::move(scores));
  }
  return out;
}

std::string LimitCurveRows(std::vector<Value::List>* rows, size_t class_column,
                           const std::vector<size_t>& sort_columns) {
  const size_t limit = Table::kMaxRows;
  if (rows->size() <= limit) return "";
  // Each class's rows, in the order the classes first appear.
  std::vector<std::vector<size_t>> groups;
  std::vector<Value> keys;
  for (size_t i = 0; i < rows->size(); ++i) {
    const Value& key = (*rows)[i][class_column];
    auto it = std::find(keys.begin(), keys.end(), key);
    if (it == keys.end()) {
      keys.push_back(key);
      groups.emplace_back();
      it = keys.end() - 1;
    }
    groups[static_cast<size_t>(it - keys.begin())].push_back(i);
  }
  // Shares as sklearn's stratified draw gives them: the floor of each class's proportion,
  // the rows left over to the classes with the largest remainders.
  std::vector<size_t> keep(groups.size());
  std::vector<std::pair<double, size_t>> remainders;
  size_t kept = 0;
  for (size_t g = 0; g < groups.size(); ++g) {
    double share = static_cast<double>(groups[g].size()) * limit / rows->size();
    keep[g] = static_cast<size_t>(share);
    kept += keep[g];
    remainders.emplace_back(share - keep[g], g);
  }
  std::stable_sort(remainders.begin(), remainders.end(),
                   [](const auto& a, const auto& b) { return a.first > b.first; });
  for (size_t i = 0; kept < limit && i < remainders.size(); ++i, ++kept) {
    ++keep[remainders[i].second];
  }
  std::vector<Value::List> cut;
  for (size_t g = 0; g < groups.size(); ++g) {
    for (size_t k = 0; k < keep[g]; ++k) {
      cut.push_back((*rows)[groups[g][k * groups[g].size() / keep[g]]]);
    }
  }
  std::stable_sort(cut.begin(), cut.end(), [&](const Value::List& a, const Value::List& b) {
    for (size_t column : sort_columns) {
      if (CellLess(a[column], b[column])) return true;
      if (CellLess(b[column], a[column])) return false;
    }
    return false;
  });
  *rows = std::move(cut);
  return absl::StrCat("wandb uses only ", limit, " data points to create the plots.");
}

}  // namespace wandb::internal
