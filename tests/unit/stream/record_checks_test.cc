#include "service/stream/record_checks.h"

#include <catch2/catch.hpp>
#include <string>

namespace wandb::service {
namespace {

std::string Refusal(const absl::Status& s) {
  INFO("status: " << s.ToString());
  REQUIRE_FALSE(s.ok());
  return std::string(s.message());
}

}  // namespace

TEST_CASE("CheckSummaryRecord takes what libwandb sends, reserved keys included", "[checks]") {
  records::SummaryRecord record;
  auto* plain = record.add_update();
  plain->set_key("acc");
  plain->set_value_json("0.5");
  auto* nested = record.add_update();
  for (const char* k : {"val", "loss"}) nested->add_nested_key(k);
  nested->set_value_json(R"({"min": 1, "max": [2, 3]})");
  auto* undelivered = record.add_update();
  undelivered->set_key("_undelivered_records");
  undelivered->set_value_json("3");
  record.add_remove()->set_key("old");
  CHECK(CheckSummaryRecord(record).ok());
}

TEST_CASE("CheckSummaryRecord refuses deep paths and values, bad keys and bad JSON", "[checks]") {
  records::SummaryRecord deep;
  auto* item = deep.add_update();
  for (int i = 0; i < 100000; ++i) item->add_nested_key("p");
  item->set_value_json("1");
  CHECK(Refusal(CheckSummaryRecord(deep)) ==
        "summary: key 'p': path of 100000 keys is deeper than 32 levels");

  records::SummaryRecord deep_value;
  item = deep_value.add_update();
  for (int i = 0; i < 31; ++i) item->add_nested_key("p");
  item->set_value_json("[[1]]");
  CHECK(Refusal(CheckSummaryRecord(deep_value)) ==
        "summary: key 'p': value nested deeper than 32 levels");

  records::SummaryRecord deep_json;
  item = deep_json.add_update();
  item->set_key("j");
  item->set_value_json(std::string(200000, '['));
  CHECK_THAT(Refusal(CheckSummaryRecord(deep_json)), Catch::Contains("nested too deeply"));

  records::SummaryRecord bad_key;
  bad_key.add_remove()->set_key("a\x01");
  CHECK_THAT(Refusal(CheckSummaryRecord(bad_key)), Catch::Contains("control character"));

  records::SummaryRecord both;
  item = both.add_update();
  item->set_key("a");
  item->add_nested_key("a");
  item->set_value_json("1");
  CHECK(Refusal(CheckSummaryRecord(both)) == "summary: an item with a key and a path");
}

TEST_CASE("CheckConfigRecord refuses more than kMaxEntries items", "[checks]") {
  records::ConfigRecord wide;
  for (int i = 0; i <= 100000; ++i) {
    auto* item = wide.add_update();
    item->set_key("k" + std::to_string(i));
    item->set_value_json("1");
  }
  CHECK(Refusal(CheckConfigRecord(wide)) == "config update of 100001 items; at most 100000");
  wide.mutable_update()->RemoveLast();
  CHECK(CheckConfigRecord(wide).ok());
}

TEST_CASE("CheckStartRequest checks the run's config and summary", "[checks]") {
  StartRunRequest request;
  request.mutable_run()->set_run_id("checked");
  request.mutable_process()->set_pid(1234);
  auto* item = request.mutable_run()->mutable_config()->add_update();
  item->set_key("lr");
  item->set_value_json("0.1");
  CHECK(CheckStartRequest(request).ok());
  item->set_value_json("{not json");
  CHECK_THAT(Refusal(CheckStartRequest(request)), Catch::Contains("config: key 'lr'"));
  item->set_value_json("0.1");
  request.mutable_run()->set_display_name("bad \xff");
  CHECK_THAT(Refusal(CheckStartRequest(request)), Catch::StartsWith("name 'bad "));
  request.mutable_run()->set_display_name("");
  request.mutable_process()->set_pid(0);
  CHECK(Refusal(CheckStartRequest(request)) == "process id 0 is not a process");
}

TEST_CASE("CheckBatchSeq: 1, 2, 3..., a resend is fine, a gap only when allowed", "[checks]") {
  CHECK(CheckBatchSeq(0, 1, false).ok());
  CHECK(CheckBatchSeq(5, 6, false).ok());
  CHECK(CheckBatchSeq(5, 3, false).ok());  // a resend, ignored by the stream
  CHECK(Refusal(CheckBatchSeq(5, 9, false)) ==
        "batch 9 after batch 5: batches go 1, 2, 3... (a gap only after a re-attach)");
  CHECK(CheckBatchSeq(5, 9, true).ok());
  CHECK(Refusal(CheckBatchSeq(5, 0, true)) == "batch number 0 is outside 1..9007199254740992");
  CHECK_FALSE(CheckBatchSeq(5, UINT64_MAX, true).ok());
}

}  // namespace wandb::service
