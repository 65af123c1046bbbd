// Reading a server's JSON answer field by field without trusting its shape: a missing field,
// or a field of another type than expected, reads as null or "" rather than throwing (the
// daemon must never die of what a server sends).
#ifndef WANDB_SERVICE_BACKEND_JSON_FIELDS_H_
#define WANDB_SERVICE_BACKEND_JSON_FIELDS_H_

#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"

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

// W&B's upload headers, "Name:value" strings, as "Name: value" with the value trimmed (as wandb
// splits them); anything else in the list is dropped.
inline std::vector<std::string> UploadHeaders(const nlohmann::json& list) {
  std::vector<std::string> out;
  if (!list.is_array()) return out;
  for (const nlohmann::json& header : list) {
    if (!header.is_string()) continue;
    const std::string text = header.get<std::string>();
    const size_t colon = text.find(':');
    if (colon == std::string::npos || colon == 0) continue;
    out.push_back(absl::StrCat(text.substr(0, colon), ": ",
                               absl::StripAsciiWhitespace(text.substr(colon + 1))));
  }
  return out;
}

}  // namespace wandb::service::json_fields

#endif  // WANDB_SERVICE_BACKEND_JSON_FIELDS_H_
