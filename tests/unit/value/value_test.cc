#include <wandb/value.h>

#include <catch2/catch.hpp>
#include <cmath>
#include <cstdint>
#include <limits>
#include <map>
#include <string>
#include <variant>
#include <vector>

namespace wandb {
namespace {

std::vector<std::string> Keys(const Value& v) {
  std::vector<std::string> keys;
  for (const auto& [k, unused] : v.as_map()) keys.push_back(k);
  return keys;
}

TEST_CASE("Value: default and scalar constructors pick the right type", "[value]") {
  CHECK(Value().is_null());
  CHECK(Value(nullptr).is_null());
  CHECK(Value(true).is_bool());
  CHECK_FALSE(Value(true).is_int());  // bool is not an integer here, unlike in C++
  CHECK(Value(false).as_bool() == false);
  CHECK(Value(42).is_int());
  CHECK(Value(42).as_int() == 42);
  CHECK(Value(2.5).is_double());
  CHECK(Value(2.5f).as_double() == 2.5);
  CHECK(Value("text").is_string());
  CHECK(Value("text").as_string() == "text");
  CHECK(Value(std::string("s")).as_string() == "s");
  CHECK(Value(std::string_view("sv")).as_string() == "sv");
  CHECK(Value(Value::List{}).is_list());
  CHECK(Value(Value::Map{}).is_map());
  CHECK(Value(Value::Map{}).type() == Value::Type::kMap);
}

TEST_CASE("Value: integer widths and signedness", "[value]") {
  CHECK(Value(static_cast<int8_t>(-5)).as_int() == -5);
  CHECK(Value(static_cast<uint8_t>(250)).as_int() == 250);
  CHECK(Value(static_cast<int16_t>(-30000)).as_int() == -30000);
  CHECK(Value(static_cast<uint32_t>(4000000000u)).as_int() == 4000000000);
  CHECK(Value(std::numeric_limits<int64_t>::min()).as_int() == std::numeric_limits<int64_t>::min());
  CHECK(Value(std::numeric_limits<int64_t>::max()).as_int() == std::numeric_limits<int64_t>::max());

  SECTION("uint64 up to INT64_MAX stays an integer") {
    Value v(static_cast<uint64_t>(INT64_MAX));
    REQUIRE(v.is_int());
    CHECK(v.as_int() == INT64_MAX);
  }
  SECTION("uint64 above INT64_MAX becomes a double, not a negative integer") {
    Value v(static_cast<uint64_t>(INT64_MAX) + 1);
    REQUIRE(v.is_double());
    CHECK(v.as_double() == 9223372036854775808.0);
    Value max(std::numeric_limits<uint64_t>::max());
    REQUIRE(max.is_double());
    CHECK(max.as_double() == 18446744073709551616.0);
  }
  SECTION("unsigned long long and size_t take the same path") {
    unsigned long long big = 18000000000000000000ull;
    CHECK(Value(big).is_double());
    size_t small = 7;
    CHECK(Value(small).is_int());
  }
}

TEST_CASE("Value: as_double converts ints, other accessors throw on the wrong type", "[value]") {
  CHECK(Value(3).as_double() == 3.0);
  CHECK(Value(-7).as_double() == -7.0);
  CHECK_THROWS_AS(Value(3.5).as_int(), std::bad_variant_access);
  CHECK_THROWS_AS(Value("1").as_int(), std::bad_variant_access);
  CHECK_THROWS_AS(Value("1").as_double(), std::bad_variant_access);
  CHECK_THROWS_AS(Value(1).as_string(), std::bad_variant_access);
  CHECK_THROWS_AS(Value().as_bool(), std::bad_variant_access);
  CHECK_THROWS_AS(Value(1).as_list(), std::bad_variant_access);
  CHECK_THROWS_AS(Value(Value::List{}).as_map(), std::bad_variant_access);
  CHECK(Value(1).is_number());
  CHECK(Value(1.0).is_number());
  CHECK_FALSE(Value(true).is_number());
  CHECK_FALSE(Value("1").is_number());
}

TEST_CASE("Value: brace initialisation of maps", "[value]") {
  SECTION("pairs with string first elements make a map, lists inside stay lists") {
    Value v = {{"lr", 1e-3}, {"layers", {64, 32}}};
    REQUIRE(v.is_map());
    REQUIRE(v.as_map().size() == 2);
    CHECK(Keys(v) == std::vector<std::string>{"lr", "layers"});
    REQUIRE(v.find("lr") != nullptr);
    CHECK(v.find("lr")->as_double() == 1e-3);
    const Value* layers = v.find("layers");
    REQUIRE(layers != nullptr);
    REQUIRE(layers->is_list());
    REQUIRE(layers->as_list().size() == 2);
    CHECK(layers->as_list()[0].as_int() == 64);
    CHECK(layers->as_list()[1].as_int() == 32);
    CHECK(v.to_json() == R"({"lr": 0.001, "layers": [64, 32]})");
  }
  SECTION("a single pair is a map") {
    Value v = {{"a", 1}};
    REQUIRE(v.is_map());
    CHECK(v.to_json() == R"({"a": 1})");
  }
  SECTION("a pair whose value is a string is still a map entry") {
    Value v = {{"name", "adam"}, {"kind", "opt"}};
    REQUIRE(v.is_map());
    CHECK(v.to_json() == R"({"name": "adam", "kind": "opt"})");
  }
  SECTION("nested maps") {
    Value v = {{"opt", {{"name", "adam"}, {"betas", {0.9, 0.999}}}}};
    REQUIRE(v.is_map());
    REQUIRE(v.find("opt")->is_map());
    CHECK(v.to_json() == R"({"opt": {"name": "adam", "betas": [0.9, 0.999]}})");
  }
  SECTION("key order is the order written, not sorted") {
    Value v = {{"z", 1}, {"a", 2}, {"m", 3}};
    CHECK(Keys(v) == std::vector<std::string>{"z", "a", "m"});
  }
}

// Were every pair appended, a repeated key would give a map with two entries: find() would see
// the first value while a JSON reader of to_json() (Python's json.loads, or json::Parse) keeps
// the last, as a Python dict literal would.
TEST_CASE("Value: a repeated key in brace initialisation keeps one entry, the last", "[value]") {
  Value v = {{"lr", 0.1}, {"lr", 0.2}};
  REQUIRE(v.is_map());
  CHECK(v.as_map().size() == 1);
  REQUIRE(v.find("lr") != nullptr);
  CHECK(v.find("lr")->as_double() == 0.2);
  CHECK(v.to_json() == R"({"lr": 0.2})");
  // The entry stays where the key first appeared.
  Value w = {{"a", 1}, {"b", 2}, {"a", 3}, {"c", 4}};
  CHECK(w.to_json() == R"({"a": 3, "b": 2, "c": 4})");
}

TEST_CASE("Value: brace initialisation of lists", "[value]") {
  SECTION("two strings are a list, not a one-entry map") {
    Value v = {"a", "b"};
    REQUIRE(v.is_list());
    REQUIRE(v.as_list().size() == 2);
    CHECK(v.to_json() == R"(["a", "b"])");
  }
  SECTION("numbers") {
    Value v = {1, 2, 3};
    REQUIRE(v.is_list());
    CHECK(v.to_json() == "[1, 2, 3]");
  }
  SECTION("one element that is not a pair spoils the map") {
    Value v = {{"a", 1}, 2};
    REQUIRE(v.is_list());
    CHECK(v.to_json() == R"([["a", 1], 2])");
  }
  SECTION("pairs whose first element is not a string") {
    Value v = {{1, "a"}, {2, "b"}};
    REQUIRE(v.is_list());
    CHECK(v.to_json() == R"([[1, "a"], [2, "b"]])");
  }
  SECTION("three-element lists are not pairs") {
    Value v = {{"a", 1, 2}};
    REQUIRE(v.is_list());
    CHECK(v.to_json() == R"([["a", 1, 2]])");
  }
  SECTION("Value::list keeps string-first pairs as a list") {
    Value v = Value::list({{"a", 1}, {"b", 2}});
    REQUIRE(v.is_list());
    CHECK(v.to_json() == R"([["a", 1], ["b", 2]])");
  }
  SECTION("an empty initializer list is an empty list") {
    Value v(std::initializer_list<Value>{});
    CHECK(v.is_list());
    CHECK(v.as_list().empty());
  }
}

TEST_CASE("Value: from std::vector and std::map", "[value]") {
  std::vector<int> ints = {3, 1, 2};
  Value list(ints);
  REQUIRE(list.is_list());
  CHECK(list.to_json() == "[3, 1, 2]");

  std::map<std::string, double> m = {{"b", 2.0}, {"a", 1.5}};
  Value map(m);
  REQUIRE(map.is_map());
  // std::map iterates sorted.
  CHECK(map.to_json() == R"({"a": 1.5, "b": 2.0})");

  Value built = Value::map({{"k", Value(1)}});
  REQUIRE(built.is_map());
  CHECK(built.to_json() == R"({"k": 1})");
}

TEST_CASE("Value: find, set and erase keep insertion order", "[value]") {
  Value v;
  REQUIRE(v.is_null());
  v.set("a", 1);
  REQUIRE(v.is_map());  // set turns null into a map
  v.set("b", 2);
  v.set("c", 3);
  CHECK(Keys(v) == std::vector<std::string>{"a", "b", "c"});

  SECTION("set on an existing key overwrites in place") {
    v.set("a", "changed");
    CHECK(Keys(v) == std::vector<std::string>{"a", "b", "c"});
    CHECK(v.find("a")->as_string() == "changed");
    CHECK(v.to_json() == R"({"a": "changed", "b": 2, "c": 3})");
  }
  SECTION("erase in the middle keeps the rest in order") {
    CHECK(v.erase("b"));
    CHECK(Keys(v) == std::vector<std::string>{"a", "c"});
    CHECK(v.find("b") == nullptr);
    CHECK_FALSE(v.erase("b"));
    v.set("b", 4);  // re-added at the end
    CHECK(Keys(v) == std::vector<std::string>{"a", "c", "b"});
  }
  SECTION("find returns a mutable pointer into the map") {
    Value* c = v.find("c");
    REQUIRE(c != nullptr);
    *c = Value(30);
    CHECK(v.find("c")->as_int() == 30);
    const Value& cv = v;
    REQUIRE(cv.find("c") != nullptr);
    CHECK(cv.find("c")->as_int() == 30);
  }
  SECTION("keys are compared exactly") {
    CHECK(v.find("A") == nullptr);
    CHECK(v.find("a ") == nullptr);
    CHECK(v.find("") == nullptr);
  }
}

TEST_CASE("Value: find and erase on non-maps", "[value]") {
  Value list = {1, 2};
  CHECK(list.find("0") == nullptr);
  CHECK_FALSE(list.erase("0"));
  Value number(5);
  CHECK(number.find("x") == nullptr);
  CHECK_FALSE(number.erase("x"));
  Value null;
  CHECK(null.find("x") == nullptr);
  CHECK_FALSE(null.erase("x"));
  CHECK(null.is_null());  // erase does not turn null into a map
  // set only converts null; other types are not silently replaced.
  CHECK_THROWS_AS(number.set("x", 1), std::bad_variant_access);
}

TEST_CASE("Value: equality", "[value]") {
  CHECK(Value() == Value(nullptr));
  CHECK(Value(1) == Value(1));
  CHECK_FALSE(Value(1) == Value(2));
  CHECK_FALSE(Value(1) == Value(1.0));  // int and double are different values
  CHECK_FALSE(Value(true) == Value(1));
  CHECK(Value("a") == Value(std::string("a")));
  CHECK_FALSE(Value("a") == Value("b"));
  CHECK(Value({1, 2}) == Value({1, 2}));
  CHECK_FALSE(Value({1, 2}) == Value({2, 1}));
  CHECK(Value({{"a", 1}}) == Value({{"a", 1}}));
  CHECK_FALSE(Value({{"a", 1}}) == Value({{"a", 2}}));

  SECTION("NaN equals NaN, at the top level and nested") {
    const double nan = std::numeric_limits<double>::quiet_NaN();
    CHECK(Value(nan) == Value(nan));
    CHECK(Value(nan) == Value(-nan));
    CHECK_FALSE(Value(nan) == Value(0.0));
    CHECK_FALSE(Value(0.0) == Value(nan));
    Value list_a = {1, nan};
    Value list_b = {1, nan};
    CHECK(list_a == list_b);
    Value map_a = {{"x", nan}, {"y", {nan}}};
    Value map_b = {{"x", nan}, {"y", {nan}}};
    CHECK(map_a == map_b);
  }
  SECTION("infinities") {
    const double inf = std::numeric_limits<double>::infinity();
    CHECK(Value(inf) == Value(inf));
    CHECK_FALSE(Value(inf) == Value(-inf));
  }
}

}  // namespace
}  // namespace wandb
