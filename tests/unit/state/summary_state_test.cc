#include "service/state/summary_state.h"

#include <catch2/catch.hpp>
#include <initializer_list>
#include <string>
#include <utility>
#include <vector>

namespace wandb::service {
namespace {

void AddUpdate(records::SummaryRecord* record, const std::string& key, const std::string& json) {
  records::SummaryItem* item = record->add_update();
  item->set_key(key);
  item->set_value_json(json);
}

void AddNestedUpdate(records::SummaryRecord* record, std::initializer_list<std::string> path,
                     const std::string& json) {
  records::SummaryItem* item = record->add_update();
  for (const std::string& k : path) item->add_nested_key(k);
  item->set_value_json(json);
}

void AddRemove(records::SummaryRecord* record, const std::string& key) {
  record->add_remove()->set_key(key);
}

void AddNestedRemove(records::SummaryRecord* record, std::initializer_list<std::string> path) {
  records::SummaryItem* item = record->add_remove();
  for (const std::string& k : path) item->add_nested_key(k);
}

std::string Get(const SummaryState& s, const std::string& key) {
  const std::string* v = s.Find(key);
  INFO("key " << key);
  REQUIRE(v != nullptr);
  return *v;
}

TEST_CASE("SummaryState: Set overwrites in place and keeps first-set order", "[summary]") {
  SummaryState s;
  CHECK(s.empty());
  CHECK(s.ToJson() == "{}");
  s.Set("loss", "0.5");
  s.Set("acc", "0.25");
  s.Set("_step", "0");
  CHECK_FALSE(s.empty());
  CHECK(s.ToJson() == R"({"loss": 0.5, "acc": 0.25, "_step": 0})");
  s.Set("loss", "0.125");
  s.Set("_step", "1");
  CHECK(s.ToJson() == R"({"loss": 0.125, "acc": 0.25, "_step": 1})");
  CHECK(Get(s, "loss") == "0.125");
  CHECK(s.Find("missing") == nullptr);
  CHECK(s.Find("Loss") == nullptr);
}

TEST_CASE("SummaryState: ToJson quotes keys and writes values verbatim", "[summary]") {
  SummaryState s;
  s.Set("we\"ird\n", R"({"a": [1, NaN]})");
  s.Set("\xc3\xa9", "Infinity");
  CHECK(s.ToJson() == "{\"we\\\"ird\\n\": {\"a\": [1, NaN]}, \"\xc3\xa9\": Infinity}");
}

TEST_CASE("SummaryState: ToItems lists every key in order", "[summary]") {
  SummaryState s;
  s.Set("b", "1");
  s.Set("a", R"("x")");
  google::protobuf::RepeatedPtrField<records::SummaryItem> items;
  s.ToItems(&items);
  REQUIRE(items.size() == 2);
  CHECK(items[0].key() == "b");
  CHECK(items[0].value_json() == "1");
  CHECK(items[0].nested_key_size() == 0);
  CHECK(items[1].key() == "a");
  CHECK(items[1].value_json() == R"("x")");
}

TEST_CASE("SummaryState: Apply top-level updates", "[summary]") {
  SummaryState s;
  s.Set("a", "1");
  records::SummaryRecord record;
  AddUpdate(&record, "b", R"({"x": 1})");
  AddUpdate(&record, "a", "2.5");
  // A single-element nested_key is a top-level key.
  AddNestedUpdate(&record, {"c"}, "[1, 2]");
  REQUIRE(s.Apply(record).ok());
  CHECK(s.ToJson() == R"({"a": 2.5, "b": {"x": 1}, "c": [1, 2]})");
}

TEST_CASE("SummaryState: Apply nested updates", "[summary]") {
  SummaryState s;
  s.Set("x", R"({"y": 1, "z": {"w": 2}})");
  s.Set("n", "7");

  SECTION("an existing leaf is replaced in place") {
    records::SummaryRecord record;
    AddNestedUpdate(&record, {"x", "y"}, "10");
    REQUIRE(s.Apply(record).ok());
    CHECK(Get(s, "x") == R"({"y": 10, "z": {"w": 2}})");
  }
  SECTION("a new leaf is appended at its level") {
    records::SummaryRecord record;
    AddNestedUpdate(&record, {"x", "z", "v"}, R"("s")");
    REQUIRE(s.Apply(record).ok());
    CHECK(Get(s, "x") == R"({"y": 1, "z": {"w": 2, "v": "s"}})");
  }
  SECTION("missing intermediate maps are created") {
    records::SummaryRecord record;
    AddNestedUpdate(&record, {"new", "p", "q"}, "true");
    AddNestedUpdate(&record, {"x", "a", "b", "c"}, "null");
    REQUIRE(s.Apply(record).ok());
    CHECK(Get(s, "new") == R"({"p": {"q": true}})");
    CHECK(Get(s, "x") == R"({"y": 1, "z": {"w": 2}, "a": {"b": {"c": null}}})");
    CHECK(s.ToJson() == R"({"x": {"y": 1, "z": {"w": 2}, "a": {"b": {"c": null}}}, "n": 7, )"
                        R"("new": {"p": {"q": true}}})");
  }
  SECTION("a non-map at the top or in between is replaced by a map") {
    records::SummaryRecord record;
    AddNestedUpdate(&record, {"n", "a"}, "1");
    AddNestedUpdate(&record, {"x", "y", "deep"}, "2");
    REQUIRE(s.Apply(record).ok());
    CHECK(Get(s, "n") == R"({"a": 1})");
    CHECK(Get(s, "x") == R"({"y": {"deep": 2}, "z": {"w": 2}})");
    // The top-level key keeps its position.
    CHECK(s.ToJson() == R"({"x": {"y": {"deep": 2}, "z": {"w": 2}}, "n": {"a": 1}})");
  }
  SECTION("nested values may be any JSON, NaN included") {
    records::SummaryRecord record;
    AddNestedUpdate(&record, {"x", "y"}, R"({"min": NaN, "max": [Infinity]})");
    REQUIRE(s.Apply(record).ok());
    CHECK(Get(s, "x") == R"({"y": {"min": NaN, "max": [Infinity]}, "z": {"w": 2}})");
  }
}

TEST_CASE("SummaryState: Apply removals", "[summary]") {
  SummaryState s;
  s.Set("a", "1");
  s.Set("b", R"({"c": {"d": 1, "e": 2}, "f": 3})");
  s.Set("g", "4");

  SECTION("top-level by key, later keys keep their order and stay findable") {
    records::SummaryRecord record;
    AddRemove(&record, "a");
    REQUIRE(s.Apply(record).ok());
    CHECK(s.ToJson() == R"({"b": {"c": {"d": 1, "e": 2}, "f": 3}, "g": 4})");
    CHECK(s.Find("a") == nullptr);
    CHECK(Get(s, "g") == "4");
    s.Set("a", "5");  // re-added at the end
    CHECK(s.ToJson() == R"({"b": {"c": {"d": 1, "e": 2}, "f": 3}, "g": 4, "a": 5})");
    s.Set("g", "6");
    CHECK(Get(s, "g") == "6");
    CHECK(Get(s, "a") == "5");
  }
  SECTION("top-level by a single nested key") {
    records::SummaryRecord record;
    AddNestedRemove(&record, {"g"});
    REQUIRE(s.Apply(record).ok());
    CHECK(s.ToJson() == R"({"a": 1, "b": {"c": {"d": 1, "e": 2}, "f": 3}})");
  }
  SECTION("nested") {
    records::SummaryRecord record;
    AddNestedRemove(&record, {"b", "c", "d"});
    AddNestedRemove(&record, {"b", "f"});
    REQUIRE(s.Apply(record).ok());
    CHECK(Get(s, "b") == R"({"c": {"e": 2}})");
  }
  SECTION("removing what is not there changes nothing") {
    records::SummaryRecord record;
    AddRemove(&record, "nope");
    AddNestedRemove(&record, {"nope", "x"});
    AddNestedRemove(&record, {"b", "nope", "x"});
    AddNestedRemove(&record, {"b", "f", "x"});  // f is not a map
    AddNestedRemove(&record, {"a", "x"});       // a is not a map
    REQUIRE(s.Apply(record).ok());
    CHECK(s.ToJson() == R"({"a": 1, "b": {"c": {"d": 1, "e": 2}, "f": 3}, "g": 4})");
  }
  SECTION("updates apply before removals of the same record") {
    records::SummaryRecord record;
    AddUpdate(&record, "g", "40");
    AddRemove(&record, "g");
    REQUIRE(s.Apply(record).ok());
    CHECK(s.Find("g") == nullptr);
  }
}

TEST_CASE("SummaryState: a malformed value is reported, the other items still apply", "[summary]") {
  SummaryState s;
  s.Set("kept", "1");
  records::SummaryRecord record;
  AddUpdate(&record, "bad", "{");
  AddUpdate(&record, "good", "2");
  AddUpdate(&record, "kept", "nope");
  AddNestedUpdate(&record, {"n", "x"}, "3");
  AddRemove(&record, "kept");
  absl::Status status = s.Apply(record);
  REQUIRE_FALSE(status.ok());
  CHECK(status.code() == absl::StatusCode::kInvalidArgument);
  // The first problem is the one reported, and it names the key.
  CHECK(std::string(status.message()) ==
        "summary key 'bad': invalid JSON at offset 1: expected a key");
  CHECK(s.Find("bad") == nullptr);
  CHECK(s.ToJson() == R"({"good": 2, "n": {"x": 3}})");
}

// Top-level updates report "summary key '<key>': ..."; a malformed nested update once
// returned the bare parse error, which did not say which key it was for.
TEST_CASE("SummaryState: a malformed nested value is reported with its key", "[summary]") {
  SummaryState s;
  records::SummaryRecord record;
  AddNestedUpdate(&record, {"metrics", "best"}, "not json");
  AddUpdate(&record, "other", "1");
  absl::Status status = s.Apply(record);
  REQUIRE_FALSE(status.ok());
  CHECK(s.ToJson() == R"({"other": 1})");
  CHECK(std::string(status.message()) ==
        "summary key 'metrics.best': invalid JSON at offset 0: unexpected character");
}

}  // namespace
}  // namespace wandb::service

