#include "client/src/media/table_cells.h"

#include <utility>

#include "wandb/media.h"

namespace wandb::internal {

Value CellForm(Value row_json) {
  const Value* path = row_json.find("path");
  const Value* sha256 = row_json.find("sha256");
  const Value* type = row_json.find("_type");
  if (path == nullptr || sha256 == nullptr || type == nullptr) return row_json;
  Value cell = Value::map({{"path", *path}, {"sha256", *sha256}, {"_type", *type}});
  for (auto& [key, value] : row_json.as_map()) {
    if (key == "path" || key == "sha256" || key == "_type" || key == "size") continue;
    cell.set(key, std::move(value));
  }
  return cell;
}

Value TableCellJson(const Value& cell, MediaContext& context) {
  if (!cell.holds_media()) return cell;
  if (cell.is_media()) {
    Value json = cell.as_media()->Resolve(context);
    return json.is_null() ? json : CellForm(std::move(json));
  }
  if (cell.is_list()) {
    Value::List items;
    items.reserve(cell.as_list().size());
    for (const Value& item : cell.as_list()) items.push_back(TableCellJson(item, context));
    return Value(std::move(items));
  }
  Value::Map entries;
  entries.reserve(cell.as_map().size());
  for (const auto& [key, item] : cell.as_map()) {
    entries.emplace_back(key, TableCellJson(item, context));
  }
  return Value(std::move(entries));
}

}  // namespace wandb::internal
