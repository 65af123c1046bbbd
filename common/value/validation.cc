#include "common/value/validation.h"

#include <cstring>

#include "absl/strings/str_cat.h"

namespace wandb::validation {
namespace {

// Length of the UTF-8 sequence that starts with `lead`, or 0 if `lead` cannot start one.
int SequenceLength(unsigned char lead) {
  if (lead < 0x80) return 1;
  if (lead >= 0xC2 && lead <= 0xDF) return 2;
  if (lead >= 0xE0 && lead <= 0xEF) return 3;
  if (lead >= 0xF0 && lead <= 0xF4) return 4;
  return 0;
}

absl::Status Invalid(absl::string_view key, absl::string_view why) {
  return absl::InvalidArgumentError(absl::StrCat("key '", key, "': ", why));
}

// Recursion is safe here: it stops at kMaxDepth levels, whatever the value's depth.
absl::Status ValidateNested(absl::string_view key, const Value& value, int depth, size_t* items) {
  if (depth > kMaxDepth) {
    return Invalid(key, absl::StrCat("value nested deeper than ", kMaxDepth, " levels"));
  }
  if (++*items > kMaxEntries) {
    return Invalid(key, absl::StrCat("value holds more than ", kMaxEntries, " items"));
  }
  switch (value.type()) {
    case Value::Type::kString:
      if (value.as_string().size() > kMaxStringBytes) {
        return Invalid(key, absl::StrCat("string longer than ", kMaxStringBytes, " bytes"));
      }
      if (!IsValidUtf8(value.as_string())) return Invalid(key, "string is not valid UTF-8");
      return absl::OkStatus();
    case Value::Type::kList:
      for (const Value& item : value.as_list()) {
        if (absl::Status s = ValidateNested(key, item, depth + 1, items); !s.ok()) return s;
      }
      return absl::OkStatus();
    case Value::Type::kMap:
      for (const auto& [k, v] : value.as_map()) {
        if (k.empty()) return Invalid(key, "nested map has an empty key");
        if (!IsValidUtf8(k)) return Invalid(key, "nested key is not valid UTF-8");
        if (absl::Status s = ValidateNested(key, v, depth + 1, items); !s.ok()) return s;
      }
      return absl::OkStatus();
    default:
      return absl::OkStatus();
  }
}

}  // namespace

bool IsValidUtf8(absl::string_view s) {
  size_t i = 0;
  while (i < s.size()) {
    // Keys and strings are mostly ASCII: take eight such bytes at a time.
    if (uint64_t word; i + sizeof(word) <= s.size()) {
      std::memcpy(&word, s.data() + i, sizeof(word));
      if ((word & 0x8080808080808080ULL) == 0) {
        i += sizeof(word);
        continue;
      }
    }
    unsigned char lead = static_cast<unsigned char>(s[i]);
    int n = SequenceLength(lead);
    if (n == 0 || i + n > s.size()) return false;
    for (int k = 1; k < n; ++k) {
      if ((static_cast<unsigned char>(s[i + k]) & 0xC0) != 0x80) return false;
    }
    // Reject overlong 3/4-byte forms, surrogates and code points above U+10FFFF.
    unsigned char second = static_cast<unsigned char>(s[i + (n > 1 ? 1 : 0)]);
    if (lead == 0xE0 && second < 0xA0) return false;
    if (lead == 0xED && second > 0x9F) return false;
    if (lead == 0xF0 && second < 0x90) return false;
    if (lead == 0xF4 && second > 0x8F) return false;
    i += n;
  }
  return true;
}

std::string ReplaceInvalidUtf8(absl::string_view s) {
  if (IsValidUtf8(s)) return std::string(s);
  std::string out;
  out.reserve(s.size() + 16);
  size_t i = 0;
  while (i < s.size()) {
    // The code point that starts here, kept when it is whole and valid.
    size_t n = SequenceLength(static_cast<unsigned char>(s[i]));
    if (n == 0 || i + n > s.size() || !IsValidUtf8(s.substr(i, n))) {
      out.append("\xEF\xBF\xBD");
      ++i;
      continue;
    }
    out.append(s.data() + i, n);
    i += n;
  }
  return out;
}

size_t Utf8CutPoint(absl::string_view s, size_t max_bytes) {
  if (s.size() <= max_bytes) return s.size();
  size_t cut = max_bytes;
  while (cut > 0 && (static_cast<unsigned char>(s[cut]) & 0xC0) == 0x80) --cut;
  return cut;
}

std::string Quoted(absl::string_view s, size_t max_bytes) {
  absl::string_view shown = s.substr(0, Utf8CutPoint(s, max_bytes));
  std::string out = absl::StrCat("'", ReplaceInvalidUtf8(shown));
  if (shown.size() == s.size()) return absl::StrCat(out, "'");
  return absl::StrCat(out, "\xE2\x80\xA6' (", s.size(), " bytes)");
}

absl::Status ValidateStep(int64_t step) {
  if (step < 0) return absl::InvalidArgumentError(absl::StrCat("step ", step, " is negative"));
  if (step > kMaxStep) {
    return absl::InvalidArgumentError(
        absl::StrCat("step ", step, " is larger than the largest step, ", kMaxStep));
  }
  return absl::OkStatus();
}

absl::Status ValidateKey(absl::string_view key) {
  if (absl::Status s = ValidateKeyText(key); !s.ok()) return s;
  if (key[0] == '_' && key != "_timestamp" && key != "_runtime") {
    return Invalid(key, "keys starting with '_' are reserved for wandb");
  }
  return absl::OkStatus();
}

absl::Status ValidateKeyText(absl::string_view key) {
  if (key.empty()) return absl::InvalidArgumentError("empty key");
  if (key.size() > kMaxKeyBytes) {
    std::string why = absl::StrCat("key longer than ", kMaxKeyBytes, " bytes");
    // Quote a prefix cut at a character boundary, so the message stays valid UTF-8 (it goes into
    // proto3 strings); a key that is not UTF-8 itself is not quoted.
    absl::string_view prefix = key.substr(0, Utf8CutPoint(key, 32));
    if (!IsValidUtf8(prefix)) return absl::InvalidArgumentError(why);
    return Invalid(prefix, why);
  }
  if (!IsValidUtf8(key)) return absl::InvalidArgumentError("key is not valid UTF-8");
  for (char c : key) {
    if (static_cast<unsigned char>(c) < 0x20 || c == 0x7F) {
      return Invalid(key, "key contains a control character");
    }
  }
  return absl::OkStatus();
}

absl::Status ValidateValueFrom(absl::string_view key, const Value& value, int depth) {
  // The value itself counts as one item.
  size_t items = 0;
  return ValidateNested(key, value, depth, &items);
}

absl::Status ValidateValue(absl::string_view key, const Value& value) {
  return ValidateValueFrom(key, value, 1);
}

absl::Status ValidateEntries(const Value::Map& entries) {
  if (entries.size() > kMaxEntries) {
    return absl::InvalidArgumentError(
        absl::StrCat(entries.size(), " keys in one call; at most ", kMaxEntries));
  }
  for (const auto& [key, value] : entries) {
    if (absl::Status s = ValidateKey(key); !s.ok()) return s;
    if (absl::Status s = ValidateValue(key, value); !s.ok()) return s;
    if (key[0] == '_' && !value.is_int() && !value.is_double()) {
      // wandb reads them as times; anything else would be replaced without a word.
      return Invalid(key, "must be a number (seconds)");
    }
  }
  return absl::OkStatus();
}

absl::Status ValidateNestedKey(absl::string_view top, size_t index, absl::string_view key) {
  if (key.empty()) return Invalid(top, absl::StrCat("nested key ", index, " is empty"));
  if (key.size() > kMaxKeyBytes) {
    return Invalid(top,
                   absl::StrCat("nested key ", index, " is longer than ", kMaxKeyBytes, " bytes"));
  }
  if (!IsValidUtf8(key)) {
    return Invalid(top, absl::StrCat("nested key ", index, " is not valid UTF-8"));
  }
  return absl::OkStatus();
}

absl::Status ValidatePathDepth(absl::string_view top, size_t size) {
  if (size <= static_cast<size_t>(kMaxDepth)) return absl::OkStatus();
  return Invalid(top,
                 absl::StrCat("path of ", size, " keys is deeper than ", kMaxDepth, " levels"));
}

}  // namespace wandb::validation
