// Turning the store's values into the JSON the API sends, and sending it.
//
// The store keeps wandb's dialect (bare NaN and Infinity); browsers' JSON.parse refuses those,
// so the API sends them as the strings "NaN", "Infinity" and "-Infinity".
#ifndef WANDB_UI_SERVER_JSON_OUT_H_
#define WANDB_UI_SERVER_JSON_OUT_H_

#include <string>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "nlohmann/json.hpp"
#include "wandb/value.h"

namespace httplib {
struct Response;
}

namespace wandb::ui {

nlohmann::json ToJson(const Value& value);
// A number, or its name when it is not finite.
nlohmann::json NumberJson(double value);
// JSON text in wandb's dialect (a config, a summary, a history row) as strict JSON; text that
// does not parse becomes a string holding it.
nlohmann::json DialectToJson(absl::string_view text);

// Invalid UTF-8 in strings is replaced, never thrown about.
std::string Dump(const nlohmann::json& json);

void SendJson(httplib::Response& response, const nlohmann::json& json);
// {"error": message} with the HTTP status for the status's code.
void SendError(httplib::Response& response, const absl::Status& status);
int HttpStatusFor(const absl::Status& status);

}  // namespace wandb::ui

#endif  // WANDB_UI_SERVER_JSON_OUT_H_
