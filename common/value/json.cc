#include "common/value/json.h"

#include <algorithm>
#include <charconv>
#include <cmath>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"

namespace wandb::json {
namespace {

constexpr char kHex[] = "0123456789abcdef";

void AppendInt(int64_t v, std::string* out) {
  char buf[24];
  auto [end, ec] = std::to_chars(buf, buf + sizeof(buf), v);
  out->append(buf, end);
}

void AppendList(const Value::List& list, std::string* out) {
  out->push_back('[');
  for (size_t i = 0; i < list.size(); ++i) {
    if (i > 0) out->append(", ");
    AppendEncoded(list[i], out);
  }
  out->push_back(']');
}

void AppendMap(const Value::Map& map, std::string* out) {
  out->push_back('{');
  for (size_t i = 0; i < map.size(); ++i) {
    if (i > 0) out->append(", ");
    AppendQuoted(map[i].first, out);
    out->append(": ");
    AppendEncoded(map[i].second, out);
  }
  out->push_back('}');
}

// Whether a number that std::from_chars found out of range is too large rather than too small.
// Only its decimal order of magnitude matters: out of range is above ~1e308 or below ~5e-324.
bool Overflows(absl::string_view number) {
  size_t e = number.find_first_of("eE");
  absl::string_view mantissa = number.substr(0, e);
  int64_t exponent = 0;
  if (e != absl::string_view::npos) {
    for (size_t i = e + 1; i < number.size(); ++i) {
      // Clamped: far beyond any double, and safe from overflowing the accumulator.
      if (number[i] >= '0' && number[i] <= '9') {
        exponent = std::min<int64_t>(exponent * 10 + (number[i] - '0'), 1000000);
      }
    }
    if (number.find('-', e) != absl::string_view::npos) exponent = -exponent;
  }
  // The power of ten of the first significant digit: 2 for "123.4", -3 for "0.001".
  size_t point = std::min(mantissa.find('.'), mantissa.size());
  size_t first = mantissa.find_first_of("123456789");
  if (first == absl::string_view::npos) return false;
  int64_t magnitude = first < point ? static_cast<int64_t>(point - first) - 1
                                    : -static_cast<int64_t>(first - point);
  return magnitude + exponent > 0;
}

bool IsAnyOf(char c, absl::string_view set) { return set.find(c) != absl::string_view::npos; }

// A recursive-descent parser over a string_view; `pos_` always points at unread input.
class Parser {
 public:
  explicit Parser(absl::string_view text) : text_(text) {}

  absl::StatusOr<Value> ParseDocument() {
    Value value;
    if (absl::Status s = ParseValue(0, &value); !s.ok()) return s;
    SkipSpace();
    if (pos_ != text_.size()) return Error("trailing characters");
    return value;
  }

 private:
  absl::Status Error(absl::string_view what) const {
    return absl::InvalidArgumentError(absl::StrCat("invalid JSON at offset ", pos_, ": ", what));
  }

  void SkipSpace() {
    while (pos_ < text_.size() && IsAnyOf(text_[pos_], " \t\r\n")) ++pos_;
  }

  bool Consume(absl::string_view token) {
    if (text_.substr(pos_, token.size()) != token) return false;
    pos_ += token.size();
    return true;
  }

  absl::Status ParseValue(int depth, Value* out) {
    if (depth > kMaxParseDepth) return Error("nested too deeply");
    SkipSpace();
    if (pos_ >= text_.size()) return Error("unexpected end");
    char c = text_[pos_];
    if (c == '{') return ParseMap(depth, out);
    if (c == '[') return ParseList(depth, out);
    if (c == '"') {
      std::string s;
      if (absl::Status st = ParseString(&s); !st.ok()) return st;
      *out = Value(std::move(s));
      return absl::OkStatus();
    }
    if (Consume("null")) return *out = Value(), absl::OkStatus();
    if (Consume("true")) return *out = Value(true), absl::OkStatus();
    if (Consume("false")) return *out = Value(false), absl::OkStatus();
    if (Consume("NaN")) return *out = Value(std::nan("")), absl::OkStatus();
    if (Consume("Infinity")) return *out = Value(HUGE_VAL), absl::OkStatus();
    if (Consume("-Infinity")) return *out = Value(-HUGE_VAL), absl::OkStatus();
    return ParseNumber(out);
  }

