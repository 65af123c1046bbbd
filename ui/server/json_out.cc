#include "ui/server/json_out.h"

#include <httplib.h>

#include <cmath>

#include "common/value/json.h"

namespace wandb::ui {

nlohmann::json NumberJson(double value) {
  if (std::isnan(value)) return "NaN";
  if (std::isinf(value)) return value > 0 ? "Infinity" : "-Infinity";
  return value;
}

nlohmann::json ToJson(const Value& value) {
  switch (value.type()) {
    case Value::Type::kNull:
      return nullptr;
    case Value::Type::kBool:
      return value.as_bool();
    case Value::Type::kInt:
      return value.as_int();
    case Value::Type::kDouble:
      return NumberJson(value.as_double());
    case Value::Type::kString:
      return value.as_string();
    case Value::Type::kList: {
      nlohmann::json list = nlohmann::json::array();
      for (const Value& item : value.as_list()) list.push_back(ToJson(item));
      return list;
    }
    case Value::Type::kMap: {
      nlohmann::json map = nlohmann::json::object();
      for (const auto& [key, item] : value.as_map()) map[key] = ToJson(item);
      return map;
    }
    case Value::Type::kMedia:  // never read from a store: values there are JSON
      return nullptr;
  }
  return nullptr;
}

nlohmann::json DialectToJson(absl::string_view text) {
  absl::StatusOr<Value> parsed = json::Parse(text);
  if (!parsed.ok()) return std::string(text);
  return ToJson(*parsed);
}

std::string Dump(const nlohmann::json& json) {
  return json.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

void SendJson(httplib::Response& response, const nlohmann::json& json) {
  response.set_content(Dump(json), "application/json");
}

int HttpStatusFor(const absl::Status& status) {
  switch (status.code()) {
    case absl::StatusCode::kOk:
      return 200;
    case absl::StatusCode::kInvalidArgument:
    case absl::StatusCode::kOutOfRange:
      return 400;
    case absl::StatusCode::kUnauthenticated:
      return 401;
    case absl::StatusCode::kPermissionDenied:
      return 403;
    case absl::StatusCode::kNotFound:
      return 404;
    case absl::StatusCode::kFailedPrecondition:
    case absl::StatusCode::kAlreadyExists:
      return 409;
    case absl::StatusCode::kUnavailable:
      return 503;
    default:
      return 500;
  }
}

void SendError(httplib::Response& response, const absl::Status& status) {
  response.status = HttpStatusFor(status);
  SendJson(response, {{"error", std::string(status.message())}});
}

}  // namespace wandb::ui
