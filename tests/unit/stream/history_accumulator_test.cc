#include "service/stream/history_accumulator.h"

#include <catch2/catch.hpp>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace wandb::service {
namespace {

using Items = std::vector<std::pair<std::string, std::string>>;

struct Call {
  Items items;
  std::optional<int64_t> step;
  bool flush = true;
};

// One log() call as the client encodes it (client/src/run_state.cc): the step only when the
// user gave one, and flush = commit, or when commit is unset, "no step was given".
Call Log(const Items& items, std::optional<int64_t> step = std::nullopt,
         std::optional<bool> commit = std::nullopt) {
  return Call{items, step, commit.value_or(!step.has_value())};
}

struct Row {
  int64_t step;
  Items items;
};

class Fixture {
 public:
  explicit Fixture(int64_t starting_step = 0) : history_(starting_step) {}

  std::optional<std::string> TryAdd(const Call& call) {
    history_wire::PartialHistoryView view;
    for (const auto& [key, value] : call.items) view.items.push_back({key, value});
    view.step = call.step;
    view.flush = call.flush;
    return history_.Add(view, [this](int64_t step, const auto& items) { Keep(step, items); });
  }

  // Applies a call that must not be dropped.
  void Add(const Call& call) {
    std::optional<std::string> warning = TryAdd(call);
    INFO("warning: " << warning.value_or("(none)"));
    REQUIRE_FALSE(warning.has_value());
  }

  void Flush() {
    history_.Flush([this](int64_t step, const auto& items) { Keep(step, items); });
  }

  std::vector<Row> rows_;
  HistoryAccumulator history_;