  absl::Status ParseNumber(Value* out) {
    size_t start = pos_;
    bool is_float = false;
    while (pos_ < text_.size() && IsAnyOf(text_[pos_], "+-0123456789.eE")) {
      is_float |= IsAnyOf(text_[pos_], ".eE");
      ++pos_;
    }
    const char* first = text_.data() + start;
    const char* last = text_.data() + pos_;
    if (first == last) return Error("unexpected character");
    if (!is_float) {
      int64_t v = 0;
      auto [end, ec] = std::from_chars(first, last, v);
      if (ec == std::errc() && end == last) return *out = Value(v), absl::OkStatus();
      // Integers beyond int64 are kept as doubles, as Python floats them when it must.
    }
    double d = 0;
    auto [end, ec] = std::from_chars(first, last, d);
    if (end != last || (ec != std::errc() && ec != std::errc::result_out_of_range)) {
      pos_ = start;
      return Error("malformed number");
    }
    if (ec == std::errc::result_out_of_range) {
      // from_chars leaves `d` untouched; json.loads gives +-inf on overflow and 0.0 on underflow.
      bool negative = *first == '-';
      d = Overflows(absl::string_view(first, last - first)) ? HUGE_VAL : 0.0;
      if (negative) d = -d;
    }
    *out = Value(d);
    return absl::OkStatus();
  }

  absl::Status ParseHex4(uint32_t* cp) {
    if (pos_ + 4 > text_.size()) return Error("short \\u escape");
    *cp = 0;
    for (int i = 0; i < 4; ++i) {
      char h = text_[pos_++];
      uint32_t digit;
      if (h >= '0' && h <= '9')
        digit = h - '0';
      else if (h >= 'a' && h <= 'f')
        digit = h - 'a' + 10;
      else if (h >= 'A' && h <= 'F')
        digit = h - 'A' + 10;
      else
        return Error("bad \\u escape");
      *cp = *cp * 16 + digit;
    }
    return absl::OkStatus();
  }

  static void AppendUtf8(uint32_t cp, std::string* out) {
    if (cp < 0x80) {
      out->push_back(static_cast<char>(cp));
    } else if (cp < 0x800) {
      out->push_back(static_cast<char>(0xC0 | (cp >> 6)));
      out->push_back(static_cast<char>(0x80 | (cp & 0x3F)));
    } else if (cp < 0x10000) {
      out->push_back(static_cast<char>(0xE0 | (cp >> 12)));
      out->push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
      out->push_back(static_cast<char>(0x80 | (cp & 0x3F)));
    } else {
      out->push_back(static_cast<char>(0xF0 | (cp >> 18)));
      out->push_back(static_cast<char>(0x80 | ((cp >> 12) & 0x3F)));
      out->push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
      out->push_back(static_cast<char>(0x80 | (cp & 0x3F)));
    }
  }

  absl::Status ParseEscape(std::string* out) {
    if (pos_ >= text_.size()) return Error("unterminated escape");
    char e = text_[pos_++];
    switch (e) {
      case '"':
        out->push_back('"');
        return absl::OkStatus();
      case '\\':
        out->push_back('\\');
        return absl::OkStatus();
      case '/':
        out->push_back('/');
        return absl::OkStatus();
      case 'b':
        out->push_back('\b');
        return absl::OkStatus();
      case 'f':
        out->push_back('\f');
        return absl::OkStatus();
      case 'n':
        out->push_back('\n');
        return absl::OkStatus();
      case 'r':
        out->push_back('\r');
        return absl::OkStatus();
      case 't':
        out->push_back('\t');
        return absl::OkStatus();
      case 'u':
        break;
      default:
        return Error("unknown escape");
    }
    uint32_t cp = 0;
    if (absl::Status s = ParseHex4(&cp); !s.ok()) return s;
    if (cp >= 0xD800 && cp < 0xDC00 && Consume("\\u")) {
      uint32_t low = 0;
      if (absl::Status s = ParseHex4(&low); !s.ok()) return s;
      if (low < 0xDC00 || low > 0xDFFF) return Error("bad surrogate pair");
      cp = 0x10000 + ((cp - 0xD800) << 10) + (low - 0xDC00);
    }
    AppendUtf8(cp, out);
    return absl::OkStatus();
  }