namespace wandb::service {

TEST_CASE("SummaryState::SetRow: rows of the same keys coalesce, and every reader sees the last",
          "[summary]") {
  SummaryState s;
  s.Set("first", "0");
  for (int i = 0; i < 5; ++i) {
    std::string loss = std::to_string(i);
    s.SetRow({{"loss", loss}, {"acc", "0.5"}});
  }
  CHECK_FALSE(s.empty());
  CHECK(s.ToJson() == R"({"first": 0, "loss": 4, "acc": 0.5})");
  REQUIRE(s.Find("loss") != nullptr);
  CHECK(*s.Find("loss") == "4");

  SECTION("a row with other keys applies the pending one first, keeping key order") {
    s.SetRow({{"val", "1"}, {"loss", "9"}});
    s.SetRow({{"loss", "10"}, {"acc", "0.7"}});
    CHECK(s.ToJson() == R"({"first": 0, "loss": 10, "acc": 0.7, "val": 1})");
  }
  SECTION("an explicit update or removal after rows sees them applied") {
    s.SetRow({{"loss", "5"}, {"acc", "0.6"}});
    records::SummaryRecord record;
    AddRemove(&record, "acc");
    AddUpdate(&record, "loss", "-1");
    REQUIRE(s.Apply(record).ok());
    CHECK(s.ToJson() == R"({"first": 0, "loss": -1})");
    s.SetRow({{"loss", "6"}, {"acc", "0.8"}});
    CHECK(s.ToJson() == R"({"first": 0, "loss": 6, "acc": 0.8})");
  }
  SECTION("ToItems sees the pending row") {
    s.SetRow({{"loss", "7"}, {"acc", "0.9"}});
    google::protobuf::RepeatedPtrField<records::SummaryItem> items;
    s.ToItems(&items);
    REQUIRE(items.size() == 3);
    CHECK(items[1].key() == "loss");
    CHECK(items[1].value_json() == "7");
  }
}

TEST_CASE("SummaryState::SetRow alone makes a non-empty summary", "[summary]") {
  SummaryState s;
  CHECK(s.empty());
  s.SetRow({{"a", "1"}});
  CHECK_FALSE(s.empty());
  s.SetRow({});
  CHECK(s.ToJson() == R"({"a": 1})");
}

}  // namespace wandb::service
