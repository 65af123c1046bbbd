#include "common/value/validation.h"

#include <catch2/catch.hpp>
#include <limits>
#include <string>

namespace wandb::validation {
namespace {

std::string Message(const absl::Status& s) {
  INFO("status: " << s.ToString());
  REQUIRE_FALSE(s.ok());
  CHECK(s.code() == absl::StatusCode::kInvalidArgument);
  return std::string(s.message());
}

bool Utf8(std::string_view s) { return IsValidUtf8(absl::string_view(s.data(), s.size())); }

// `levels` lists wrapped around `leaf`: the leaf is at nesting depth levels + 1.
Value WrapInLists(int levels, Value leaf) {
  Value v = std::move(leaf);
  for (int i = 0; i < levels; ++i) v = Value(Value::List{std::move(v)});
  return v;
}

Value WrapInMaps(int levels, Value leaf) {
  Value v = std::move(leaf);
  for (int i = 0; i < levels; ++i) v = Value::map({{"k", std::move(v)}});
  return v;
}

TEST_CASE("IsValidUtf8 accepts well-formed UTF-8", "[validation]") {
  CHECK(Utf8(""));
  CHECK(Utf8("plain ascii ~"));
  CHECK(Utf8(std::string_view("a\0b", 3)));  // NUL is a valid code point
  CHECK(Utf8("\x7f"));
  CHECK(Utf8("\xc2\x80"));          // U+0080, smallest 2-byte
  CHECK(Utf8("\xc3\xa9"));          // e acute
  CHECK(Utf8("\xdf\xbf"));          // U+07FF
  CHECK(Utf8("\xe0\xa0\x80"));      // U+0800, smallest 3-byte
  CHECK(Utf8("\xe2\x82\xac"));      // euro sign
  CHECK(Utf8("\xed\x9f\xbf"));      // U+D7FF, just below the surrogates
  CHECK(Utf8("\xee\x80\x80"));      // U+E000, just above them
  CHECK(Utf8("\xef\xbf\xbf"));      // U+FFFF
  CHECK(Utf8("\xf0\x90\x80\x80"));  // U+10000, smallest 4-byte
  CHECK(Utf8("\xf0\x9f\x8e\x89"));  // party popper
  CHECK(Utf8("\xf4\x8f\xbf\xbf"));  // U+10FFFF, the last code point
}

TEST_CASE("IsValidUtf8 refuses malformed UTF-8", "[validation]") {
  SECTION("stray and impossible bytes") {
    CHECK_FALSE(Utf8("\x80"));                  // lone continuation byte
    CHECK_FALSE(Utf8("a\xbf"));                 // continuation after ASCII
    CHECK_FALSE(Utf8("\xff"));                  // never valid
    CHECK_FALSE(Utf8("\xfe"));                  // never valid
    CHECK_FALSE(Utf8("\xf5\x80\x80\x80"));      // would be above U+10FFFF
    CHECK_FALSE(Utf8("\xf8\x88\x80\x80\x80"));  // 5-byte form
  }
  SECTION("truncated sequences") {
    CHECK_FALSE(Utf8("\xc3"));
    CHECK_FALSE(Utf8("abc\xe2\x82"));
    CHECK_FALSE(Utf8("\xf0\x9f\x8e"));
    CHECK_FALSE(Utf8("\xc3(x"));  // lead byte followed by a non-continuation
    CHECK_FALSE(Utf8("\xe2\x28\xa1"));
  }
  SECTION("overlong encodings") {
    CHECK_FALSE(Utf8("\xc0\x80"));          // NUL in two bytes
    CHECK_FALSE(Utf8("\xc0\xaf"));          // '/' in two bytes
    CHECK_FALSE(Utf8("\xc1\xbf"));          // U+007F in two bytes
    CHECK_FALSE(Utf8("\xe0\x80\xaf"));      // '/' in three bytes
    CHECK_FALSE(Utf8("\xe0\x9f\xbf"));      // U+07FF in three bytes
    CHECK_FALSE(Utf8("\xf0\x80\x80\xaf"));  // '/' in four bytes
    CHECK_FALSE(Utf8("\xf0\x8f\xbf\xbf"));  // U+FFFF in four bytes
  }
  SECTION("UTF-16 surrogates") {
    CHECK_FALSE(Utf8("\xed\xa0\x80"));  // U+D800
    CHECK_FALSE(Utf8("\xed\xaf\xbf"));  // U+DBFF
    CHECK_FALSE(Utf8("\xed\xb0\x80"));  // U+DC00
    CHECK_FALSE(Utf8("\xed\xbf\xbf"));  // U+DFFF
    // A CESU-8 encoded surrogate pair is not UTF-8 either.
    CHECK_FALSE(Utf8("\xed\xa0\xbd\xed\xb8\x80"));
  }
  SECTION("above U+10FFFF") {
    CHECK_FALSE(Utf8("\xf4\x90\x80\x80"));  // U+110000
    CHECK_FALSE(Utf8("\xf7\xbf\xbf\xbf"));
  }
  SECTION("a bad sequence after good ones") {
    CHECK_FALSE(Utf8("\xc3\xa9\xe2\x82\xac ok \xed\xa0\x80"));
  }
}

TEST_CASE("ReplaceInvalidUtf8 keeps valid text and replaces each bad byte", "[validation]") {
  CHECK(ReplaceInvalidUtf8("plain \xC3\xA9 text") == "plain \xC3\xA9 text");
  CHECK(ReplaceInvalidUtf8("") == "");
  CHECK(ReplaceInvalidUtf8("a\xFF"
                           "b") ==
        "a\xEF\xBF\xBD"
        "b");
  CHECK(ReplaceInvalidUtf8("\xFF\xFE") == "\xEF\xBF\xBD\xEF\xBF\xBD");
  // A cut sequence at the end, a lone continuation byte, a surrogate, an overlong form.
  CHECK(ReplaceInvalidUtf8("ok\xE2\x82") == "ok\xEF\xBF\xBD\xEF\xBF\xBD");
  CHECK(ReplaceInvalidUtf8("\x80z") == "\xEF\xBF\xBDz");
  CHECK(Utf8(ReplaceInvalidUtf8("\xED\xA0\x80")));
  CHECK(Utf8(ReplaceInvalidUtf8("\xC0\xAF")));
  // A valid code point right after a bad byte survives.
  CHECK(ReplaceInvalidUtf8("\xFF\xE2\x82\xAC") == "\xEF\xBF\xBD\xE2\x82\xAC");
}

TEST_CASE("Utf8CutPoint never splits a code point", "[validation]") {
  CHECK(Utf8CutPoint("short", 10) == 5);
  CHECK(Utf8CutPoint("abcdef", 3) == 3);
  // "a€b": the euro sign is bytes 1-3; a cut inside it moves back to before it.
  CHECK(Utf8CutPoint("a\xE2\x82\xAC"
                     "b",
                     2) == 1);
  CHECK(Utf8CutPoint("a\xE2\x82\xAC"
                     "b",
                     3) == 1);
  CHECK(Utf8CutPoint("a\xE2\x82\xAC"
                     "b",
                     4) == 4);
  CHECK(Utf8CutPoint("\xC3\xA9", 1) == 0);
}

TEST_CASE("ValidateKey accepts ordinary keys", "[validation]") {
  CHECK(ValidateKey("loss").ok());
  CHECK(ValidateKey("train/loss").ok());
  CHECK(ValidateKey("a.b").ok());
  CHECK(ValidateKey("a_b").ok());
  CHECK(ValidateKey("with space").ok());
  CHECK(ValidateKey(" ").ok());
  CHECK(ValidateKey("\xe6\x97\xa5\xe6\x9c\xac").ok());
  CHECK(ValidateKey(std::string(kMaxKeyBytes, 'k')).ok());
  // 128 two-byte characters are exactly kMaxKeyBytes bytes.
  std::string multibyte;
  for (size_t i = 0; i < kMaxKeyBytes / 2; ++i) multibyte += "\xc3\xa9";
  REQUIRE(multibyte.size() == kMaxKeyBytes);
  CHECK(ValidateKey(multibyte).ok());
}

TEST_CASE("ValidateKey: the two reserved keys wandb lets users set", "[validation]") {
  CHECK(ValidateKey("_timestamp").ok());
  CHECK(ValidateKey("_runtime").ok());
  CHECK(Message(ValidateKey("_step")) ==
        "key '_step': keys starting with '_' are reserved for wandb");
  CHECK(Message(ValidateKey("_")) == "key '_': keys starting with '_' are reserved for wandb");
  CHECK(Message(ValidateKey("_wandb")) ==
        "key '_wandb': keys starting with '_' are reserved for wandb");
  CHECK_FALSE(ValidateKey("_Timestamp").ok());
  CHECK_FALSE(ValidateKey("__timestamp").ok());
  CHECK_FALSE(ValidateKey("_timestamp2").ok());
  CHECK_FALSE(ValidateKey("_runtim").ok());
}

TEST_CASE("ValidateKey refuses empty, long, non-UTF-8 and control-character keys", "[validation]") {
  CHECK(Message(ValidateKey("")) == "empty key");

  std::string long_key = std::string(40, 'x') + std::string(kMaxKeyBytes, 'y');
  CHECK(Message(ValidateKey(long_key)) ==
        "key '" + std::string(32, 'x') + "': key longer than 256 bytes");
  CHECK_FALSE(ValidateKey(std::string(kMaxKeyBytes + 1, 'k')).ok());

  CHECK(Message(ValidateKey("bad\xff")) == "key is not valid UTF-8");
  CHECK(Message(ValidateKey("\xc0\x80")) == "key is not valid UTF-8");
  CHECK(Message(ValidateKey("\xed\xa0\x80")) == "key is not valid UTF-8");

  CHECK(Message(ValidateKey("a\nb")) == "key 'a\nb': key contains a control character");
  CHECK(Message(ValidateKey("tab\t")) == "key 'tab\t': key contains a control character");
  CHECK(Message(ValidateKey("del\x7f")) == "key 'del\x7f': key contains a control character");
  CHECK_FALSE(ValidateKey(std::string("nul\0", 4)).ok());
  CHECK_FALSE(ValidateKey("\x1f").ok());
}

// The error for an over-long key quotes a prefix of about 32 bytes; cutting at exactly 32 could
// split a multi-byte character and put invalid UTF-8 into the message (which ends up in proto3
// string fields and on the console).
TEST_CASE("ValidateKey: the message for an over-long key stays valid UTF-8", "[validation]") {
  std::string key = "a";
  while (key.size() <= kMaxKeyBytes) key += "\xc3\xa9";
  std::string message = Message(ValidateKey(key));
  CHECK_THAT(message, Catch::Contains("key longer than 256 bytes"));
  CHECK(IsValidUtf8(message));
  CHECK(message == "key 'a" + key.substr(1, 30) + "': key longer than 256 bytes");
  // A key that is not UTF-8 itself is not quoted at all.
  CHECK(Message(ValidateKey(std::string(kMaxKeyBytes + 1, '\xff'))) == "key longer than 256 bytes");
}

TEST_CASE("ValidateValue: scalars and non-finite numbers are fine", "[validation]") {
  CHECK(ValidateValue("k", Value()).ok());
  CHECK(ValidateValue("k", Value(true)).ok());
  CHECK(ValidateValue("k", Value(-1)).ok());
  CHECK(ValidateValue("k", Value(std::numeric_limits<double>::quiet_NaN())).ok());
  CHECK(ValidateValue("k", Value(std::numeric_limits<double>::infinity())).ok());
  CHECK(ValidateValue("k", Value("")).ok());
  CHECK(ValidateValue("k", Value("\xe2\x82\xac")).ok());
  CHECK(ValidateValue("k", Value(Value::List{})).ok());
  CHECK(ValidateValue("k", Value(Value::Map{})).ok());
}

TEST_CASE("ValidateValue: nesting limit is exactly kMaxDepth levels", "[validation]") {
  SECTION("lists: a leaf at depth kMaxDepth passes, one deeper fails") {
    CHECK(ValidateValue("deep", WrapInLists(kMaxDepth - 1, Value(1))).ok());
    CHECK(Message(ValidateValue("deep", WrapInLists(kMaxDepth, Value(1)))) ==
          "key 'deep': value nested deeper than 32 levels");
  }
  SECTION("containers alone count as levels") {
    CHECK(ValidateValue("deep", WrapInLists(kMaxDepth - 1, Value(Value::List{}))).ok());
    CHECK_FALSE(ValidateValue("deep", WrapInLists(kMaxDepth, Value(Value::List{}))).ok());
  }
  SECTION("maps") {
    CHECK(ValidateValue("m", WrapInMaps(kMaxDepth - 1, Value("leaf"))).ok());
    CHECK(Message(ValidateValue("m", WrapInMaps(kMaxDepth, Value("leaf")))) ==
          "key 'm': value nested deeper than 32 levels");
  }
  SECTION("mixed lists and maps") {
    Value v = WrapInMaps(kMaxDepth / 2, WrapInLists(kMaxDepth / 2, Value(0.5)));
    CHECK_FALSE(ValidateValue("mixed", v).ok());
    Value ok = WrapInMaps(kMaxDepth / 2, WrapInLists(kMaxDepth / 2 - 1, Value(0.5)));
    CHECK(ValidateValue("mixed", ok).ok());
  }
}

TEST_CASE("ValidateValue: string length limit", "[validation]") {
  CHECK(ValidateValue("s", Value(std::string(kMaxStringBytes, 'a'))).ok());
  CHECK(Message(ValidateValue("s", Value(std::string(kMaxStringBytes + 1, 'a')))) ==
        "key 's': string longer than 9900000 bytes");
  // Inside a container too.
  Value nested = {{"inner", {1, std::string(kMaxStringBytes + 1, 'a')}}};
  CHECK(Message(ValidateValue("outer", nested)) == "key 'outer': string longer than 9900000 bytes");
}

TEST_CASE("ValidateValue: invalid UTF-8 and empty keys anywhere inside", "[validation]") {
  CHECK(Message(ValidateValue("top", Value("bad\xff"))) == "key 'top': string is not valid UTF-8");
  Value in_list = {"ok", {"still ok", "\xed\xa0\x80"}};
  CHECK(Message(ValidateValue("x", in_list)) == "key 'x': string is not valid UTF-8");
  Value in_map = {{"a", {{"b", "\xc0\x80"}}}};
  CHECK(Message(ValidateValue("x", in_map)) == "key 'x': string is not valid UTF-8");
  Value bad_key = Value::map({{"fine", Value(1)}, {"\xff", Value(2)}});
  CHECK(Message(ValidateValue("x", bad_key)) == "key 'x': nested key is not valid UTF-8");
  Value empty_key = Value::map({{"a", Value::map({{"", Value(1)}})}});
  CHECK(Message(ValidateValue("x", empty_key)) == "key 'x': nested map has an empty key");
  // A nested key may start with '_' or hold control characters: only top-level keys are keys.
  CHECK(ValidateValue("x", Value::map({{"_private", Value(1)}})).ok());
}

TEST_CASE("ValidateEntries checks every key and value and reports the first problem",
          "[validation]") {
  CHECK(ValidateEntries(Value::Map{}).ok());
  CHECK(ValidateEntries(Value::Map{{"a", Value(1)}, {"_timestamp", Value(1.5)}}).ok());
  CHECK(Message(ValidateEntries(Value::Map{{"a", Value(1)}, {"_step", Value(2)}})) ==
        "key '_step': keys starting with '_' are reserved for wandb");
  CHECK(Message(ValidateEntries(Value::Map{{"a", Value("\xff")}, {"_step", Value(2)}})) ==
        "key 'a': string is not valid UTF-8");
  CHECK(Message(ValidateEntries(Value::Map{{"", Value(1)}})) == "empty key");
}

}  // namespace
TEST_CASE("ValidateEntries: at most kMaxEntries keys, _timestamp and _runtime are numbers",
          "[validation]") {
  Value::Map wide;
  for (size_t i = 0; i < kMaxEntries; ++i) wide.emplace_back("k" + std::to_string(i), Value(1));
  CHECK(ValidateEntries(wide).ok());
  wide.emplace_back("one_more", Value(1));
  CHECK(Message(ValidateEntries(wide)) == "100001 keys in one call; at most 100000");
  CHECK(ValidateEntries(Value::Map{{"_timestamp", Value(1.5)}, {"_runtime", Value(2)}}).ok());
  CHECK(Message(ValidateEntries(Value::Map{{"_timestamp", Value("yesterday")}})) ==
        "key '_timestamp': must be a number (seconds)");
}

TEST_CASE("ValidateValue: at most kMaxEntries items at any depth", "[validation]") {
  Value::List items(kMaxEntries - 1, Value(1));  // + the list itself
  CHECK(ValidateValue("l", Value(items)).ok());
  items.push_back(Value(1));
  CHECK(Message(ValidateValue("l", Value(items))) == "key 'l': value holds more than 100000 items");
}

TEST_CASE("ValidatePath: a valid key, then at most kMaxDepth keys in all", "[validation]") {
  std::vector<std::string> path(kMaxDepth, "p");
  CHECK(ValidatePath(path).ok());
  path.push_back("p");
  CHECK(Message(ValidatePath(path)) == "key 'p': path of 33 keys is deeper than 32 levels");
  CHECK(Message(ValidatePath(std::vector<std::string>{})) == "empty key path");
  CHECK(Message(ValidatePath(std::vector<std::string>{"a", ""})) ==
        "key 'a': nested key 1 is empty");
  CHECK(Message(ValidatePath(std::vector<std::string>{"a", "b", "\xff"})) ==
        "key 'a': nested key 2 is not valid UTF-8");
  CHECK(Message(ValidatePath(std::vector<std::string>{"a", std::string(kMaxKeyBytes + 1, 'x')})) ==
        "key 'a': nested key 1 is longer than 256 bytes");
  CHECK_FALSE(ValidatePath(std::vector<std::string>{"_wandb", "x"}).ok());
  CHECK(ValidatePath(std::vector<std::string>{"_wandb", "x"}, ReservedKeys::kAllow).ok());
}

TEST_CASE("ValidateValueAt: the path's levels count towards kMaxDepth", "[validation]") {
  std::vector<std::string> path(kMaxDepth - 1, "p");
  CHECK(ValidateValueAt(path, Value(1)).ok());
  CHECK(ValidateValueAt(path, WrapInLists(1, Value(1))).ok());
  CHECK(Message(ValidateValueAt(path, WrapInLists(2, Value(1)))) ==
        "key 'p': value nested deeper than 32 levels");
}

}  // namespace wandb::validation
