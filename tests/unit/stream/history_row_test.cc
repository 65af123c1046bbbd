#include "service/stream/history_row.h"

#include <catch2/catch.hpp>
#include <string>
#include <vector>

namespace wandb::service {
namespace {

std::vector<std::pair<std::string, std::string>> Contents(const HistoryRow& row) {
  std::vector<std::pair<std::string, std::string>> out;
  for (size_t i = 0; i < row.size(); ++i) out.emplace_back(row.key(i), row.value(i));
  return out;
}

// A call of `n` keys "k0".."k<n-1>", each valued `value`; the strings outlive the views.
struct WideCall {
  WideCall(int n, const std::string& value) {
    for (int i = 0; i < n; ++i) keys.push_back("k" + std::to_string(i));
    for (const std::string& key : keys) items.push_back({key, value});
    this->value = value;
  }
  std::vector<std::string> keys;
  std::string value;
  std::vector<history_wire::ItemView> items;
};

}  // namespace

TEST_CASE("HistoryRow: merged calls keep first-logged key order, later values win") {
  HistoryRow row;
  row.Merge({{"b", "1"}, {"a", "2"}});
  row.Merge({{"c", "3"}, {"b", "10"}});
  CHECK(Contents(row) ==
        std::vector<std::pair<std::string, std::string>>{{"b", "10"}, {"a", "2"}, {"c", "3"}});
  SECTION("a key twice in one call keeps the later value, once") {
    row.Merge({{"d", "1"}, {"d", "2"}});
    CHECK(row.size() == 4);
    CHECK(row.key(3) == "d");
    CHECK(row.value(3) == "2");
  }
  SECTION("Clear empties the row, which can be filled again") {
    row.Clear();
    CHECK(row.empty());
    row.Merge({{"x", "9"}});
    CHECK(Contents(row) == std::vector<std::pair<std::string, std::string>>{{"x", "9"}});
  }
}

TEST_CASE("HistoryRow: wide rows, past the scanning limit, merge by key just the same") {
  HistoryRow row;
  WideCall first(200, "1");
  row.Merge(first.items);
  REQUIRE(row.size() == 200);
  // Overwrite every other key and add new ones, in one call.
  std::vector<std::string> keys;
  for (int i = 0; i < 400; i += 2) keys.push_back("k" + std::to_string(i));
  std::vector<history_wire::ItemView> second;
  for (const std::string& key : keys) second.push_back({key, "2"});
  row.Merge(second);
  REQUIRE(row.size() == 300);
  for (size_t i = 0; i < 200; ++i) {
    CHECK(row.key(i) == "k" + std::to_string(i));
    CHECK(row.value(i) == (i % 2 == 0 ? "2" : "1"));
  }
  for (size_t i = 200; i < 300; ++i) {
    CHECK(row.key(i) == "k" + std::to_string(200 + (i - 200) * 2));
    CHECK(row.value(i) == "2");
  }
}

}  // namespace wandb::service
