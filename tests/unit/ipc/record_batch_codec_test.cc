#include "common/ipc/record_batch_codec.h"

#include <catch2/catch.hpp>
#include <string>

namespace wandb {
namespace {

records::Record Row(int i, const std::string& value) {
  records::Record record;
  auto* item = record.mutable_request()->mutable_partial_history()->add_item();
  item->set_key("k" + std::to_string(i));
  item->set_value_json(value);
  return record;
}

}  // namespace

TEST_CASE("records appended to a batch read back in order, on the arena") {
  std::string bytes;
  // Sizes around the one-byte varint limit (127/128) and a large one.
  std::vector<std::string> values = {"1", std::string(120, 'a'), std::string(200, 'b'),
                                     std::string(70000, 'c')};
  for (size_t i = 0; i < values.size(); ++i) AppendRecord(Row(i, values[i]), &bytes);

  google::protobuf::Arena arena;
  RecordBatchReader reader(bytes);
  for (size_t i = 0; i < values.size(); ++i) {
    records::Record* r = reader.Next(&arena);
    REQUIRE(r != nullptr);
    CHECK(r->GetArena() == &arena);
    CHECK(r->request().partial_history().item(0).key() == "k" + std::to_string(i));
    CHECK(r->request().partial_history().item(0).value_json() == values[i]);
  }
  CHECK(reader.Next(&arena) == nullptr);
  CHECK(reader.status().ok());
}

TEST_CASE("an empty batch has no records") {
  google::protobuf::Arena arena;
  RecordBatchReader reader("");
  CHECK(reader.Next(&arena) == nullptr);
  CHECK(reader.status().ok());
}

TEST_CASE("a malformed record ends the batch with DataLoss, and earlier records stand") {
  std::string bytes;
  AppendRecord(Row(0, "1"), &bytes);
  std::string good = bytes;
  google::protobuf::Arena arena;

  SECTION("bytes that do not parse") {
    bytes += std::string("\x05garba", 6);
    RecordBatchReader reader(bytes);
    CHECK(reader.Next(&arena) != nullptr);
    CHECK(reader.Next(&arena) == nullptr);
    CHECK(absl::IsDataLoss(reader.status()));
    CHECK_THAT(std::string(reader.status().message()), Catch::Contains("record 1"));
  }
  SECTION("a length beyond the end") {
    bytes += std::string("\x7f\x0a", 2);
    RecordBatchReader reader(bytes);
    CHECK(reader.Next(&arena) != nullptr);
    CHECK(reader.Next(&arena) == nullptr);
    CHECK_FALSE(reader.status().ok());
  }
  SECTION("a truncated length prefix") {
    bytes += std::string("\xff", 1);
    RecordBatchReader reader(bytes);
    CHECK(reader.Next(&arena) != nullptr);
    CHECK(reader.Next(&arena) == nullptr);
    CHECK(absl::IsDataLoss(reader.status()));
  }
}

}  // namespace wandb
