#include "common/value/json.h"

#include <catch2/catch.hpp>
#include <cmath>
#include <cstdint>
#include <limits>
#include <string>
#include <utility>
#include <vector>

namespace wandb::json {
namespace {

const double kNaN = std::numeric_limits<double>::quiet_NaN();
const double kInf = std::numeric_limits<double>::infinity();

std::string DoubleText(double d) {
  std::string out;
  AppendDouble(d, &out);
  return out;
}

std::string Quoted(std::string_view s) {
  std::string out;
  AppendQuoted(absl::string_view(s.data(), s.size()), &out);
  return out;
}

// Parses `text`, which must be valid.
Value MustParse(const std::string& text) {
  absl::StatusOr<Value> v = Parse(text);
  INFO("text: " << text);
  INFO("status: " << v.status().ToString());
  REQUIRE(v.ok());
  return *std::move(v);
}

// The error message for `text`, which must be invalid.
std::string ParseError(const std::string& text) {
  absl::StatusOr<Value> v = Parse(text);
  INFO("text: " << text);
  REQUIRE_FALSE(v.ok());
  CHECK(v.status().code() == absl::StatusCode::kInvalidArgument);
  return std::string(v.status().message());
}

std::string Nested(int depth, const std::string& inner) {
  return std::string(static_cast<size_t>(depth), '[') + inner +
         std::string(static_cast<size_t>(depth), ']');
}

TEST_CASE("json::Encode uses Python's json.dumps separators", "[json]") {
  CHECK(Encode(Value()) == "null");
  CHECK(Encode(Value(true)) == "true");
  CHECK(Encode(Value(false)) == "false");
  CHECK(Encode(Value(0)) == "0");
  CHECK(Encode(Value(-17)) == "-17");
  CHECK(Encode(Value(Value::List{})) == "[]");
  CHECK(Encode(Value(Value::Map{})) == "{}");
  CHECK(Encode(Value({1, 2, 3})) == "[1, 2, 3]");
  Value v = {{"a", {1, 2.5, "x"}}, {"b", nullptr}, {"c", true}, {"d", {{"e", Value::List{}}}}};
  CHECK(Encode(v) == R"({"a": [1, 2.5, "x"], "b": null, "c": true, "d": {"e": []}})");
  // Insertion order, not sorted.
  CHECK(Encode(Value({{"z", 1}, {"a", 2}})) == R"({"z": 1, "a": 2})");
}

TEST_CASE("json::Encode writes int64 extremes exactly", "[json]") {
  CHECK(Encode(Value(std::numeric_limits<int64_t>::max())) == "9223372036854775807");
  CHECK(Encode(Value(std::numeric_limits<int64_t>::min())) == "-9223372036854775808");
}

TEST_CASE("json::AppendDouble: shortest round trip, always recognisably a float", "[json]") {
  CHECK(DoubleText(1.0) == "1.0");
  CHECK(DoubleText(0.0) == "0.0");
  CHECK(DoubleText(-0.0) == "-0.0");
  CHECK(DoubleText(-3.0) == "-3.0");
  CHECK(DoubleText(0.1) == "0.1");
  CHECK(DoubleText(1.5) == "1.5");
  CHECK(DoubleText(0.001) == "0.001");
  CHECK(DoubleText(1e-05) == "1e-05");
  CHECK(DoubleText(2.5e-07) == "2.5e-07");
  CHECK(DoubleText(0.30000000000000004) == "0.30000000000000004");
  CHECK(DoubleText(123456.789) == "123456.789");
  CHECK(DoubleText(12345.0) == "12345.0");
  CHECK(DoubleText(1e16) == "1e+16");
  CHECK(DoubleText(1e22) == "1e+22");
  CHECK(DoubleText(5e-324) == "5e-324");
  CHECK(DoubleText(1.7976931348623157e308) == "1.7976931348623157e+308");
  // Appending does not clear what is there.
  std::string out = "x=";
  AppendDouble(2.0, &out);
  CHECK(out == "x=2.0");
}

TEST_CASE("json::AppendDouble: non-finite numbers are bare tokens", "[json]") {
  CHECK(DoubleText(kNaN) == "NaN");
  CHECK(DoubleText(-kNaN) == "NaN");
  CHECK(DoubleText(kInf) == "Infinity");
  CHECK(DoubleText(-kInf) == "-Infinity");
  CHECK(Encode(Value({kNaN, kInf, -kInf})) == "[NaN, Infinity, -Infinity]");
  CHECK(Encode(Value({{"loss", kNaN}})) == R"({"loss": NaN})");
}

// Python's json.dumps writes floats with float.__repr__, which switches to exponent notation
// only below 1e-4 or from 1e16 on. std::to_chars alone picks whichever of fixed/exponent is
// shorter, so common values such as lr=1e-4 or 5e-4 and round numbers >= 1e5 came out
// differently.
TEST_CASE("json::AppendDouble matches Python's repr across the exponent switch", "[json]") {
  const std::vector<std::pair<double, std::string>> python_repr = {
      {0.0001, "0.0001"},
      {0.0005, "0.0005"},
      {100000.0, "100000.0"},
      {2000000.0, "2000000.0"},
      {1e15, "1000000000000000.0"},
      {9223372036854775808.0, "9.223372036854776e+18"},
      {18446744073709551616.0, "1.8446744073709552e+19"},
      {1e-05, "1e-05"},
      {0.00012345, "0.00012345"},
      {1e16, "1e+16"},
      {1.2345678901234568e+17, "1.2345678901234568e+17"},
      {9999999999999998.0, "9999999999999998.0"},
      {123.456, "123.456"},
      {-2.5e-07, "-2.5e-07"},
      {-0.0, "-0.0"},
      {1e300, "1e+300"},
      {5e-324, "5e-324"},
  };
  for (const auto& [d, expected] : python_repr) {
    INFO("value " << expected);
    CHECK(DoubleText(d) == expected);
  }
}

TEST_CASE("json::IsNumber accepts exactly one JSON number token, or a non-finite one", "[json]") {
  for (const char* yes : {"0", "-0", "1", "-12", "0.5", "1.0", "1e5", "1E+5", "2.5e-07", "-0.0e0",
                          "123456789012345678901234567890", "NaN", "Infinity", "-Infinity"}) {
    INFO(yes);
    CHECK(IsNumber(yes));
  }
  for (const char* no :
       {"",   "-",   "+1",  "01",   "1.",    ".5",   "1e",   "1e+", "0x10", "1 ",
        " 1", "nan", "inf", "-NaN", "\"1\"", "true", "null", "[1]", "1,2",  "1.5.2"}) {
    INFO(no);
    CHECK_FALSE(IsNumber(no));
  }
  // Whatever IsNumber accepts, the parser reads as a number.
  for (const char* text : {"0", "-12", "2.5e-07", "NaN", "-Infinity"}) {
    absl::StatusOr<Value> v = Parse(text);
    REQUIRE(v.ok());
    CHECK((v->type() == Value::Type::kInt || v->type() == Value::Type::kDouble));
  }
}

TEST_CASE("json::AppendQuoted escapes like json.dumps and passes UTF-8 through", "[json]") {
  CHECK(Quoted("") == R"("")");
  CHECK(Quoted("plain") == R"("plain")");
  CHECK(Quoted("a\"b") == R"("a\"b")");
  CHECK(Quoted("back\\slash") == R"("back\\slash")");
  CHECK(Quoted("\n\r\t\b\f") == R"("\n\r\t\b\f")");
  CHECK(Quoted("\x01") == R"("\u0001")");
  CHECK(Quoted("\x1f") == R"("\u001f")");
  CHECK(Quoted("\x0b") == R"("\u000b")");
  CHECK(Quoted(std::string_view("a\0b", 3)) == R"("a\u0000b")");
  CHECK(Quoted("\x7f") == "\"\x7f\"");  // DEL is not a JSON control character
  CHECK(Quoted("a/b") == R"("a/b")");   // '/' is not escaped by Python
  CHECK(Quoted("h\xc3\xa9llo \xe6\x97\xa5 \xf0\x9f\x8e\x89") ==
        "\"h\xc3\xa9llo \xe6\x97\xa5 \xf0\x9f\x8e\x89\"");
  // Keys are quoted the same way.
  Value v = Value::map({{"k\"\n", Value("v")}});
  CHECK(Encode(v) == R"({"k\"\n": "v"})");
}

TEST_CASE("json::Parse reads scalars with the right types", "[json]") {
  CHECK(MustParse("null").is_null());
  CHECK(MustParse("true") == Value(true));
  CHECK(MustParse("false") == Value(false));
  CHECK(MustParse("0") == Value(0));
  CHECK(MustParse("-12") == Value(-12));
  CHECK(MustParse("1.5") == Value(1.5));
  CHECK(MustParse("1e3") == Value(1000.0));
  CHECK(MustParse("1E-2") == Value(0.01));
  CHECK(MustParse("\"s\"") == Value("s"));
  Value negative_zero = MustParse("-0.0");
  REQUIRE(negative_zero.is_double());
  CHECK(std::signbit(negative_zero.as_double()));
  CHECK(MustParse(" \t\r\n 7 \n") == Value(7));
}

TEST_CASE("json::Parse reads NaN, Infinity and -Infinity", "[json]") {
  Value nan = MustParse("NaN");
  REQUIRE(nan.is_double());
  CHECK(std::isnan(nan.as_double()));
  CHECK(MustParse("Infinity") == Value(kInf));
  CHECK(MustParse("-Infinity") == Value(-kInf));
  Value list = MustParse("[NaN, Infinity, -Infinity, -1]");
  REQUIRE(list.as_list().size() == 4);
  CHECK(std::isnan(list.as_list()[0].as_double()));
  CHECK(list.as_list()[1].as_double() == kInf);
  CHECK(list.as_list()[2].as_double() == -kInf);
  CHECK(list.as_list()[3] == Value(-1));
}

TEST_CASE("json::Parse keeps int64 exact and floats integers beyond it", "[json]") {
  CHECK(MustParse("9223372036854775807") == Value(INT64_MAX));
  CHECK(MustParse("-9223372036854775808") == Value(INT64_MIN));
  Value above = MustParse("9223372036854775808");
  REQUIRE(above.is_double());
  CHECK(above.as_double() == 9223372036854775808.0);
  Value below = MustParse("-9223372036854775809");
  REQUIRE(below.is_double());
  CHECK(below.as_double() == -9223372036854775808.0);
  Value huge = MustParse("123456789012345678901234567890");
  REQUIRE(huge.is_double());
  CHECK(huge.as_double() == 1.2345678901234568e29);
}

TEST_CASE("json::Parse: a float that underflows reads as zero", "[json]") {
  Value tiny = MustParse("1e-400");
  REQUIRE(tiny.is_double());
  CHECK(tiny.as_double() == 0.0);
}

// std::from_chars reports result_out_of_range and leaves its output untouched, so "1e400"
// once parsed as 0.0, silently. Python's json.loads("1e400") gives inf (and -inf for
// "-1e400").
TEST_CASE("json::Parse: a float that overflows reads as an infinity, as json.loads does",
          "[json]") {
  Value big = MustParse("1e400");
  REQUIRE(big.is_double());
  CHECK(big.as_double() == kInf);
  Value negative = MustParse("[-1e400]");
  REQUIRE(negative.as_list().size() == 1);
  CHECK(negative.as_list()[0].as_double() == -kInf);
  CHECK(MustParse("123456789e301") == Value(kInf));
  CHECK(MustParse("0.0001e313") == Value(kInf));
  CHECK(MustParse(std::string(400, '9')) == Value(kInf));
  Value negative_tiny = MustParse("-1e-400");
  REQUIRE(negative_tiny.is_double());
  CHECK(negative_tiny.as_double() == 0.0);
  CHECK(std::signbit(negative_tiny.as_double()));
  CHECK(MustParse("1000e-330") == Value(0.0));
}

TEST_CASE("json::Parse decodes string escapes", "[json]") {
  CHECK(MustParse(R"("a\"b\\c\/d")") == Value("a\"b\\c/d"));
  CHECK(MustParse(R"("\b\f\n\r\t")") == Value("\b\f\n\r\t"));
  CHECK(MustParse(R"("\u0041")") == Value("A"));
  CHECK(MustParse(R"("\u0000")") == Value(std::string("\0", 1)));
  CHECK(MustParse(R"("\u00e9")") == Value("\xc3\xa9"));
  CHECK(MustParse(R"("\u00E9")") == Value("\xc3\xa9"));
  CHECK(MustParse(R"("\u20ac")") == Value("\xe2\x82\xac"));
  CHECK(MustParse(R"("\uffff")") == Value("\xef\xbf\xbf"));
  // A surrogate pair is one code point, U+1F389.
  CHECK(MustParse(R"("\ud83c\udf89")") == Value("\xf0\x9f\x8e\x89"));
  CHECK(MustParse(R"("\udbff\udfff")") == Value("\xf4\x8f\xbf\xbf"));
  // Raw UTF-8 passes through untouched.
  CHECK(MustParse("\"h\xc3\xa9 \xf0\x9f\x8e\x89\"") == Value("h\xc3\xa9 \xf0\x9f\x8e\x89"));
}

