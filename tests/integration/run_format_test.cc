// What a run leaves on disk: wandb's directory layout, files and history semantics, end to end
// through the real daemon.
#include <sys/stat.h>
#include <unistd.h>

#include <wandb/wandb.h>
#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>

#include "common/value/json.h"
#include "tests/support/test_env.h"

namespace wandb::testing {
namespace {

std::vector<records::HistoryRecord> History(const LogContents& log) {
  std::vector<records::HistoryRecord> rows;
  for (const records::Record& r : log.records) {
    if (r.has_history()) rows.push_back(r.history());
  }
  return rows;
}

}  // namespace

TEST_CASE("step and commit follow wandb's rules end to end") {
  TestEnv env;
  Run run = wandb::init({.id = "steps"});
  run.log({{"a", 1}});                                   // row 0
  run.log({{"b", 2}}, {.commit = false});                // pending
  run.log({{"c", 3}});                                   // row 1: b and c
  run.log({{"d", 4}}, {.step = 5});                      // pending at step 5
  run.log({{"e", 5}}, {.step = 5});                      // merges
  run.log({{"f", 6}}, {.step = 3});                      // lower step: dropped
  run.log({{"g", 7}}, {.step = 7, .commit = true});      // flushes step 5, then row 7
  run.log({{"nested", {{"x", 1}, {"y", {{"z", 2}}}}}});  // row 8
  run.summary()["best"] = 0.5;
  run.summary()["val"]["acc"] = 0.75;
  Value::Map summary = run.summary().get();
  run.finish();

  std::vector<records::HistoryRecord> rows =
      History(ReadLog(env.RunDir("steps") + "/run-steps.wandb"));
  REQUIRE(rows.size() == 5);
  CHECK(ItemValue(rows[0], "a") == "1");
  CHECK(ItemValue(rows[0], "_step") == "0");
  CHECK(ItemValue(rows[1], "b") == "2");
  CHECK(ItemValue(rows[1], "c") == "3");
  CHECK(ItemValue(rows[1], "_step") == "1");
  CHECK(ItemValue(rows[2], "d") == "4");
  CHECK(ItemValue(rows[2], "e") == "5");
  CHECK(ItemValue(rows[2], "_step") == "5");
  CHECK(ItemValue(rows[3], "g") == "7");
  CHECK(ItemValue(rows[3], "_step") == "7");
  CHECK(ItemValue(rows[4], "nested") == "{\"x\": 1, \"y\": {\"z\": 2}}");
  CHECK(ItemValue(rows[4], "_step") == "8");
  for (const auto& row : rows) {
    CHECK(ItemValue(row, "f").empty());
    CHECK_FALSE(ItemValue(row, "_runtime").empty());
    CHECK_FALSE(ItemValue(row, "_timestamp").empty());
  }

  // Summary: the last value of every key, explicit values, nested set.
  auto find = [&](const std::string& k) {
    for (const auto& [key, v] : summary) {
      if (key == k) return v;
    }
    return Value("<missing>");
  };
  CHECK(find("a") == Value(1));
  CHECK(find("g") == Value(7));
  CHECK(find("_step") == Value(8));
  CHECK(find("best") == Value(0.5));
  CHECK(find("val") == Value(Value::Map{{"acc", 0.75}}));
}

TEST_CASE("the run directory follows wandb's layout") {
  TestEnv env;
  Run run = wandb::init({.project = "layout",
                         .name = "layout-run",
                         .notes = "n",
                         .tags = std::vector<std::string>{"t1", "t2"},
                         .group = "g",
                         .job_type = "train",
                         .config = {{"lr", 0.001}, {"layers", {64, 32}}, {"name", "1.0"}},
                         .id = "layout1"});
  run.log({{"loss", 0.5}});
  run.finish();

  std::string dir = env.RunDir("layout1");
  REQUIRE_FALSE(dir.empty());
  std::string name = std::filesystem::path(dir).filename();
  // The default mode tracks into the local store, so the name is wandb's for a synced run.
  CHECK(name.starts_with("run-"));
  CHECK(name.size() == std::string("run-YYYYMMDD_HHMMSS-layout1").size());
  CHECK(std::filesystem::read_symlink(env.root_dir() + "/wandb/latest-run") == name);
  CHECK(std::filesystem::exists(env.root_dir() + "/wandb/debug-internal.log"));
  CHECK(std::filesystem::exists(dir + "/logs/debug.log"));
  CHECK(run.dir() == dir);

  CHECK(ReadFile(dir + "/files/config.yaml") ==
        "wandb_version: 1\n\n"
        "_wandb:\n  desc: null\n  value:\n    cli_version: " WANDB_CPP_VERSION
        "\n"
        "    start_time: " +
            [&] {
              std::string yaml = ReadFile(dir + "/files/config.yaml");
              size_t at = yaml.find("start_time: ") + 12;
              return yaml.substr(at, yaml.find('\n', at) - at);
            }() +
            "\n"
            // Telemetry: finish, set_init_name, _id, _tags, _config, service, lib_cpp.
            "    t:\n      3:\n        - 2\n        - 13\n        - 14\n        - 15\n"
            "        - 16\n        - 23\n        - 57\n      5: wandb-cpp " WANDB_CPP_VERSION
            "\n"
            "layers:\n  desc: null\n  value:\n    - 64\n    - 32\n"
            "lr:\n  desc: null\n  value: 0.001\n"
            "name:\n  desc: null\n  value: '1.0'\n");

  absl::StatusOr<Value> summary = json::Parse(ReadFile(dir + "/files/wandb-summary.json"));
  REQUIRE(summary.ok());
  CHECK(*summary->find("loss") == Value(0.5));
  CHECK(*summary->find("_step") == Value(0));
  CHECK(summary->find("_wandb")->find("runtime")->is_int());

  absl::StatusOr<Value> meta = json::Parse(ReadFile(dir + "/files/wandb-metadata.json"));
  REQUIRE(meta.ok());
  for (const char* key : {"os", "host", "program", "args", "executable", "cpu_count", "startedAt",
                          "username", "root"}) {
    CHECK(meta->find(key) != nullptr);
  }
  char cwd[4096];
  REQUIRE(getcwd(cwd, sizeof(cwd)) != nullptr);
  CHECK(meta->find("cwd")->as_string() == cwd);

  // The log: header first, the run record with every setting, then telemetry and metadata.
  LogContents log = ReadLog(dir + "/run-layout1.wandb");
  REQUIRE(log.clean_end);
  REQUIRE(log.records.size() > 4);
  CHECK(log.records[0].has_header());
  REQUIRE(log.records[1].has_run());
  const records::RunRecord& r = log.records[1].run();
  CHECK(r.run_id() == "layout1");
  CHECK(r.project() == "layout");
  CHECK(r.display_name() == "layout-run");
  CHECK(r.notes() == "n");
  CHECK(r.run_group() == "g");
  CHECK(r.job_type() == "train");
  CHECK(std::vector<std::string>(r.tags().begin(), r.tags().end()) ==
        std::vector<std::string>{"t1", "t2"});
  CHECK(r.config().update_size() == 3);
  CHECK(log.records[2].has_telemetry());
  // The end: the exit, the system metrics' last record (sampled after the exit, as wandb's
  // FLUSH_STATS), then the summary, final and footer records.
  std::vector<int> tail;
  for (const records::Record& record : log.records) {
    if (!record.has_history() && !record.has_telemetry() && !record.has_stats()) {
      tail.push_back(record.record_type_case());
    }
  }
  REQUIRE(tail.size() >= 4);
  tail.erase(tail.begin(), tail.end() - 4);
  CHECK(tail == std::vector<int>{records::Record::kExit, records::Record::kSummary,
                                 records::Record::kFinal, records::Record::kFooter});
}

TEST_CASE("the service directory is private to the user") {
  TestEnv env;
  Run run = wandb::init({.id = "private"});
  struct stat st;
  REQUIRE(stat(env.service_dir().c_str(), &st) == 0);
  CHECK((st.st_mode & 0777) == 0700);
  CHECK(st.st_uid == getuid());
  run.finish();
}

}  // namespace wandb::testing

