// Checks on what a user hands to log(), config and summary, shared by client and daemon so
// that the daemon refuses the same things even from a client that skipped them.
#ifndef WANDB_COMMON_VALUE_VALIDATION_H_
#define WANDB_COMMON_VALUE_VALIDATION_H_

#include <cstddef>
#include <cstdint>
#include <string>
#include "absl/strings/string_view.h"

#include "absl/status/status.h"
#include "wandb/value.h"

namespace wandb::validation {

inline constexpr size_t kMaxKeyBytes = 256;
inline constexpr int kMaxDepth = 32;
// wandb's file stream drops lines above ~10 MB; refuse such values where the user can see it.
inline constexpr size_t kMaxStringBytes = 10 * 1000 * 1000 - 100 * 1000;

// One console line (OutputRecord.line, its '\n' included): the client ends a line there, the
// daemon cuts a longer one.
inline constexpr size_t kMaxOutputLineBytes = 1 << 20;

// History steps stay below 2^53 so that every step is exact as a JSON number (and +1 never
// overflows).
inline constexpr int64_t kMaxStep = (int64_t{1} << 53) - 1;

bool IsValidUtf8(absl::string_view s);
// `s` with every byte that is not part of a valid UTF-8 sequence replaced by U+FFFD, as
// Python's errors="replace" does: text that must be UTF-8 keeps the rest of its bytes.
std::string ReplaceInvalidUtf8(absl::string_view s);
// The largest length <= `max_bytes` at which `s` can be cut without splitting a UTF-8
// sequence (`s.size()` when it is no longer than that).
size_t Utf8CutPoint(absl::string_view s, size_t max_bytes);

// A log() step: 0 <= step <= kMaxStep.
absl::Status ValidateStep(int64_t step);

// A top-level key: non-empty, at most kMaxKeyBytes, valid UTF-8, no control characters, and
// no leading '_' (reserved for wandb's own keys) except _timestamp and _runtime, which wandb
// lets users set.
absl::Status ValidateKey(absl::string_view key);

// A value under `key`: nesting at most kMaxDepth, strings and map keys valid UTF-8, map keys
// non-empty, strings at most kMaxStringBytes. Non-finite numbers are allowed and kept.
absl::Status ValidateValue(absl::string_view key, const Value& value);

// Both of the above for every entry of a map.
absl::Status ValidateEntries(const Value::Map& entries);

}  // namespace wandb::validation

#endif  // WANDB_COMMON_VALUE_VALIDATION_H_
