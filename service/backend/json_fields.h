// Reading a server's JSON answer field by field without trusting its shape: a missing field,
// or a field of another type than expected, reads as null or "" rather than throwing (the
// daemon must never die of what a server sends).
#ifndef WANDB_SERVICE_BACKEND_JSON_FIELDS_H_
#define WANDB_SERVICE_BACKEND_JSON_FIELDS_H_

#include <string>

#include <nlohmann/json.hpp>

namespace wandb::service::json_fields {

// object[key], or null when `object` is no object or lacks it.
inline const nlohmann::json& At(const nlohmann::json& object, const char* key) {
  static const nlohmann::json kNull;
  if (!object.is_object()) return kNull;
  auto it = object.find(key);
  return it != object.end() ? *it : kNull;
}

// object[key] when it is a string, else "".
inline std::string Text(const nlohmann::json& object, const char* key) {
  const nlohmann::json& value = At(object, key);
  return value.is_string() ? value.get<std::string>() : "";
}

}  // namespace wandb::service::json_fields

#endif  // WANDB_SERVICE_BACKEND_JSON_FIELDS_H_
