#include "client/src/outbox_queue.h"

#include <catch2/catch.hpp>

#include <limits>
#include <string>

#include "common/ipc/record_batch_codec.h"
#include "wandb/histogram.h"

namespace wandb::internal {

TEST_CASE("OutboxQueue: log() calls and records come out as they went in, in order", "[outbox]") {
  LogCall first{{{"loss", 0.5},
                 {"epoch", 3},
                 {"ok", true},
                 {"none", nullptr},
                 {"name", std::string(100, 'x')},
                 {"nested", Value::Map{{"a", Value::list({1, "two", 3.5})}, {"b", Value::Map{}}}},
                 {"inf", std::numeric_limits<double>::infinity()}},
                std::nullopt,
                true,
                1700000000.25};
  LogCall second{{{"k", -7}}, int64_t{42}, false, 2.0};
  records::Record summary;
  summary.mutable_summary()->add_update()->set_key("best");

  std::string queue;
  MediaRefs media;
  AppendLogCall(first, &queue, &media);
  AppendRecordEntry(summary, &queue);
  AppendLogCall(second, &queue, &media);
  CHECK(media.empty());

  OutboxQueueReader reader(queue, &media);
  OutboxQueueReader::Kind kind;
  LogCall call;
  absl::string_view record;
  SummaryCall summary_call;
  REQUIRE(reader.Next(&kind, &call, &record, &summary_call));
  CHECK(kind == OutboxQueueReader::Kind::kLogCall);
  CHECK(call.data == first.data);
  CHECK_FALSE(call.step.has_value());
  CHECK(call.flush);
  CHECK(call.timestamp == 1700000000.25);

  REQUIRE(reader.Next(&kind, &call, &record, &summary_call));
  CHECK(kind == OutboxQueueReader::Kind::kRecord);
  std::string expected;
  AppendRecord(summary, &expected);
  CHECK(record == expected);

  REQUIRE(reader.Next(&kind, &call, &record, &summary_call));
  CHECK(kind == OutboxQueueReader::Kind::kLogCall);
  CHECK(call.data == second.data);  // the first call's entries are gone
  CHECK(call.step == 42);
  CHECK_FALSE(call.flush);
  CHECK(reader.consumed(queue) == queue.size());
  CHECK(reader.done());
  CHECK_FALSE(reader.Next(&kind, &call, &record, &summary_call));
}

TEST_CASE("media values keep their place: the queue holds the slot, the refs the value") {
  auto histogram = std::make_shared<const Histogram>(std::vector<double>{1, 2});
  LogCall row{
      {{"x", 1}, {"h", Value(std::shared_ptr<const Media>(histogram))}}, std::nullopt, true, 3.0};
  row.has_media = true;
  row.media_bytes = 16;
  row.media_step = 7;
  SummaryCall best{{"best", "h"}, Value(std::shared_ptr<const Media>(histogram)), 16};

  std::string queue;
  MediaRefs media;
  AppendLogCall(row, &queue, &media);
  AppendSummaryCall(best, &queue, &media);
  REQUIRE(media.size() == 2);

  OutboxQueueReader reader(queue, &media);
  OutboxQueueReader::Kind kind;
  LogCall call;
  absl::string_view record;
  SummaryCall summary;
  REQUIRE(reader.Next(&kind, &call, &record, &summary));
  CHECK(kind == OutboxQueueReader::Kind::kLogCall);
  CHECK(call.has_media);
  CHECK(call.media_step == 7);
  CHECK(call.media_bytes == 16);
  REQUIRE(call.data.size() == 2);
  CHECK(call.data[1].second.as_media().get() == histogram.get());
  REQUIRE(reader.Next(&kind, &call, &record, &summary));
  CHECK(kind == OutboxQueueReader::Kind::kSummaryCall);
  CHECK(summary.path == std::vector<std::string>{"best", "h"});
  CHECK(summary.media_bytes == 16);
  CHECK(summary.value.as_media().get() == histogram.get());
  CHECK(reader.done());
}

}  // namespace wandb::internal
