#include "wandb/table.h"

#include <algorithm>
#include <optional>
#include <stdexcept>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "client/src/media/media_context.h"
#include "client/src/media/run_table_artifact.h"
#include "client/src/media/table_cells.h"
#include "common/value/json.h"
#include "wandb/plot.h"

namespace wandb {
namespace {

// What a cell costs the run's queue beyond its media: a rough figure, for the media queue's
// back-pressure only.
constexpr size_t kCellBytes = 16;

std::string ColumnList(const std::vector<std::string>& columns) {
  return absl::StrCat("[", absl::StrJoin(columns, ", "), "]");
}

// A cell's media that cannot go in a table, or "".
std::string NestingProblem(const Media& media) {
  if (dynamic_cast<const Table*>(&media) != nullptr) return "a table cell cannot hold a table";
  if (dynamic_cast<const CustomChart*>(&media) != nullptr) {
    return "a table cell cannot hold a chart";
  }
  return media.problem();
}

}  // namespace

Table::Table(std::vector<std::string> columns, const std::vector<Value::List>& data) {
  for (const std::string& name : columns) {
    if (std::count(columns.begin(), columns.end(), name) > 1) {
      throw std::invalid_argument(absl::StrCat("wandb::Table: column '", name,
                                               "' is named twice in ", ColumnList(columns)));
    }
  }
  columns_ = std::move(columns);
  for (const Value::List& row : data) add_data(row);
}

void Table::add_data(Value::List row) {
  if (row.size() != columns_.size()) {
    throw std::invalid_argument(absl::StrCat("wandb::Table::add_data: the row has ", row.size(),
                                             " values; the table has ", columns_.size(),
                                             " columns ", ColumnList(columns_)));
  }
  data_.push_back(std::move(row));
  for (size_t i = 0; i < columns_.size(); ++i) {
    TakeCell(data_.back()[i], data_.size() - 1, columns_[i]);
  }
}

void Table::add_column(const std::string& name, Value::List values) {
  if (std::find(columns_.begin(), columns_.end(), name) != columns_.end()) {
    throw std::invalid_argument(
        absl::StrCat("wandb::Table::add_column: column '", name, "' exists already"));
  }
  if (!columns_.empty() && values.size() != data_.size()) {
    throw std::invalid_argument(absl::StrCat("wandb::Table::add_column: column '", name, "' has ",
                                             values.size(), " values; the table has ", data_.size(),
                                             " rows"));
  }
  if (columns_.empty()) data_.assign(values.size(), Value::List());
  columns_.push_back(name);
  for (size_t i = 0; i < values.size(); ++i) {
    data_[i].push_back(std::move(values[i]));
    TakeCell(data_[i].back(), i, name);
  }
}

Value::List Table::get_column(const std::string& name) const {
  size_t index = column_index(name);
  Value::List values;
  values.reserve(data_.size());
  for (const Value::List& row : data_) values.push_back(row[index]);
  return values;
}

size_t Table::column_index(const std::string& name) const {
  auto it = std::find(columns_.begin(), columns_.end(), name);
  if (it == columns_.end()) {
    throw std::invalid_argument(
        absl::StrCat("wandb::Table: no column '", name, "' in ", ColumnList(columns_)));
  }
  return static_cast<size_t>(it - columns_.begin());
}

void Table::TakeCell(const Value& cell, size_t row, const std::string& column) {
  cell_bytes_ += kCellBytes;
  // Media may be nested in lists and maps: walk them.
  std::vector<const Value*> stack;
  if (cell.holds_media()) stack.push_back(&cell);
  while (!stack.empty()) {
    const Value* value = stack.back();
    stack.pop_back();
    if (value->is_media()) {
      const Media& media = *value->as_media();
      if (std::string problem = NestingProblem(media); !problem.empty()) {
        Fail(absl::StrCat("table row ", row, ", column '", column, "': ", problem));
      }
      cell_bytes_ += media.payload_bytes();
    } else if (value->is_list()) {
      for (const Value& item : value->as_list()) stack.push_back(&item);
    } else if (value->is_map()) {
      for (const auto& entry : value->as_map()) stack.push_back(&entry.second);
    }
  }
  set_payload_bytes(cell_bytes_);
}

namespace {

// wandb logs a table also as its run_table artifact, and online points the row's JSON at it.
void LogRunTableArtifact(internal::MediaContext& context, const internal::MediaFile& file,
                         Value& json) {
  if (context.run() == nullptr) return;
  absl::StatusOr<internal::RunTableArtifact> artifact =
      internal::MakeRunTableArtifact(*context.run(), context.key(), context.FullPath(file));
  if (!artifact.ok()) {
    // The table is in the run all the same; only W&B's artifact view of it is missing.
    context.WarnOnce("run-table-artifact",
                     absl::StrCat("the table's run_table artifact was not logged: ",
                                  artifact.status().message()));
    return;
  }
  if (context.run()->online) {
    json.set("artifact_path", artifact->artifact_path);
    json.set("_latest_artifact_path", artifact->latest_artifact_path);
  }
  context.AddRecord(std::move(artifact->record));
}

}  // namespace

Value Table::Resolve(internal::MediaContext& context) const {
  size_t rows = std::min(data_.size(), kMaxRows);
  if (rows < data_.size()) {
    context.WarnOnce("table-rows", absl::StrCat("the table has ", data_.size(),
                                                " rows; the run's file keeps the first ", kMaxRows,
                                                " (wandb's Table.MAX_ROWS)"));
  }
  Value::List data;
  data.reserve(rows);
  for (size_t i = 0; i < rows; ++i) {
    Value::List row;
    row.reserve(data_[i].size());
    for (const Value& cell : data_[i]) row.push_back(internal::TableCellJson(cell, context));
    data.emplace_back(std::move(row));
  }
  Value file = Value::map(
      {{"columns", Value::List(columns_.begin(), columns_.end())}, {"data", std::move(data)}});
  std::optional<internal::MediaFile> written =
      context.Write("table", ".table.json", json::Encode(file));
  if (!written.has_value()) return Value();
  // wandb's key order: Media's fields (with the artifact's paths, when logged), then the
  // table's.
  Value json =
      Value::map({{"_type", "table-file"}, {"sha256", written->sha256}, {"size", written->size}});
  LogRunTableArtifact(context, *written, json);
  json.set("path", written->path);
  json.set("ncols", static_cast<int64_t>(columns_.size()));
  json.set("nrows", static_cast<int64_t>(data_.size()));
  return json;
}

}  // namespace wandb
