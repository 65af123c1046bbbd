// JSON in wandb's dialect.
//
// wandb writes values with Python's json.dumps: ", " and ": " separators, and the bare tokens
// NaN, Infinity and -Infinity for non-finite numbers. Strict JSON libraries (nlohmann-json
// included) reject those tokens, and a logged NaN must survive, so this codec is our own.
#ifndef WANDB_COMMON_VALUE_JSON_H_
#define WANDB_COMMON_VALUE_JSON_H_

#include <string>
#include "absl/strings/string_view.h"

#include "absl/status/statusor.h"
#include "wandb/value.h"

namespace wandb::json {

// Deeper documents are refused by the parser, so no input can exhaust the stack.
inline constexpr int kMaxParseDepth = 128;

std::string Encode(const Value& value);
void AppendEncoded(const Value& value, std::string* out);

// Appends `s` as a quoted JSON string. Invalid UTF-8 is not checked here (see validation.h).
void AppendQuoted(absl::string_view s, std::string* out);
// Appends a double the way Python's repr would read back: shortest round-trip digits, ".0" on
// integral values, and NaN/Infinity/-Infinity.
void AppendDouble(double d, std::string* out);

absl::StatusOr<Value> Parse(absl::string_view text);

// Refuses `text` when its arrays and objects nest deeper than `max_depth`, read with a loop:
// the check before handing text to a recursive parser (nlohmann-json's), whose depth the
// text would otherwise choose. Malformed text passes; the parser reports it.
absl::Status CheckNesting(absl::string_view text, int max_depth = kMaxParseDepth);

// Whether `text` is exactly one number token: JSON's grammar, or NaN, Infinity, -Infinity.
// A cheap check for the common case of a logged value, without converting it.
bool IsNumber(absl::string_view text);

}  // namespace wandb::json

#endif  // WANDB_COMMON_VALUE_JSON_H_
