// Bad input from a training program gets a clear error and changes nothing else; non-finite
// numbers are data, not errors, and are kept.
#include <wandb/wandb.h>
#include <catch2/catch.hpp>
#include <cmath>
#include <limits>
#include <thread>

#include "tests/support/invalid_argument_message.h"
#include "tests/support/test_env.h"

namespace wandb::testing {
namespace {

std::string ErrorMessage(const std::function<void()>& f) {
  try {
    f();
  } catch (const wandb::Error& e) {
    return e.what();
  }
  return "<no wandb::Error>";
}

// The code of the wandb::Error that f throws; kInternal when it throws none.
ErrorCode CodeOf(const std::function<void()>& f) {
  try {
    f();
  } catch (const wandb::Error& e) {
    return e.code();
  }
  FAIL("no wandb::Error");
  return ErrorCode::kInternal;
}

Value Nested(int depth) {
  Value v = 1;
  for (int i = 0; i < depth; ++i) v = Value::Map{{"d", v}};
  return v;
}

}  // namespace

TEST_CASE("misuse and invalid data get clear errors, and the run goes on") {
  TestEnv env;
  CHECK_THAT(ErrorMessage([] {
               Run().log({{"a", 1}});
             }),
             Catch::Contains("not made by wandb::init"));

  Run run = wandb::init({.id = "badinput"});
  CHECK(InvalidArgumentMessage([&] { run.log({{"", 1}}); }) == "empty key");
  CHECK_THAT(InvalidArgumentMessage([&] {
               run.log({{"ok", 1}, {"bad\xff", 2}});
             }),
             Catch::Contains("not valid UTF-8"));
  CHECK_THAT(InvalidArgumentMessage([&] {
               run.log({{"_step", 3}});
             }),
             Catch::Contains("'_step'") && Catch::Contains("reserved"));
  CHECK_THAT(InvalidArgumentMessage([&] {
               run.log({{"deep", Nested(40)}});
             }),
             Catch::Contains("'deep'") && Catch::Contains("nested deeper"));
  CHECK_THAT(InvalidArgumentMessage([&] {
               run.log({{"s", "bad \xc3"}});
             }),
             Catch::Contains("'s'") && Catch::Contains("UTF-8"));
  CHECK_THAT(InvalidArgumentMessage([&] { run.summary()[""] = 1; }), Catch::Contains("empty key"));
  CHECK(InvalidArgumentMessage([&] {
          run.log({{"_timestamp", "yesterday"}});
        }) == "key '_timestamp': must be a number (seconds)");
  CHECK_THAT(InvalidArgumentMessage([&] {
               run.log({{"x", 1}}, {.step = -1});
             }),
             Catch::Contains("negative"));

  run.config().update({{"lr", 0.1}});
  CHECK_THAT(ErrorMessage([&] {
               run.config().update({{"lr", 0.2}});
             }),
             Catch::Contains("'lr'") && Catch::Contains("allow_val_change"));
  CHECK_NOTHROW(run.config().update({{"lr", 0.1}}));  // same value: no change
  CHECK_NOTHROW(run.config().update({{"lr", 0.2}}, /*allow_val_change=*/true));
  CHECK(run.config().get("lr") == Value(0.2));

  double inf = std::numeric_limits<double>::infinity();
  run.log({{"nan", std::nan("")}, {"inf", inf}, {"ninf", -inf}, {"ok", 1}});
  run.finish();
  CHECK_THAT(ErrorMessage([&] { run.log({{"a", 1}}); }), Catch::Contains("after finish"));
  CHECK_NOTHROW(run.finish());  // a second finish does nothing

  LogContents log = ReadLog(env.RunDir("badinput") + "/run-badinput.wandb");
  int rows = 0;
  std::vector<std::string> lr_updates;
  for (const records::Record& r : log.records) {
    if (r.has_config()) lr_updates.push_back(r.config().update(0).value_json());
    if (!r.has_history()) continue;
    ++rows;
    CHECK(ItemValue(r.history(), "nan") == "NaN");
    CHECK(ItemValue(r.history(), "inf") == "Infinity");
    CHECK(ItemValue(r.history(), "ninf") == "-Infinity");
    CHECK(ItemValue(r.history(), "_step") == "0");
  }
  CHECK(rows == 1);  // none of the refused calls made a row
  // The refused change never reached the daemon; the unchanged and the allowed ones did.
  CHECK(lr_updates == std::vector<std::string>{"0.1", "0.1", "0.2"});
  std::string summary = ReadFile(env.RunDir("badinput") + "/files/wandb-summary.json");
  CHECK_THAT(summary, Catch::Contains("\"nan\": NaN") && Catch::Contains("\"ninf\": -Infinity"));
  CHECK_THAT(ReadFile(env.RunDir("badinput") + "/files/config.yaml"),
             Catch::Contains("lr:\n  desc: null\n  value: 0.2\n"));
}

TEST_CASE("init refuses invalid settings with wandb::Error") {
  TestEnv env;
  CHECK_THAT(ErrorMessage([] { wandb::init({.id = "../escape"}); }), Catch::Contains("run id"));
  CHECK_THAT(ErrorMessage([] { wandb::init({.project = "a/b"}); }), Catch::Contains("project"));
  CHECK_THAT(ErrorMessage([] { wandb::init({.name = "bad \xff name"}); }),
             Catch::Contains("name 'bad \xEF\xBF\xBD name' must be valid UTF-8"));
  std::string huge_project =
      ErrorMessage([] { wandb::init({.project = std::string(1 << 20, 'p')}); });
  CHECK(huge_project.size() < 200);
  CHECK_THAT(huge_project, Catch::Contains("(1048576 bytes)"));
  CHECK_THAT(InvalidArgumentMessage([] {
               wandb::init({.config = {{"", 1}}});
             }),
             Catch::Contains("empty key"));
  setenv("WANDB_MODE", "sideways", 1);
  CHECK_THAT(ErrorMessage([] { wandb::init({}); }), Catch::Contains("WANDB_MODE"));
  unsetenv("WANDB_MODE");
}

TEST_CASE("wandb::Error carries a code a program can act on") {
  TestEnv env;
  // Misuse, by the state things are in.
  CHECK(CodeOf([] { Run().log({{"a", 1}}); }) == ErrorCode::kFailedPrecondition);
  Run run = wandb::init({.config = {{"lr", 0.1}}, .id = "errcodes"});
  CHECK(CodeOf([&] { run.config().set("lr", 0.2); }) == ErrorCode::kFailedPrecondition);
  // What was named does not exist.
  CHECK(CodeOf([] { wandb::restore("nothing.txt", {.run_path = "errcodes"}); }) ==
        ErrorCode::kNotFound);
  run.finish();
  CHECK(CodeOf([&] { run.log({{"a", 1}}); }) == ErrorCode::kFailedPrecondition);
  // A setting that cannot be used.
  CHECK(CodeOf([] { wandb::init({.id = "../escape"}); }) == ErrorCode::kInvalidArgument);
  setenv("WANDB_MODE", "sideways", 1);
  CHECK(CodeOf([] { wandb::init({}); }) == ErrorCode::kInvalidArgument);
  unsetenv("WANDB_MODE");
  // resume = "must" of a run the store does not have; "never" of one it has.
  CHECK(CodeOf([] { wandb::init({.id = "nosuchrun", .resume = Resume::kMust}); }) ==
        ErrorCode::kNotFound);
  CHECK(CodeOf([] { wandb::init({.id = "errcodes", .resume = Resume::kNever}); }) ==
        ErrorCode::kAlreadyExists);
  // No daemon to be had: its binary is missing.
  setenv("WANDB_CPP_SERVICE_PATH", "/nonexistent/wandb-service", 1);
  setenv("WANDB_CPP_SERVICE_DIR", (env.root_dir() + "/nodaemon").c_str(), 1);
  CHECK(CodeOf([] { wandb::init({.id = "nodaemon"}); }) == ErrorCode::kNotFound);
}

TEST_CASE("mode disabled gives a run whose calls do nothing") {
  TestEnv env;
  Run run = wandb::init({.mode = Mode::kDisabled});
  CHECK(run.disabled());
  CHECK_NOTHROW(run.log({{"a", 1}}));
  CHECK_NOTHROW(run.summary()["a"] = 2);
  CHECK_NOTHROW(run.finish());
  CHECK(env.DaemonPids().empty());
  CHECK(env.RunDir(run.id()).empty());
}

TEST_CASE("a run logged from many threads keeps every row") {
  TestEnv env;
  Run run = wandb::init({.id = "threads"});
  constexpr int kThreads = 8;
  constexpr int kRowsPerThread = 2000;
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&run, t] {
      for (int i = 0; i < kRowsPerThread; ++i) run.log({{"t" + std::to_string(t), i}});
    });
  }
  for (std::thread& t : threads) t.join();
  run.finish();
  LogContents log = ReadLog(env.RunDir("threads") + "/run-threads.wandb");
  int rows = 0;
  for (const records::Record& r : log.records) rows += r.has_history();
  CHECK(rows == kThreads * kRowsPerThread);
}

}  // namespace wandb::testing