namespace wandb::testing {

TEST_CASE("WANDB_CONFIG_PATHS files are defaults under the init config") {
  TestEnv env;
  std::string wrapped = env.root_dir() + "/wrapped.yaml";
  std::string plain = env.root_dir() + "/plain.yaml";
  std::ofstream(wrapped) << "wandb_version: 1\n\n_wandb:\n  desc: null\n  value: {x: 1}\n"
                            "lr:\n  desc: null\n  value: 0.1\nlayers:\n  value: [8, 4]\n";
  std::ofstream(plain) << "lr: 0.2\nname: '1.0'\nuse_amp: true\nepochs: 3\n";
  setenv("WANDB_CONFIG_PATHS", (wrapped + "," + plain).c_str(), 1);
  Run run = wandb::init({.config = {{"epochs", 5}}, .id = "cfgfiles"});
  unsetenv("WANDB_CONFIG_PATHS");
  CHECK(run.config().get("lr") == Value(0.2));  // the later file wins
  CHECK(run.config().get("layers") == Value(Value::List{8, 4}));
  CHECK(run.config().get("name") == Value("1.0"));  // quoted: stays a string
  CHECK(run.config().get("use_amp") == Value(true));
  CHECK(run.config().get("epochs") == Value(5));  // init's config wins
  CHECK_FALSE(run.config().get("_wandb").has_value());
  run.finish();
  CHECK_THAT(ReadFile(env.RunDir("cfgfiles") + "/files/config.yaml"),
             Catch::Contains("epochs:\n  desc: null\n  value: 5\n"));

  setenv("WANDB_CONFIG_PATHS", (env.root_dir() + "/missing.yaml").c_str(), 1);
  CHECK_THROWS_AS(wandb::init({.id = "cfgmissing"}), wandb::Error);
  unsetenv("WANDB_CONFIG_PATHS");
}

}  // namespace wandb::testing
