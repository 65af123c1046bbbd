#include "service/state/config_state.h"

#include <catch2/catch.hpp>
#include <cmath>
#include <initializer_list>
#include <limits>
#include <string>

#include "yaml-cpp/yaml.h"

namespace wandb::service {
namespace {

const double kNaN = std::numeric_limits<double>::quiet_NaN();
const double kInf = std::numeric_limits<double>::infinity();

void AddUpdate(records::ConfigRecord* record, const std::string& key, const std::string& json) {
  records::ConfigItem* item = record->add_update();
  item->set_key(key);
  item->set_value_json(json);
}

void AddNestedUpdate(records::ConfigRecord* record, std::initializer_list<std::string> path,
                     const std::string& json) {
  records::ConfigItem* item = record->add_update();
  for (const std::string& k : path) item->add_nested_key(k);
  item->set_value_json(json);
}

void AddRemove(records::ConfigRecord* record, const std::string& key) {
  record->add_remove()->set_key(key);
}

void AddNestedRemove(records::ConfigRecord* record, std::initializer_list<std::string> path) {
  records::ConfigItem* item = record->add_remove();
  for (const std::string& k : path) item->add_nested_key(k);
}

// A config holding `values`, applied through a ConfigRecord as the daemon receives it.
ConfigState ConfigOf(const Value::Map& values) {
  ConfigState config;
  records::ConfigRecord record;
  for (const auto& [key, value] : values) AddUpdate(&record, key, value.to_json());
  absl::Status s = config.Apply(record);
  INFO(s.ToString());
  REQUIRE(s.ok());
  return config;
}

const Value kEmptyMeta = Value(Value::Map{});
const Value kMeta = {{"cli_version", "0.1.0"}};
const char kMetaYaml[] =
    "wandb_version: 1\n"
    "\n"
    "_wandb:\n"
    "  desc: null\n"
    "  value:\n"
    "    cli_version: 0.1.0\n";

// The three lines config.yaml has for a top-level key.
std::string Entry(const std::string& key, const std::string& value) {
  return key + ":\n  desc: null\n  value: " + value + "\n";
}

// The texts below are what PyYAML's safe_dump writes for the same config (wandb 0.12).

TEST_CASE("ConfigState: config.yaml for a small config, exactly", "[config]") {
  ConfigState config = ConfigOf({{"lr", Value(0.001)},
                                 {"batch_size", Value(32)},
                                 {"name", Value("run")},
                                 {"use_bn", Value(true)},
                                 {"dropout", Value()}});
  Value meta = {{"start_time", 1700000000}, {"cli_version", "0.1.0"}};
  CHECK(config.ToYaml(meta) ==
        "wandb_version: 1\n"
        "\n"
        "_wandb:\n"
        "  desc: null\n"
        "  value:\n"
        "    cli_version: 0.1.0\n"
        "    start_time: 1700000000\n"
        "batch_size:\n"
        "  desc: null\n"
        "  value: 32\n"
        "dropout:\n"
        "  desc: null\n"
        "  value: null\n"
        "lr:\n"
        "  desc: null\n"
        "  value: 0.001\n"
        "name:\n"
        "  desc: null\n"
        "  value: run\n"
        "use_bn:\n"
        "  desc: null\n"
        "  value: true\n");
}

TEST_CASE("ConfigState: an empty config still has _wandb", "[config]") {
  ConfigState config;
  CHECK(config.values().is_map());
  CHECK(config.values().as_map().empty());
  std::string yaml = config.ToYaml(kEmptyMeta);
  CHECK(yaml.rfind("wandb_version: 1\n\n_wandb:\n  desc: null\n  value:", 0) == 0);
  YAML::Node doc = YAML::Load(yaml);
  CHECK(doc["wandb_version"].as<int>() == 1);
  CHECK(doc["_wandb"]["desc"].IsNull());
  CHECK(doc["_wandb"]["value"].IsMap());
  CHECK(doc["_wandb"]["value"].size() == 0);
  CHECK(doc.size() == 2);
}

TEST_CASE("ConfigState: keys are sorted bytewise at every level, as Python sorts them",
          "[config]") {
  // 'Z' (0x5a) < '_' (0x5f) < 'a' (0x61): an upper-case key comes before _wandb.
  ConfigState config = ConfigOf(
      {{"zeta", Value(1)},
       {"Zeta", Value(2)},
       {"alpha", Value(3)},
       {"opt",
        {{"sched", {{"z", 1}, {"a", {{"y", 2}, {"b", 3}}}}}, {"name", "adam"}, {"eps", 0.5}}}});
  CHECK(config.ToYaml(kMeta) ==
        "wandb_version: 1\n"
        "\n"
        "Zeta:\n"
        "  desc: null\n"
        "  value: 2\n"
        "_wandb:\n"
        "  desc: null\n"
        "  value:\n"
        "    cli_version: 0.1.0\n"
        "alpha:\n"
        "  desc: null\n"
        "  value: 3\n"
        "opt:\n"
        "  desc: null\n"
        "  value:\n"
        "    eps: 0.5\n"
        "    name: adam\n"
        "    sched:\n"
        "      a:\n"
        "        b: 3\n"
        "        y: 2\n"
        "      z: 1\n"
        "zeta:\n"
        "  desc: null\n"
        "  value: 1\n");
  // values() keeps insertion order; only the YAML is sorted.
  REQUIRE(config.values().as_map().size() == 4);
  CHECK(config.values().as_map()[0].first == "zeta");
}

TEST_CASE("ConfigState: lists, empty containers and nesting read back the same", "[config]") {
  ConfigState config = ConfigOf({{"layers", {64, 32}},
                                 {"empty", Value(Value::List{})},
                                 {"empty_map", Value(Value::Map{})},
                                 {"lol", {Value({1, 2}), Value({3})}},
                                 {"lom", Value::List{Value({{"b", 1}, {"a", 2}})}},
                                 {"opt", {{"betas", {0.9, 0.999}}, {"name", "adam"}}}});
  std::string yaml = config.ToYaml(kMeta);
  INFO(yaml);
  YAML::Node doc = YAML::Load(yaml);
  YAML::Node layers = doc["layers"]["value"];
  REQUIRE(layers.IsSequence());
  REQUIRE(layers.size() == 2);
  CHECK(layers[0].as<int>() == 64);
  CHECK(layers[1].as<int>() == 32);
  CHECK(doc["empty"]["value"].IsSequence());
  CHECK(doc["empty"]["value"].size() == 0);
  CHECK(doc["empty_map"]["value"].IsMap());
  CHECK(doc["empty_map"]["value"].size() == 0);
  YAML::Node lol = doc["lol"]["value"];
  REQUIRE(lol.size() == 2);
  CHECK(lol[0][1].as<int>() == 2);
  CHECK(lol[1][0].as<int>() == 3);
  CHECK(doc["lom"]["value"][0]["a"].as<int>() == 2);
  CHECK(doc["opt"]["value"]["betas"][1].as<double>() == 0.999);
  CHECK(doc["opt"]["value"]["name"].as<std::string>() == "adam");
  CHECK(doc["opt"]["desc"].IsNull());
  CHECK(doc["_wandb"]["value"]["cli_version"].as<std::string>() == "0.1.0");
}

TEST_CASE("ConfigState: strings that look like numbers, bools or null are quoted", "[config]") {
  ConfigState config = ConfigOf({{"a", Value("true")},
                                 {"b", Value("yes")},
                                 {"c", Value("No")},
                                 {"d", Value("null")},
                                 {"e", Value("")},
                                 {"f", Value("~")},
                                 {"g", Value("12")},
                                 {"h", Value("1.5")},
                                 {"i", Value("-3")},
                                 {"j", Value("0.1.0")},
                                 {"k", Value("plain text")},
                                 {"l", Value("False")},
                                 {"m", Value("off")},
                                 {"n", Value(".nan")}});
  std::string yaml = config.ToYaml(kMeta);
  CHECK(yaml == std::string(kMetaYaml) + Entry("a", "'true'") + Entry("b", "'yes'") +
                    Entry("c", "'No'") + Entry("d", "'null'") + Entry("e", "''") +
                    Entry("f", "'~'") + Entry("g", "'12'") + Entry("h", "'1.5'") +
                    Entry("i", "'-3'") + Entry("j", "0.1.0") + Entry("k", "plain text") +
                    Entry("l", "'False'") + Entry("m", "'off'") + Entry("n", "'.nan'"));
  // yaml-cpp reads every one of them back as the same string.
  YAML::Node doc = YAML::Load(yaml);
  CHECK(doc["a"]["value"].as<std::string>() == "true");
  CHECK(doc["a"]["value"].Tag() == "!");  // quoted: not resolved as a bool
  CHECK(doc["e"]["value"].as<std::string>().empty());
  CHECK(doc["g"]["value"].Tag() == "!");
  CHECK(doc["n"]["value"].as<std::string>() == ".nan");
}

// yaml-cpp quotes only what YAML 1.2 needs. PyYAML resolves plain scalars with YAML 1.1
// rules, so these strings would come back from yaml.safe_load as bool/int/float/date, and
// "<<" and "=" would make safe_load raise ConstructorError for the whole file. PyYAML's own
// safe_dump quotes all of them.
TEST_CASE("ConfigState: strings PyYAML would resolve as non-strings are quoted", "[config]") {
  const char* const lookalikes[] = {"YES",
                                    "NO",
                                    "ON",
                                    "OFF",
                                    "+1",
                                    "0x10",
                                    "0b101",
                                    "1_000",
                                    "1:30",
                                    "190:20:30",
                                    "+.inf",
                                    "-.inf",
                                    "2023-01-01",
                                    "<<",
                                    "=",
                                    "2001-12-14 21:59:43.10",
                                    "Yes",
                                    "0b1_0",
                                    "017",
                                    "-0x1F",
                                    ".5",
                                    "1.",
                                    "+1.5e+3",
                                    "-1_0.5",
                                    "1:30.5",
                                    ".Inf",
                                    ".NaN",
                                    "-.INF",
                                    "2001-12-14t21:59:43.10-05:00",
                                    "2001-1-2 3:04:05Z"};
  for (const char* s : lookalikes) {
    INFO("string " << s);
    ConfigState config = ConfigOf({{"k", Value(s)}});
    CHECK(config.ToYaml(kMeta) == std::string(kMetaYaml) + Entry("k", "'" + std::string(s) + "'"));
  }
}

// The other side of the YAML 1.1 rules: strings that only look close stay plain, as PyYAML
// writes them (0o17 is an int in YAML 1.2 only; a date needs two-digit month and day).
TEST_CASE("ConfigState: strings PyYAML reads as strings are not quoted", "[config]") {
  for (const char* s : {".hidden", "0o17", "1:60", "yes please", "2023-1-1", "Nan", "0x", "+"}) {
    INFO("string " << s);
    ConfigState config = ConfigOf({{"k", Value(s)}});
    CHECK(config.ToYaml(kMeta) == std::string(kMetaYaml) + Entry("k", s));
  }
}

TEST_CASE("ConfigState: other strings survive yaml-cpp's own quoting", "[config]") {
  ConfigState config = ConfigOf({{"colon", Value("a: b")},
                                 {"hash", Value("# not a comment")},
                                 {"dash", Value("- x")},
                                 {"lead", Value(" lead")},
                                 {"trail", Value("trail ")},
                                 {"quote", Value("'q'")},
                                 {"newline", Value("line\nbreak")},
                                 {"uni", Value("h\xc3\xa9llo")},
                                 {"plain", Value("hello")}});
  std::string yaml = config.ToYaml(kMeta);
  INFO(yaml);
  YAML::Node doc = YAML::Load(yaml);
  CHECK(doc["colon"]["value"].as<std::string>() == "a: b");
  CHECK(doc["hash"]["value"].as<std::string>() == "# not a comment");
  CHECK(doc["dash"]["value"].as<std::string>() == "- x");
  CHECK(doc["lead"]["value"].as<std::string>() == " lead");
  CHECK(doc["trail"]["value"].as<std::string>() == "trail ");
  CHECK(doc["quote"]["value"].as<std::string>() == "'q'");
  CHECK(doc["newline"]["value"].as<std::string>() == "line\nbreak");
  CHECK(doc["uni"]["value"].as<std::string>() == "h\xc3\xa9llo");
  CHECK(yaml.find(Entry("plain", "hello")) != std::string::npos);
  CHECK(yaml.find(Entry("uni", "h\xc3\xa9llo")) != std::string::npos);  // not escaped
}

TEST_CASE("ConfigState: NaN and infinities are .nan, .inf and -.inf", "[config]") {
  ConfigState config =
      ConfigOf({{"n", Value(kNaN)}, {"p", Value(kInf)}, {"q", Value(-kInf)}, {"i", {kInf}}});
  std::string yaml = config.ToYaml(kMeta);
  CHECK(yaml.rfind(kMetaYaml, 0) == 0);
  CHECK(yaml.find(Entry("n", ".nan")) != std::string::npos);
  CHECK(yaml.find(Entry("p", ".inf")) != std::string::npos);
  CHECK(yaml.find(Entry("q", "-.inf")) != std::string::npos);
  YAML::Node doc = YAML::Load(yaml);
  CHECK(std::isnan(doc["n"]["value"].as<double>()));
  CHECK(doc["p"]["value"].as<double>() == kInf);
  CHECK(doc["q"]["value"].as<double>() == -kInf);
  CHECK(doc["i"]["value"][0].as<double>() == kInf);
}

// PyYAML's representer writes repr(float) but inserts ".0" before the exponent when there is
// no '.', because YAML 1.1 (which PyYAML implements) only reads "1.0e-05" as a float: a plain
// "1e-05" comes back from yaml.safe_load as the *string* '1e-05'. Values below 1e-4 (learning
// rates, eps) are the common case.
TEST_CASE("ConfigState: floats in exponent form are written so PyYAML reads floats", "[config]") {
  ConfigState config = ConfigOf({{"eps", Value(1e-08)},
                                 {"huge", Value(1e20)},
                                 {"lr", Value(0.0001)},
                                 {"n", Value(1.5e-05)},
                                 {"round", Value(100000.0)}});
  CHECK(config.ToYaml(kMeta) == std::string(kMetaYaml) + Entry("eps", "1.0e-08") +
                                    Entry("huge", "1.0e+20") + Entry("lr", "0.0001") +
                                    Entry("n", "1.5e-05") + Entry("round", "100000.0"));
}

TEST_CASE("ConfigState: doubles read back exactly", "[config]") {
  ConfigState config = ConfigOf({{"a", Value(0.1)},
                                 {"b", Value(1e-05)},
                                 {"c", Value(2.0)},
                                 {"d", Value(-0.30000000000000004)},
                                 {"e", Value(123456789.125)}});
  YAML::Node doc = YAML::Load(config.ToYaml(kEmptyMeta));
  CHECK(doc["a"]["value"].as<double>() == 0.1);
  CHECK(doc["b"]["value"].as<double>() == 1e-05);
  CHECK(doc["c"]["value"].as<std::string>() == "2.0");
  CHECK(doc["d"]["value"].as<double>() == -0.30000000000000004);
  CHECK(doc["e"]["value"].as<double>() == 123456789.125);
}

TEST_CASE("ConfigState: Apply updates, nested updates and removals", "[config]") {
  ConfigState config = ConfigOf({{"a", Value(1)}, {"m", {{"x", 1}, {"y", {{"z", 2}}}}}});

  SECTION("a top-level update replaces the value in place") {
    records::ConfigRecord r;
    AddUpdate(&r, "a", R"({"new": true})");
    REQUIRE(config.Apply(r).ok());
    CHECK(config.values().to_json() == R"({"a": {"new": true}, "m": {"x": 1, "y": {"z": 2}}})");
  }
  SECTION("nested_key sets a leaf, creating maps on the way") {
    records::ConfigRecord r;
    AddNestedUpdate(&r, {"m", "y", "w"}, "3");
    AddNestedUpdate(&r, {"m", "x"}, "10");
    AddNestedUpdate(&r, {"new", "p", "q"}, R"("s")");
    AddNestedUpdate(&r, {"solo"}, "[1]");
    REQUIRE(config.Apply(r).ok());
    CHECK(config.values().to_json() ==
          R"({"a": 1, "m": {"x": 10, "y": {"z": 2, "w": 3}}, "new": {"p": {"q": "s"}}, )"
          R"("solo": [1]})");
  }
  SECTION("nested_key through a non-map replaces it with a map") {
    records::ConfigRecord r;
    AddNestedUpdate(&r, {"a", "b"}, "1");
    AddNestedUpdate(&r, {"m", "x", "deep"}, "2");
    REQUIRE(config.Apply(r).ok());
    CHECK(config.values().to_json() ==
          R"({"a": {"b": 1}, "m": {"x": {"deep": 2}, "y": {"z": 2}}})");
  }
  SECTION("removals, top-level and nested") {
    records::ConfigRecord r;
    AddRemove(&r, "a");
    AddNestedRemove(&r, {"m", "y", "z"});
    REQUIRE(config.Apply(r).ok());
    CHECK(config.values().to_json() == R"({"m": {"x": 1, "y": {}}})");
    YAML::Node doc = YAML::Load(config.ToYaml(kMeta));
    CHECK_FALSE(doc["a"].IsDefined());
    CHECK(doc["m"]["value"]["y"].IsMap());
    CHECK(doc["m"]["value"]["y"].size() == 0);
    CHECK(doc["m"]["value"]["x"].as<int>() == 1);
  }
  SECTION("removing what is not there is harmless") {
    records::ConfigRecord r;
    AddRemove(&r, "nope");
    AddNestedRemove(&r, {"nope", "x"});
    AddNestedRemove(&r, {"m", "x", "q"});  // x is not a map
    AddNestedRemove(&r, {"m", "nope", "q"});
    AddNestedRemove(&r, {"m"});  // a one-element path removes a top-level key
    REQUIRE(config.Apply(r).ok());
    CHECK(config.values().to_json() == R"({"a": 1})");
  }
  SECTION("the updated config is what config.yaml shows") {
    records::ConfigRecord r;
    AddNestedUpdate(&r, {"m", "x"}, "5");
    REQUIRE(config.Apply(r).ok());
    YAML::Node doc = YAML::Load(config.ToYaml(kEmptyMeta));
    CHECK(doc["m"]["value"]["x"].as<int>() == 5);
    CHECK(doc["m"]["value"]["y"]["z"].as<int>() == 2);
    CHECK(doc["a"]["value"].as<int>() == 1);
  }
}

TEST_CASE("ConfigState: a malformed value is reported with its key, the rest applies", "[config]") {
  ConfigState config;
  records::ConfigRecord r;
  AddUpdate(&r, "good", "1");
  AddUpdate(&r, "bad", "[1,");
  AddUpdate(&r, "worse", "nope");
  AddUpdate(&r, "after", "2");
  absl::Status s = config.Apply(r);
  REQUIRE_FALSE(s.ok());
  CHECK(s.code() == absl::StatusCode::kInvalidArgument);
  CHECK(std::string(s.message()) == "config key 'bad': invalid JSON at offset 3: unexpected end");
  CHECK(config.values().to_json() == R"({"good": 1, "after": 2})");
}

// A ConfigItem is addressed by key or by nested_key; the message once used item.key() alone,
// which is empty for a nested item, and read "config key '': ...".
TEST_CASE("ConfigState: a malformed nested value is reported with its path", "[config]") {
  ConfigState config;
  records::ConfigRecord r;
  AddNestedUpdate(&r, {"_wandb", "viz"}, "{oops");
  absl::Status s = config.Apply(r);
  REQUIRE_FALSE(s.ok());
  CHECK(std::string(s.message()) ==
        "config key '_wandb.viz': invalid JSON at offset 1: expected a key");
}

TEST_CASE("RenderYaml renders any value, keys sorted", "[config]") {
  std::string yaml = RenderYaml(Value({{"b", 1}, {"a", {true, nullptr}}}));
  CHECK(yaml.rfind("a:\n", 0) == 0);
  CHECK(yaml.size() > 6);
  CHECK(yaml.substr(yaml.size() - 5) == "b: 1\n");
  YAML::Node doc = YAML::Load(yaml);
  CHECK(doc["a"][0].as<bool>());
  CHECK(doc["a"][1].IsNull());
  CHECK(doc["b"].as<int>() == 1);
  CHECK(RenderYaml(Value(Value::Map{})) == "{}\n");
}

TEST_CASE("ConfigState: the run's _wandb entries join the daemon's in config.yaml", "[config]") {
  // A chart's panel arrives as wandb sends it: nested_key [_wandb, visualize, <key>].
  ConfigState config = ConfigOf({{"lr", Value(0.5)}});
  records::ConfigRecord record;
  AddNestedUpdate(&record, {"_wandb", "visualize", "wave"}, R"({"panel_type": "Vega2"})");
  REQUIRE(config.Apply(record).ok());
  YAML::Node doc = YAML::Load(config.ToYaml(kMeta));
  CHECK(doc["_wandb"]["value"]["cli_version"].as<std::string>() == "0.1.0");
  CHECK(doc["_wandb"]["value"]["visualize"]["wave"]["panel_type"].as<std::string>() == "Vega2");
  CHECK(doc["lr"]["value"].as<double>() == 0.5);
  CHECK(doc.size() == 3);  // wandb_version, _wandb, lr: _wandb only once
}

}  // namespace
}  // namespace wandb::service