  absl::Status ParseString(std::string* out) {
    ++pos_;  // opening quote
    while (pos_ < text_.size()) {
      char c = text_[pos_++];
      if (c == '"') return absl::OkStatus();
      if (c == '\\') {
        if (absl::Status s = ParseEscape(out); !s.ok()) return s;
      } else {
        out->push_back(c);
      }
    }
    return Error("unterminated string");
  }

  absl::Status ParseList(int depth, Value* out) {
    ++pos_;
    Value::List list;
    SkipSpace();
    if (Consume("]")) return *out = Value(std::move(list)), absl::OkStatus();
    while (true) {
      Value item;
      if (absl::Status s = ParseValue(depth + 1, &item); !s.ok()) return s;
      list.push_back(std::move(item));
      SkipSpace();
      if (Consume("]")) break;
      if (!Consume(",")) return Error("expected ',' or ']'");
    }
    *out = Value(std::move(list));
    return absl::OkStatus();
  }

  absl::Status ParseMap(int depth, Value* out) {
    ++pos_;
    Value result = Value(Value::Map());
    SkipSpace();
    if (Consume("}")) return *out = std::move(result), absl::OkStatus();
    while (true) {
      SkipSpace();
      if (pos_ >= text_.size() || text_[pos_] != '"') return Error("expected a key");
      std::string key;
      if (absl::Status s = ParseString(&key); !s.ok()) return s;
      SkipSpace();
      if (!Consume(":")) return Error("expected ':'");
      Value item;
      if (absl::Status s = ParseValue(depth + 1, &item); !s.ok()) return s;
      result.set(key, std::move(item));
      SkipSpace();
      if (Consume("}")) break;
      if (!Consume(",")) return Error("expected ',' or '}'");
    }
    *out = std::move(result);
    return absl::OkStatus();
  }

