#include "service/stream/batch_decoder.h"

#include <catch2/catch.hpp>
#include <string>

#include "common/ipc/history_wire.h"
#include "common/ipc/record_batch_codec.h"

namespace wandb::service {
namespace {

void AppendCall(absl::string_view key, absl::string_view value, std::string* out) {
  std::string items;
  history_wire::AppendItem(key, value, &items);
  history_wire::AppendPartialHistoryRecord(items, std::nullopt, true, out);
}

RecordBatch Batch(std::string records, uint64_t seq = 7) {
  RecordBatch batch;
  batch.set_seq(seq);
  batch.set_records(std::move(records));
  return batch;
}

}  // namespace

TEST_CASE("DecodedBatch reads calls in place and leaves other records for the handler") {
  std::string bytes;
  AppendCall("loss", "0.5", &bytes);
  records::Record config;
  config.mutable_config()->add_update()->set_key("lr");
  AppendRecord(config, &bytes);
  AppendCall("acc", R"({"top1": 0.9})", &bytes);

  DecodedBatch batch(Batch(bytes));
  CHECK(batch.seq() == 7);
  REQUIRE(batch.entries().size() == 3);
  const auto& entries = batch.entries();
  CHECK(entries[0].is_call);
  CHECK(entries[0].status.ok());
  REQUIRE(entries[0].call.items.size() == 1);
  CHECK(entries[0].call.items[0].key == "loss");
  CHECK(entries[0].call.items[0].value_json == "0.5");
  CHECK_FALSE(entries[1].is_call);
  CHECK(entries[1].status.ok());
  records::Record parsed;
  REQUIRE(parsed.ParseFromArray(entries[1].record.data(), entries[1].record.size()));
  CHECK(parsed.config().update(0).key() == "lr");
  CHECK(entries[2].is_call);
  CHECK(entries[2].call.items[0].value_json == R"({"top1": 0.9})");
}

TEST_CASE("DecodedBatch checks every call as the client does, and names the fault") {
  std::string bytes;
  AppendCall("_step", "1", &bytes);
  AppendCall("ok", "{not json", &bytes);
  AppendCall("bad\x01key", "1", &bytes);
  AppendCall("fine", "NaN", &bytes);
  DecodedBatch batch(Batch(bytes));
  REQUIRE(batch.entries().size() == 4);
  CHECK_THAT(std::string(batch.entries()[0].status.message()), Catch::Contains("reserved"));
  CHECK_THAT(std::string(batch.entries()[1].status.message()), Catch::Contains("invalid JSON"));
  CHECK_THAT(std::string(batch.entries()[2].status.message()), Catch::Contains("control"));
  CHECK(batch.entries()[3].status.ok());
}

TEST_CASE("DecodedBatch stops at malformed bytes, keeping what came before") {
  std::string bytes;
  AppendCall("a", "1", &bytes);
  bytes += "\xff\xff\xff\xff\x0f";  // a length far past the end
  DecodedBatch batch(Batch(bytes));
  REQUIRE(batch.entries().size() == 2);
  CHECK(batch.entries()[0].status.ok());
  CHECK_FALSE(batch.entries()[1].is_call);
  CHECK(batch.entries()[1].status.code() == absl::StatusCode::kDataLoss);

  // A record that claims to be a call but whose fields are cut short.
  std::string cut;
  AppendCall("key", "123", &cut);
  std::string body = cut.substr(1, cut.size() - 3);
  std::string framed(1, static_cast<char>(body.size()));
  DecodedBatch truncated(Batch(framed + body));
  REQUIRE(truncated.entries().size() == 1);
  CHECK_FALSE(truncated.entries()[0].status.ok());
}

}  // namespace wandb::service