 private:
  void Keep(int64_t step, const std::vector<history_wire::ItemView>& items) {
    Row copy{step, {}};
    for (const history_wire::ItemView& item : items) {
      copy.items.emplace_back(std::string(item.key), std::string(item.value_json));
    }
    rows_.push_back(std::move(copy));
  }
};

TEST_CASE("HistoryAccumulator: plain log() calls emit one row each, steps 0, 1, 2", "[history]") {
  Fixture f;
  f.Add(Log({{"loss", "0.5"}}));
  f.Add(Log({{"loss", "0.4"}}));
  f.Add(Log({{"loss", "0.3"}, {"acc", "0.9"}}));
  REQUIRE(f.rows_.size() == 3);
  CHECK(f.rows_[0].step == 0);
  CHECK(f.rows_[1].step == 1);
  CHECK(f.rows_[2].step == 2);
  CHECK(f.rows_[0].items == Items{{"loss", "0.5"}});
  CHECK(f.rows_[1].items == Items{{"loss", "0.4"}});
  CHECK(f.rows_[2].items == Items{{"loss", "0.3"}, {"acc", "0.9"}});
  CHECK(f.history_.step() == 3);
  // Nothing is pending, so finishing adds nothing.
  f.Flush();
  CHECK(f.rows_.size() == 3);
  CHECK(f.history_.step() == 3);
}

TEST_CASE("HistoryAccumulator: starting_step numbers the first row", "[history]") {
  Fixture f(42);
  CHECK(f.history_.step() == 42);
  f.Add(Log({{"a", "1"}}));
  f.Add(Log({{"a", "2"}}));
  REQUIRE(f.rows_.size() == 2);
  CHECK(f.rows_[0].step == 42);
  CHECK(f.rows_[1].step == 43);
  CHECK(f.history_.step() == 44);
}

TEST_CASE("HistoryAccumulator: log(step=5) alone does not emit", "[history]") {
  Fixture f;
  f.Add(Log({{"a", "1"}}, 5));
  CHECK(f.rows_.empty());
  CHECK(f.history_.step() == 5);

  SECTION("a later plain call merges into that row and commits it") {
    f.Add(Log({{"b", "2"}}));
    REQUIRE(f.rows_.size() == 1);
    CHECK(f.rows_[0].step == 5);
    CHECK(f.rows_[0].items == Items{{"a", "1"}, {"b", "2"}});
    CHECK(f.history_.step() == 6);
  }
  SECTION("a later call with a higher step emits it under step 5") {
    f.Add(Log({{"a", "2"}}, 9));
    REQUIRE(f.rows_.size() == 1);
    CHECK(f.rows_[0].step == 5);
    CHECK(f.rows_[0].items == Items{{"a", "1"}});
    CHECK(f.history_.step() == 9);
    f.Flush();
    REQUIRE(f.rows_.size() == 2);
    CHECK(f.rows_[1].step == 9);
    CHECK(f.rows_[1].items == Items{{"a", "2"}});
    CHECK(f.history_.step() == 10);
  }
  SECTION("the same step again merges, later values overwriting") {
    f.Add(Log({{"a", "10"}, {"c", "3"}}, 5));
    CHECK(f.rows_.empty());
    f.Add(Log({{"d", "4"}}, 5, true));
    REQUIRE(f.rows_.size() == 1);
    CHECK(f.rows_[0].step == 5);
    CHECK(f.rows_[0].items == Items{{"a", "10"}, {"c", "3"}, {"d", "4"}});
    CHECK(f.history_.step() == 6);
  }
  SECTION("finish flushes it") {
    f.Flush();
    REQUIRE(f.rows_.size() == 1);
    CHECK(f.rows_[0].step == 5);
    CHECK(f.rows_[0].items == Items{{"a", "1"}});
    CHECK(f.history_.step() == 6);
    // A second Flush has nothing left.
    f.Flush();
    CHECK(f.rows_.size() == 1);
  }
}

TEST_CASE("HistoryAccumulator: step with commit=true emits at once", "[history]") {
  Fixture f;
  f.Add(Log({{"a", "1"}}, 3, true));
  REQUIRE(f.rows_.size() == 1);
  CHECK(f.rows_[0].step == 3);
  CHECK(f.history_.step() == 4);
  f.Add(Log({{"a", "2"}}));
  REQUIRE(f.rows_.size() == 2);
  CHECK(f.rows_[1].step == 4);
}

TEST_CASE("HistoryAccumulator: a lower step is dropped with a warning naming both steps",
          "[history]") {
  Fixture f;
  f.Add(Log({{"a", "1"}}, 5));
  f.Add(Log({{"b", "2"}}, 7));  // emits step 5, step 7 pending
  REQUIRE(f.rows_.size() == 1);

  std::optional<std::string> warning = f.TryAdd(Log({{"c", "3"}}, 3));
  REQUIRE(warning.has_value());
  CHECK(*warning == "Step 3 < 7. Dropping entry: log() steps must only increase");
  CHECK_THAT(*warning, Catch::Contains("3") && Catch::Contains("7"));
  // Nothing emitted, nothing merged, the step did not move.
  CHECK(f.rows_.size() == 1);
  CHECK(f.history_.step() == 7);
  f.Flush();
  REQUIRE(f.rows_.size() == 2);
  CHECK(f.rows_[1].step == 7);
  CHECK(f.rows_[1].items == Items{{"b", "2"}});

  SECTION("even a commit with a lower step is dropped") {
    std::optional<std::string> again = f.TryAdd(Log({{"d", "4"}}, 0, true));
    REQUIRE(again.has_value());
    CHECK(*again == "Step 0 < 8. Dropping entry: log() steps must only increase");
    CHECK(f.rows_.size() == 2);
  }
}

TEST_CASE("HistoryAccumulator: a step below the starting step is dropped", "[history]") {
  Fixture f(10);
  std::optional<std::string> warning = f.TryAdd(Log({{"a", "1"}}, 9, true));
  REQUIRE(warning.has_value());
  CHECK(*warning == "Step 9 < 10. Dropping entry: log() steps must only increase");
  CHECK(f.rows_.empty());
  CHECK(f.history_.step() == 10);
}

TEST_CASE("HistoryAccumulator: commit=false merges into one row", "[history]") {
  Fixture f;
  f.Add(Log({{"b", "1"}, {"a", "2"}}, std::nullopt, false));
  f.Add(Log({{"c", "3"}, {"b", "10"}}, std::nullopt, false));
  CHECK(f.rows_.empty());
  CHECK(f.history_.step() == 0);
  f.Add(Log({{"a", "20"}, {"d", "4"}}));
  REQUIRE(f.rows_.size() == 1);
  CHECK(f.rows_[0].step == 0);
  // Later values win; keys keep the order in which they were first logged.
  CHECK(f.rows_[0].items == Items{{"b", "10"}, {"a", "20"}, {"c", "3"}, {"d", "4"}});
  CHECK(f.history_.step() == 1);
}

TEST_CASE("HistoryAccumulator: commit=false then a higher step flushes under the old step",
          "[history]") {
  Fixture f;
  f.Add(Log({{"a", "1"}}));  // step 0
  f.Add(Log({{"x", "1"}}, std::nullopt, false));
  f.Add(Log({{"y", "2"}}, 10));
  REQUIRE(f.rows_.size() == 2);
  CHECK(f.rows_[1].step == 1);
  CHECK(f.rows_[1].items == Items{{"x", "1"}});
  CHECK(f.history_.step() == 10);
  f.Flush();
  REQUIRE(f.rows_.size() == 3);
  CHECK(f.rows_[2].step == 10);
  CHECK(f.rows_[2].items == Items{{"y", "2"}});
}

TEST_CASE("HistoryAccumulator: a higher step with nothing pending emits nothing", "[history]") {
  Fixture f;
  f.Add(Log({{"a", "1"}}, 100, true));
  REQUIRE(f.rows_.size() == 1);
  CHECK(f.rows_[0].step == 100);
  f.Add(Log({{"a", "2"}}, 200, true));
  REQUIRE(f.rows_.size() == 2);
  CHECK(f.rows_[1].step == 200);
  CHECK(f.history_.step() == 201);
}

TEST_CASE("HistoryAccumulator: values are kept as the JSON text they arrived in", "[history]") {
  Fixture f;
  f.Add(Log({{"v", R"({"nested": [1, NaN]})"}, {"s", R"("text")"}}));
  REQUIRE(f.rows_.size() == 1);
  CHECK(f.rows_[0].items == Items{{"v", R"({"nested": [1, NaN]})"}, {"s", R"("text")"}});
}

}  // namespace
}  // namespace wandb::service
