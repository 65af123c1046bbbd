#include "common/util/human_readable.h"

#include <catch2/catch.hpp>

namespace wandb {

TEST_CASE("CountOf: the count in words, singular for one", "[human_readable]") {
  CHECK(CountOf(0, "history row") == "0 history rows");
  CHECK(CountOf(1, "history row") == "1 history row");
  CHECK(CountOf(2, "file") == "2 files");
  CHECK(CountOf(999, "row") == "999 rows");
  CHECK(CountOf(1000, "record") == "1,000 records");
  CHECK(CountOf(1234567, "row") == "1,234,567 rows");
  CHECK(CountOf(-1500, "row") == "-1,500 rows");
  CHECK(CountOf(3, "entry", "entries") == "3 entries");
  CHECK(CountOf(1, "entry", "entries") == "1 entry");
}

TEST_CASE("ByteSize: bytes below a KiB, binary units above", "[human_readable]") {
  CHECK(ByteSize(0) == "0 B");
  CHECK(ByteSize(1) == "1 B");
  CHECK(ByteSize(1023) == "1023 B");
  CHECK(ByteSize(1024) == "1.0 KiB");
  CHECK(ByteSize(2048) == "2.0 KiB");
  CHECK(ByteSize(24'700) == "24.1 KiB");
  CHECK(ByteSize(1024 * 1024 - 1) == "1.0 MiB");  // never "1024.0 KiB"
  CHECK(ByteSize(int64_t{3} << 20) == "3.0 MiB");
  CHECK(ByteSize(int64_t{5} << 40) == "5.0 TiB");
}

}  // namespace wandb
