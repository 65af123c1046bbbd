#include "common/ipc/history_wire.h"

#include <catch2/catch.hpp>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "common/ipc/record_batch_codec.h"

namespace wandb::history_wire {
namespace {

using Items = std::vector<std::pair<std::string, std::string>>;

std::string EncodeItems(const Items& items) {
  std::string out;
  for (const auto& [key, value] : items) AppendItem(key, value, &out);
  return out;
}

// The same call built as a message, serialized by the generated code.
std::string Reference(const Items& items, std::optional<int64_t> step, bool flush) {
  records::Record record;
  records::PartialHistoryRequest* history = record.mutable_request()->mutable_partial_history();
  for (const auto& [key, value] : items) {
    records::HistoryItem* item = history->add_item();
    item->set_key(key);
    item->set_value_json(value);
  }
  if (step.has_value()) history->mutable_step()->set_num(*step);
  history->mutable_action()->set_flush(flush);
  std::string out;
  AppendRecord(record, &out);
  return out;
}

// Strips the length prefix of one record in `bytes`.
absl::string_view Body(const std::string& bytes) {
  RecordBatchReader reader(bytes);
  absl::string_view body;
  REQUIRE(reader.NextBytes(&body));
  return body;
}

const Items kRow = {{"loss", "0.25"},
                    {"acc", "0.9"},
                    {"nested", R"({"a": [1, 2]})"},
                    {std::string(200, 'k'), std::string(300, 'v')}};

}  // namespace

TEST_CASE("history_wire: a log() call encodes to exactly the generated code's bytes") {
  for (std::optional<int64_t> step : {std::optional<int64_t>(), std::optional<int64_t>(0),
                                      std::optional<int64_t>(1), std::optional<int64_t>(1 << 20)}) {
    for (bool flush : {false, true}) {
      std::string ours;
      AppendPartialHistoryRecord(EncodeItems(kRow), step, flush, &ours);
      CHECK(ours == Reference(kRow, step, flush));
    }
  }
  std::string empty;
  AppendPartialHistoryRecord("", std::nullopt, true, &empty);
  CHECK(empty == Reference({}, std::nullopt, true));
}

TEST_CASE("history_wire: a history row encodes to exactly the generated code's bytes") {
  for (int64_t step : {int64_t{0}, int64_t{5}, int64_t{1} << 40}) {
    std::string ours;
    AppendHistoryRecord(EncodeItems(kRow), step, &ours);
    records::Record record;
    for (const auto& [key, value] : kRow) {
      records::HistoryItem* item = record.mutable_history()->add_item();
      item->set_key(key);
      item->set_value_json(value);
    }
    record.mutable_history()->mutable_step()->set_num(step);
    std::string reference;
    AppendRecord(record, &reference);
    CHECK(ours == reference);
  }
}

TEST_CASE("history_wire: a history row reads back as views of its items and step") {
  std::string bytes;
  AppendHistoryRecord(EncodeItems(kRow), 12, &bytes);
  PartialHistoryView view;
  absl::StatusOr<bool> read = ReadHistory(Body(bytes), &view);
  REQUIRE(read.ok());
  REQUIRE(*read);
  REQUIRE(view.items.size() == kRow.size());
  CHECK(view.items[3].value_json == kRow[3].second);
  CHECK(view.step == 12);
  // A call is not a history row, nor the other way round.
  std::string call;
  AppendPartialHistoryRecord(EncodeItems(kRow), 12, true, &call);
  read = ReadHistory(Body(call), &view);
  REQUIRE(read.ok());
  CHECK_FALSE(*read);
  read = ReadPartialHistory(Body(bytes), &view);
  REQUIRE(read.ok());
  CHECK_FALSE(*read);
}

TEST_CASE("history_wire: a call reads back as views of its items, step and flush") {
  std::string bytes;
  AppendPartialHistoryRecord(EncodeItems(kRow), 7, false, &bytes);
  PartialHistoryView view;
  absl::StatusOr<bool> read = ReadPartialHistory(Body(bytes), &view);
  REQUIRE(read.ok());
  REQUIRE(*read);
  REQUIRE(view.items.size() == kRow.size());
  for (size_t i = 0; i < kRow.size(); ++i) {
    CHECK(view.items[i].key == kRow[i].first);
    CHECK(view.items[i].value_json == kRow[i].second);
  }
  CHECK(view.step == 7);
  CHECK_FALSE(view.flush);

  SECTION("the view is reused: a second read replaces the first") {
    std::string second;
    AppendPartialHistoryRecord(EncodeItems({{"x", "1"}}), std::nullopt, true, &second);
    read = ReadPartialHistory(Body(second), &view);
    REQUIRE(read.ok());
    REQUIRE(*read);
    REQUIRE(view.items.size() == 1);
    CHECK(view.items[0].key == "x");
    CHECK_FALSE(view.step.has_value());
    CHECK(view.flush);
  }
}

TEST_CASE("history_wire: a call in a form the generated code writes differently still reads") {
  // Unknown fields in an item (e.g. nested_key) are skipped, as a parser would keep them aside.
  records::Record record;
  records::HistoryItem* item = record.mutable_request()->mutable_partial_history()->add_item();
  item->set_key("a");
  item->add_nested_key("ignored");
  item->set_value_json("1");
  std::string bytes = record.SerializeAsString();
  PartialHistoryView view;
  absl::StatusOr<bool> read = ReadPartialHistory(bytes, &view);
  REQUIRE(read.ok());
  REQUIRE(*read);
  REQUIRE(view.items.size() == 1);
  CHECK(view.items[0].key == "a");
  CHECK(view.items[0].value_json == "1");
}

TEST_CASE("history_wire: other records are not read as history") {
  PartialHistoryView view;
  records::Record config;
  config.mutable_config()->add_update()->set_key("lr");
  absl::StatusOr<bool> read = ReadPartialHistory(config.SerializeAsString(), &view);
  REQUIRE(read.ok());
  CHECK_FALSE(*read);

  records::Record numbered;  // a request with another field beside it takes the slow path
  numbered.set_num(3);
  numbered.mutable_request()->mutable_partial_history();
  read = ReadPartialHistory(numbered.SerializeAsString(), &view);
  REQUIRE(read.ok());
  CHECK_FALSE(*read);

  read = ReadPartialHistory("", &view);
  REQUIRE(read.ok());
  CHECK_FALSE(*read);
}

TEST_CASE("history_wire: truncated or garbled bytes are an error, never a crash") {
  std::string bytes;
  AppendPartialHistoryRecord(EncodeItems(kRow), 3, true, &bytes);
  std::string body(Body(bytes));
  PartialHistoryView view;
  // Every proper prefix of a record is either rejected or read as something well formed.
  for (size_t n = 1; n < body.size(); ++n) {
    absl::StatusOr<bool> read = ReadPartialHistory(absl::string_view(body).substr(0, n), &view);
    if (read.ok() && *read) CHECK(view.items.size() <= kRow.size());
  }
  absl::StatusOr<bool> read =
      ReadPartialHistory(std::string("\xa2\x06\xff\xff\xff\xff\x0f", 7), &view);
  CHECK_FALSE(read.ok());
  // Random bytes: no crash, whatever the answer.
  uint32_t x = 12345;
  for (int round = 0; round < 2000; ++round) {
    std::string noise;
    for (int i = 0; i < 40; ++i) {
      x = x * 1103515245 + 12345;
      noise.push_back(static_cast<char>(x >> 16));
    }
    noise[0] = '\xa2';
    noise[1] = '\x06';
    (void)ReadPartialHistory(noise, &view);
  }
}

}  // namespace wandb::history_wire