TEST_CASE("json::Parse reads containers, keeping key order", "[json]") {
  Value v = MustParse(R"( { "b" : [ 1 , 2.0 , "x" ] , "a" : { } , "c" : [ ] } )");
  REQUIRE(v.is_map());
  REQUIRE(v.as_map().size() == 3);
  CHECK(v.as_map()[0].first == "b");
  CHECK(v.as_map()[1].first == "a");
  CHECK(v.as_map()[2].first == "c");
  CHECK(Encode(v) == R"({"b": [1, 2.0, "x"], "a": {}, "c": []})");

  SECTION("a duplicate key keeps its first position and its last value, as json.loads") {
    Value d = MustParse(R"({"a": 1, "b": 2, "a": 3})");
    CHECK(Encode(d) == R"({"a": 3, "b": 2})");
  }
}

TEST_CASE("json: Encode then Parse round-trips", "[json]") {
  Value v = {{"loss", 0.25},
             {"nan", kNaN},
             {"inf", {kInf, -kInf}},
             {"int", INT64_MIN},
             {"text", "quote\" slash\\ nl\n ctl\x01 utf8 \xe2\x82\xac"},
             {"nested", {{"deeper", {{"list", {1, nullptr, true, "s"}}}}}},
             {"empty_list", Value::List{}},
             {"empty_map", Value::Map{}},
             {"small", 1e-300},
             {"precise", 0.1 + 0.2}};
  std::string text = Encode(v);
  Value back = MustParse(text);
  CHECK(back == v);
  CHECK(Encode(back) == text);
}

