#include <algorithm>
#include <cmath>

#include "common/value/json.h"
#include "wandb/value.h"

namespace wandb {
namespace {

bool IsKeyValuePair(const Value& v) {
  return v.is_list() && v.as_list().size() == 2 && v.as_list()[0].is_string();
}

}  // namespace

Value::Value(std::initializer_list<Value> items) {
  bool is_map = items.size() > 0;
  for (const Value& item : items) {
    if (!IsKeyValuePair(item)) {
      is_map = false;
      break;
    }
  }
  if (!is_map) {
    data_ = List(items);
    return;
  }
  Map map;
  map.reserve(items.size());
  for (const Value& item : items) {
    const List& pair = item.as_list();
    // A repeated key keeps its first position and its last value, as a Python dict literal
    // does (and as a JSON reader of to_json() would).
    auto same_key = [&](const auto& entry) { return entry.first == pair[0].as_string(); };
    if (auto it = std::find_if(map.begin(), map.end(), same_key); it != map.end()) {
      it->second = pair[1];
    } else {
      map.emplace_back(pair[0].as_string(), pair[1]);
    }
  }
  data_ = std::move(map);
}

double Value::as_double() const {
  if (is_int()) return static_cast<double>(as_int());
  return std::get<double>(data_);
}

const Value* Value::find(std::string_view key) const {
  if (!is_map()) return nullptr;
  for (const auto& [k, v] : as_map()) {
    if (k == key) return &v;
  }
  return nullptr;
}

Value* Value::find(std::string_view key) {
  return const_cast<Value*>(static_cast<const Value*>(this)->find(key));
}

void Value::set(std::string_view key, Value value) {
  if (is_null()) data_ = Map();
  if (Value* existing = find(key)) {
    *existing = std::move(value);
    return;
  }
  as_map().emplace_back(std::string(key), std::move(value));
}

bool Value::erase(std::string_view key) {
  if (!is_map()) return false;
  Map& map = as_map();
  for (auto it = map.begin(); it != map.end(); ++it) {
    if (it->first == key) {
      map.erase(it);
      return true;
    }
  }
  return false;
}

bool Value::holds_media() const {
  switch (type()) {
    case Type::kMedia:
      return true;
    case Type::kList:
      return std::any_of(as_list().begin(), as_list().end(),
                         [](const Value& v) { return v.holds_media(); });
    case Type::kMap:
      return std::any_of(as_map().begin(), as_map().end(),
                         [](const auto& entry) { return entry.second.holds_media(); });
    default:
      return false;
  }
}

std::string Value::to_json() const { return json::Encode(*this); }

bool operator==(const Value& a, const Value& b) {
  // NaN equals NaN here: a logged NaN read back is the same value.
  if (a.is_double() && b.is_double() && std::isnan(a.as_double()) && std::isnan(b.as_double())) {
    return true;
  }
  return a.data_ == b.data_;
}

}  // namespace wandb
