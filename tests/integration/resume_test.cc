// wandb's resume setting against the local store, and against earlier run directories for
// offline runs.
#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>

#include "service/store/local_store.h"
#include "tests/support/test_env.h"
#include "wandb/wandb.h"

namespace wandb::testing {
namespace {

// The history rows of every log under the run root for `id`, in directory order.
std::vector<records::HistoryRecord> AllHistory(const TestEnv& env, const std::string& id) {
  std::vector<std::string> dirs;
  for (const auto& entry : std::filesystem::directory_iterator(env.root_dir() + "/wandb")) {
    if (entry.is_directory() && entry.path().filename().string().ends_with("-" + id)) {
      dirs.push_back(entry.path().string());
    }
  }
  std::sort(dirs.begin(), dirs.end());
  std::vector<records::HistoryRecord> rows;
  for (const std::string& dir : dirs) {
    for (const records::Record& r : ReadLog(dir + "/run-" + id + ".wandb").records) {
      if (r.has_history()) rows.push_back(r.history());
    }
  }
  return rows;
}

}  // namespace

TEST_CASE("resume='allow' continues a stored run: steps, config, summary and runtime") {
  TestEnv env;
  {
    Run first = init({.config = {{"lr", 0.1}, {"layers", 2}}, .id = "resumed1"});
    for (int i = 0; i < 5; ++i) first.log({{"loss", 1.0 / (i + 1)}});
    first.summary()["best"] = 0.9;
    first.finish();
  }
  Run second = init({.config = {{"lr", 0.05}, {"epochs", 3}},
                     .id = "resumed1",
                     .resume = Resume::kAllow,
                     .reinit = true});
  CHECK(second.config().get("layers") == Value(2));  // kept from the first part
  CHECK(second.config().get("lr") == Value(0.05));   // the new value wins
  CHECK(second.config().get("epochs") == Value(3));  // merged in
  second.log({{"loss", 0.1}});
  second.log({{"loss", 0.05}});
  Value::Map summary = second.summary().get();
  second.finish();

  std::vector<records::HistoryRecord> rows = AllHistory(env, "resumed1");
  REQUIRE(rows.size() == 7);
  for (int i = 0; i < 7; ++i) CHECK(rows[i].step().num() == i);
  // Runtime goes on from where the first part stopped: never below it.
  CHECK(std::stod(ItemValue(rows[5], "_runtime")) >= std::stod(ItemValue(rows[4], "_runtime")));

  absl::StatusOr<std::unique_ptr<store::LocalStore>> store =
      store::LocalStore::Open(env.store_dir());
  REQUIRE(store.ok());
  absl::StatusOr<store::RunRow> run = (*store)->runs().Find("resumed1");
  REQUIRE(run.ok());
  CHECK(run->last_step == 6);
  CHECK(run->state == store::RunState::kFinished);
  CHECK_THAT(run->summary_json, Catch::Contains(R"("best": 0.9)"));
  CHECK_THAT(run->config_json, Catch::Contains(R"("layers": 2)"));
  absl::StatusOr<std::vector<store::HistoryRow>> history = (*store)->series().History(run->key);
  REQUIRE(history.ok());
  CHECK(history->size() == 7);
}

TEST_CASE("resume errors: must on a missing run, never or no resume on an existing one") {
  TestEnv env;
  CHECK_THROWS_WITH(init({.id = "nothere", .resume = Resume::kMust}),
                    Catch::Contains("resume='must' but run (nothere) doesn't exist"));
  Run run = init({.id = "there1"});
  run.finish();
  CHECK_THROWS_WITH(init({.id = "there1", .resume = Resume::kNever, .reinit = true}),
                    Catch::Contains("resume='never' but run (there1) exists"));
  CHECK_THROWS_WITH(init({.id = "there1", .reinit = true}),
                    Catch::Contains("already exists") && Catch::Contains("resume='allow'"));
  Run must = init({.id = "there1", .resume = Resume::kMust, .reinit = true});
  must.finish();
}

TEST_CASE("resume='auto' continues the directory's last unfinished run") {
  TestEnv env;
  std::string first_id;
  {
    Run first = init({.resume = Resume::kAuto});
    first_id = first.id();
    first.log({{"x", 1}});
    first.finish(1);  // not clean: the resume file stays
  }
  CHECK(std::filesystem::exists(env.root_dir() + "/wandb/wandb-resume.json"));
  Run second = init({.resume = Resume::kAuto, .reinit = true});
  CHECK(second.id() == first_id);
  second.log({{"x", 2}});
  second.finish();  // clean: the file goes
  CHECK_FALSE(std::filesystem::exists(env.root_dir() + "/wandb/wandb-resume.json"));
  std::vector<records::HistoryRecord> rows = AllHistory(env, first_id);
  REQUIRE(rows.size() == 2);
  CHECK(rows[1].step().num() == 1);
}

TEST_CASE("offline runs resume from the earlier run directory's log") {
  TestEnv env;
  {
    Run first = init({.config = {{"a", 1}}, .id = "offres", .mode = Mode::kOffline});
    for (int i = 0; i < 3; ++i) first.log({{"v", i}});
    first.finish();
  }
  Run second = init({.config = {{"b", 2}},
                     .id = "offres",
                     .resume = Resume::kMust,
                     .mode = Mode::kOffline,
                     .reinit = true});
  CHECK(second.config().get("a") == Value(1));
  second.log({{"v", 3}});
  second.finish();
  std::vector<records::HistoryRecord> rows = AllHistory(env, "offres");
  REQUIRE(rows.size() == 4);
  CHECK(rows[3].step().num() == 3);
  CHECK_THROWS_WITH(
      init({.id = "offnone", .resume = Resume::kMust, .mode = Mode::kOffline, .reinit = true}),
      Catch::Contains("doesn't exist"));
}

}  // namespace wandb::testing
