#include "client/src/outbox_queue.h"

#include <catch2/catch.hpp>

#include <limits>
#include <string>

#include "common/ipc/record_batch_codec.h"

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
  AppendLogCall(first, &queue);
  AppendRecordEntry(summary, &queue);
  AppendLogCall(second, &queue);

  OutboxQueueReader reader(queue);
  OutboxQueueReader::Kind kind;
  LogCall call;
  absl::string_view record;
  REQUIRE(reader.Next(&kind, &call, &record));
  CHECK(kind == OutboxQueueReader::Kind::kLogCall);
  CHECK(call.data == first.data);
  CHECK_FALSE(call.step.has_value());
  CHECK(call.flush);
  CHECK(call.timestamp == 1700000000.25);

  REQUIRE(reader.Next(&kind, &call, &record));
  CHECK(kind == OutboxQueueReader::Kind::kRecord);
  std::string expected;
  AppendRecord(summary, &expected);
  CHECK(record == expected);

  REQUIRE(reader.Next(&kind, &call, &record));
  CHECK(kind == OutboxQueueReader::Kind::kLogCall);
  CHECK(call.data == second.data);  // the first call's entries are gone
  CHECK(call.step == 42);
  CHECK_FALSE(call.flush);
  CHECK(reader.consumed(queue) == queue.size());
  CHECK(reader.done());
  CHECK_FALSE(reader.Next(&kind, &call, &record));
}

}  // namespace wandb::internal