TEST_CASE("json::Parse reports errors with their offsets", "[json]") {
  CHECK(ParseError("") == "invalid JSON at offset 0: unexpected end");
  CHECK(ParseError("   ") == "invalid JSON at offset 3: unexpected end");
  CHECK(ParseError("1 x") == "invalid JSON at offset 2: trailing characters");
  CHECK(ParseError("{} {}") == "invalid JSON at offset 3: trailing characters");
  CHECK(ParseError("\"abc") == "invalid JSON at offset 4: unterminated string");
  CHECK(ParseError(R"("a\qb")") == "invalid JSON at offset 4: unknown escape");
  CHECK(ParseError("\"a\\") == "invalid JSON at offset 3: unterminated escape");
  CHECK(ParseError(R"("\u12")") == "invalid JSON at offset 3: short \\u escape");
  CHECK(ParseError(R"("\u12G4")") == "invalid JSON at offset 6: bad \\u escape");
  CHECK(ParseError(R"("\ud83c\u0041")") == "invalid JSON at offset 13: bad surrogate pair");
  CHECK(ParseError("[1, 2") == "invalid JSON at offset 5: expected ',' or ']'");
  CHECK(ParseError("[1 2]") == "invalid JSON at offset 3: expected ',' or ']'");
  CHECK(ParseError("{1: 2}") == "invalid JSON at offset 1: expected a key");
  CHECK(ParseError(R"({"a" 1})") == "invalid JSON at offset 5: expected ':'");
  CHECK(ParseError(R"({"a": 1,})") == "invalid JSON at offset 8: expected a key");
  CHECK(ParseError(R"({"a": 1 "b": 2})") == "invalid JSON at offset 8: expected ',' or '}'");
  CHECK(ParseError("tru") == "invalid JSON at offset 0: unexpected character");
  CHECK(ParseError("[1, @]") == "invalid JSON at offset 4: unexpected character");
  CHECK(ParseError("-") == "invalid JSON at offset 0: malformed number");
  CHECK(ParseError("1.2.3") == "invalid JSON at offset 0: malformed number");
  CHECK(ParseError("[1, --2]") == "invalid JSON at offset 4: malformed number");
  CHECK(ParseError("nan") == "invalid JSON at offset 0: unexpected character");
}

