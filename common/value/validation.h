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
// Keys in one log() call or config update, and items (list elements and map entries, at any
// depth) in one value: more is no metric a chart can show, and would cost the daemon memory in
// proportion.
inline constexpr size_t kMaxEntries = 100 * 1000;
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

// `s` quoted for an error message: in single quotes, its invalid bytes replaced, cut at
// `max_bytes` with the whole size named, so that no input is echoed whole however long
// ('abc…' (1048576 bytes)).
std::string Quoted(absl::string_view s, size_t max_bytes = 64);

// A log() step: 0 <= step <= kMaxStep.
absl::Status ValidateStep(int64_t step);

// A top-level key: non-empty, at most kMaxKeyBytes, valid UTF-8, no control characters, and
// no leading '_' (reserved for wandb's own keys) except _timestamp and _runtime, which wandb
// lets users set.
absl::Status ValidateKey(absl::string_view key);
// ValidateKey's checks but the reserved '_': for the daemon, which writes such keys itself
// (the summary's _wandb, a client's _undelivered_records).
absl::Status ValidateKeyText(absl::string_view key);

// A value under `key`: nesting at most kMaxDepth, strings and map keys valid UTF-8, map keys
// non-empty, strings at most kMaxStringBytes, at most kMaxEntries items. Non-finite numbers are
// allowed and kept.
absl::Status ValidateValue(absl::string_view key, const Value& value);

// Both of the above for every entry of a map, and at most kMaxEntries of them. _timestamp and
// _runtime, the two reserved keys a user may set, must be numbers.
absl::Status ValidateEntries(const Value::Map& entries);

// One key of a nested path (run.summary()["a"]["b"], a config item's nested_key) after the
// first: non-empty, valid UTF-8, at most kMaxKeyBytes. `index` counts from 1 (the first
// nested key), for the message.
absl::Status ValidateNestedKey(absl::string_view top, size_t index, absl::string_view key);

// A nested path: a valid top-level key, then valid nested keys, at most kMaxDepth of them in
// all (a path is a nesting level per key, as deep as the value it makes). `Path` is any
// range of strings (a vector, a protobuf repeated field).
enum class ReservedKeys { kRefuse, kAllow };
template <typename Path>
absl::Status ValidatePath(const Path& path, ReservedKeys reserved = ReservedKeys::kRefuse);

// A value set at `path` (ValidatePath's): ValidateValue's checks, counting the path's levels
// towards kMaxDepth.
template <typename Path>
absl::Status ValidateValueAt(const Path& path, const Value& value);

// --- implementation of the templates ---

absl::Status ValidatePathDepth(absl::string_view top, size_t size);
absl::Status ValidateValueFrom(absl::string_view key, const Value& value, int depth);

template <typename Path>
absl::Status ValidatePath(const Path& path, ReservedKeys reserved) {
  size_t size = static_cast<size_t>(path.size());
  if (size == 0) return absl::InvalidArgumentError("empty key path");
  auto it = path.begin();
  absl::string_view top = *it;
  absl::Status top_ok = reserved == ReservedKeys::kAllow ? ValidateKeyText(top) : ValidateKey(top);
  if (!top_ok.ok()) return top_ok;
  // Before the keys are read one by one: a path of a million keys is refused at once.
  if (absl::Status s = ValidatePathDepth(top, size); !s.ok()) return s;
  size_t index = 1;
  for (++it; it != path.end(); ++it, ++index) {
    if (absl::Status s = ValidateNestedKey(top, index, *it); !s.ok()) return s;
  }
  return absl::OkStatus();
}

template <typename Path>
absl::Status ValidateValueAt(const Path& path, const Value& value) {
  absl::string_view top = *path.begin();
  return ValidateValueFrom(top, value, static_cast<int>(path.size()));
}

}  // namespace wandb::validation

#endif  // WANDB_COMMON_VALUE_VALIDATION_H_