  absl::string_view text_;
  size_t pos_ = 0;
};

}  // namespace

void AppendQuoted(absl::string_view s, std::string* out) {
  out->push_back('"');
  for (char c : s) {
    unsigned char u = static_cast<unsigned char>(c);
    switch (c) {
      case '"':
        out->append("\\\"");
        break;
      case '\\':
        out->append("\\\\");
        break;
      case '\n':
        out->append("\\n");
        break;
      case '\r':
        out->append("\\r");
        break;
      case '\t':
        out->append("\\t");
        break;
      case '\b':
        out->append("\\b");
        break;
      case '\f':
        out->append("\\f");
        break;
      default:
        if (u < 0x20) {
          out->append("\\u00");
          out->push_back(kHex[u >> 4]);
          out->push_back(kHex[u & 0xF]);
        } else {
          out->push_back(c);
        }
    }
  }
  out->push_back('"');
}

void AppendDouble(double d, std::string* out) {
  if (std::isnan(d)) return out->append("NaN"), void();
  if (std::isinf(d)) return out->append(d > 0 ? "Infinity" : "-Infinity"), void();
  // Shortest round-trip digits, laid out as Python's float.__repr__ does: std::to_chars alone
  // picks whichever of fixed and exponent form is shorter, which differs from Python.
  char buf[32];
  auto [end, ec] = std::to_chars(buf, buf + sizeof(buf), d, std::chars_format::scientific);
  absl::string_view text(buf, end - buf);  // "[-]d[.ddd]e(+|-)dd[d]"
  size_t e = text.find('e');
  int exponent = 0;
  for (size_t i = e + 2; i < text.size(); ++i) exponent = exponent * 10 + (text[i] - '0');
  if (text[e + 1] == '-') exponent = -exponent;
  if (exponent < -4 || exponent >= 16) {
    out->append(text.data(), text.size());  // already "1e-05" / "1.5e+16", as Python writes
    return;
  }
  // At most 17 significant digits, plus at most 4 leading or 15 trailing zeros: fits 40.
  char digits[24];
  size_t n = 0;
  for (char c : text.substr(0, e)) {
    if (c != '-' && c != '.') digits[n++] = c;
  }
  char fixed[48];
  char* p = fixed;
  if (text[0] == '-') *p++ = '-';
  if (exponent < 0) {
    *p++ = '0';
    *p++ = '.';
    for (int z = 0; z < -exponent - 1; ++z) *p++ = '0';
    p = std::copy(digits, digits + n, p);
  } else {
    size_t integral = static_cast<size_t>(exponent) + 1;
    if (n <= integral) {
      // Integral doubles keep a ".0" to stay recognisably floating point, as Python writes 1.0.
      p = std::copy(digits, digits + n, p);
      p = std::fill_n(p, integral - n, '0');
      *p++ = '.';
      *p++ = '0';
    } else {
      p = std::copy(digits, digits + integral, p);
      *p++ = '.';
      p = std::copy(digits + integral, digits + n, p);
    }
  }
  out->append(fixed, p - fixed);
}

bool IsNumber(absl::string_view s) {
  if (s == "NaN" || s == "Infinity" || s == "-Infinity") return true;
  size_t i = 0;
  auto digits = [&] {
    size_t start = i;
    while (i < s.size() && s[i] >= '0' && s[i] <= '9') ++i;
    return i > start;
  };
  if (i < s.size() && s[i] == '-') ++i;
  if (i < s.size() && s[i] == '0') {
    ++i;  // no leading zeros
  } else if (!digits()) {
    return false;
  }
  if (i < s.size() && s[i] == '.') {
    ++i;
    if (!digits()) return false;
  }
  if (i < s.size() && (s[i] == 'e' || s[i] == 'E')) {
    ++i;
    if (i < s.size() && (s[i] == '+' || s[i] == '-')) ++i;
    if (!digits()) return false;
  }
  return i == s.size();
}

void AppendEncoded(const Value& value, std::string* out) {
  switch (value.type()) {
    case Value::Type::kNull:
      out->append("null");
      break;
    case Value::Type::kBool:
      out->append(value.as_bool() ? "true" : "false");
      break;
    case Value::Type::kInt:
      AppendInt(value.as_int(), out);
      break;
    case Value::Type::kDouble:
      AppendDouble(value.as_double(), out);
      break;
    case Value::Type::kString:
      AppendQuoted(value.as_string(), out);
      break;
    case Value::Type::kList:
      AppendList(value.as_list(), out);
      break;
    case Value::Type::kMap:
      AppendMap(value.as_map(), out);
      break;
    case Value::Type::kMedia:
      // Its JSON names the files the run writes for it; the client replaces every media
      // value before a row is encoded (client/src/media/media_resolver.h).
      out->append("null");
      break;
  }
}

std::string Encode(const Value& value) {
  std::string out;
  AppendEncoded(value, &out);
  return out;
}

absl::StatusOr<Value> Parse(absl::string_view text) { return Parser(text).ParseDocument(); }

absl::Status CheckNesting(absl::string_view text, int max_depth) {
  int depth = 0;
  bool in_string = false;
  for (size_t i = 0; i < text.size(); ++i) {
    char c = text[i];
    if (in_string) {
      if (c == '\\') {
        ++i;  // the escaped character, a quote perhaps
      } else if (c == '"') {
        in_string = false;
      }
    } else if (c == '"') {
      in_string = true;
    } else if (c == '[' || c == '{') {
      if (++depth > max_depth) {
        return absl::InvalidArgumentError(
            absl::StrCat("JSON nested deeper than ", max_depth, " levels"));
      }
    } else if (c == ']' || c == '}') {
      --depth;
    }
  }
  return absl::OkStatus();
}

}  // namespace wandb::json
