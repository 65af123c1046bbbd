#include "client/src/resend_buffer.h"

#include <catch2/catch.hpp>
#include <string>

namespace wandb::internal {
namespace {

std::string Bytes(size_t n) { return std::string(n, 'x'); }

}  // namespace

TEST_CASE("ResendBuffer: keeps batches until acknowledged", "[resend]") {
  ResendBuffer buffer(1000);
  buffer.Keep(1, Bytes(100), 10);
  buffer.Keep(2, Bytes(100), 20);
  buffer.Keep(3, Bytes(100), 30);
  CHECK(buffer.batches().size() == 3);
  CHECK(buffer.bytes() == 300);
  buffer.Acknowledge(2);
  REQUIRE(buffer.batches().size() == 1);
  CHECK(buffer.batches().front().seq == 3);
  CHECK(buffer.batches().front().record_count == 30);
  CHECK(buffer.bytes() == 100);
  CHECK(buffer.LostAfter(2) == 0);  // nothing was dropped
  CHECK(buffer.batches().size() == 1);
}

TEST_CASE("ResendBuffer: over capacity drops the oldest, and a re-attach counts those it lacks",
          "[resend]") {
  ResendBuffer buffer(250);
  buffer.Keep(1, Bytes(100), 1);
  buffer.Keep(2, Bytes(100), 2);
  buffer.Keep(3, Bytes(100), 4);  // 300 > 250: batch 1 goes
  buffer.Keep(4, Bytes(100), 8);  // batch 2 goes
  REQUIRE(buffer.batches().size() == 2);
  CHECK(buffer.batches().front().seq == 3);
  CHECK(buffer.bytes() == 200);
  // The new daemon has batch 1 but not 2: batch 2's records are lost, 3 and 4 are sent again.
  CHECK(buffer.LostAfter(1) == 2);
  CHECK(buffer.batches().size() == 2);
  // Counted once.
  CHECK(buffer.LostAfter(1) == 0);
}

TEST_CASE("ResendBuffer: dropped batches the daemon acknowledged are not lost", "[resend]") {
  ResendBuffer buffer(150);
  buffer.Keep(1, Bytes(100), 5);
  buffer.Keep(2, Bytes(100), 7);  // batch 1 dropped
  buffer.Acknowledge(1);
  CHECK(buffer.LostAfter(1) == 0);
  CHECK(buffer.batches().size() == 1);
}

TEST_CASE("ResendBuffer: a batch larger than the buffer is dropped at once", "[resend]") {
  ResendBuffer buffer(1);
  buffer.Keep(1, Bytes(10), 3);
  CHECK(buffer.batches().empty());
  CHECK(buffer.bytes() == 0);
  CHECK(buffer.LostAfter(0) == 3);
}

TEST_CASE("ResendBuffer: Abandon counts everything not acknowledged", "[resend]") {
  ResendBuffer buffer(150);
  buffer.Keep(1, Bytes(100), 5);
  buffer.Keep(2, Bytes(100), 7);  // batch 1 dropped
  CHECK(buffer.Abandon() == 12);
  CHECK(buffer.batches().empty());
  CHECK(buffer.bytes() == 0);
  CHECK(buffer.Abandon() == 0);
}

TEST_CASE("ResendBuffer: the bytes of batches let go of are handed back for reuse", "[resend]") {
  ResendBuffer buffer(1000);
  CHECK(buffer.TakeSpare().capacity() < 100);  // nothing let go of yet
  buffer.Keep(1, Bytes(500), 1);
  buffer.Keep(2, Bytes(500), 1);
  buffer.Acknowledge(2);
  std::string spare = buffer.TakeSpare();
  CHECK(spare.empty());
  CHECK(spare.capacity() >= 500);
  CHECK(buffer.TakeSpare().capacity() >= 500);
  CHECK(buffer.TakeSpare().capacity() < 100);  // two were kept, and both are taken
}

}  // namespace wandb::internal