TEST_CASE("json::Parse refuses documents nested beyond kMaxParseDepth", "[json]") {
  SECTION("kMaxParseDepth levels of lists around a scalar parse") {
    Value v = MustParse(Nested(kMaxParseDepth, "1"));
    int depth = 0;
    const Value* node = &v;
    while (node->is_list()) {
      ++depth;
      node = &node->as_list()[0];
    }
    CHECK(depth == kMaxParseDepth);
    CHECK(*node == Value(1));
  }
  SECTION("one more level is refused") {
    CHECK_THAT(ParseError(Nested(kMaxParseDepth + 1, "1")), Catch::Contains("nested too deeply"));
  }
  SECTION("a very deep document is refused without exhausting the stack") {
    CHECK_THAT(ParseError(std::string(1000000, '[')), Catch::Contains("nested too deeply"));
    std::string maps;
    for (int i = 0; i < 200000; ++i) maps += "{\"a\":";
    CHECK_THAT(ParseError(maps), Catch::Contains("nested too deeply"));
  }
}

}  // namespace
TEST_CASE("json::CheckNesting counts brackets outside strings, with a loop", "[json]") {
  CHECK(CheckNesting(Nested(kMaxParseDepth, "1")).ok());
  CHECK_THAT(std::string(CheckNesting(Nested(kMaxParseDepth + 1, "1")).message()),
             Catch::Contains("deeper than 128 levels"));
  CHECK_FALSE(CheckNesting(std::string(1000000, '{'), 2).ok());
  CHECK(CheckNesting(R"({"a": [1, {"b": 2}], "c": {}})", 3).ok());
  CHECK_FALSE(CheckNesting(R"({"a": [1, {"b": 2}]})", 2).ok());
  // Brackets inside strings, escaped quotes included, are text.
  CHECK(CheckNesting(R"(["[[[[", "\"[[[[", "\\"])", 1).ok());
}

}  // namespace wandb::json
