#include "cli/output.h"

#include <catch2/catch.hpp>
#include <sstream>

namespace wandb::cli {

TEST_CASE("a table pads columns to their widest cell, with no trailing spaces") {
  Table table({"ID", "ROWS", "STATE"}, {Table::Align::kLeft, Table::Align::kRight});
  table.AddRow({"abc", "5", "running"});
  table.AddRow({"a", "1000"});  // a missing cell is empty
  std::ostringstream out;
  table.Print(out);
  CHECK(out.str() ==
        "ID   ROWS  STATE\n"
        "abc     5  running\n"
        "a    1000\n");
  CHECK(table.rows() == 2);
}

TEST_CASE("a table measures UTF-8 text in code points") {
  Table table({"NAME", "X"});
  table.AddRow({"café", "1"});
  table.AddRow({"ab", "2"});
  std::ostringstream out;
  table.Print(out);
  CHECK(out.str() ==
        "NAME  X\n"
        "café  1\n"
        "ab    2\n");
  CHECK(DisplayWidth("café") == 4);
  CHECK(DisplayWidth("") == 0);
}

TEST_CASE("durations read like 3h04m05s") {
  CHECK(CompactDuration(absl::ZeroDuration()) == "0s");
  CHECK(CompactDuration(absl::Milliseconds(999)) == "0s");
  CHECK(CompactDuration(absl::Seconds(42)) == "42s");
  CHECK(CompactDuration(absl::Seconds(12 * 60 + 3)) == "12m03s");
  CHECK(CompactDuration(absl::Hours(3) + absl::Minutes(4) + absl::Seconds(5)) == "3h04m05s");
  CHECK(CompactDuration(absl::Hours(51) + absl::Minutes(4)) == "2d03h04m");
  CHECK(CompactDuration(-absl::Seconds(5)) == "0s");
}

TEST_CASE("sizes are written in binary units") {
  CHECK(FormatBytes(0) == "0 B");
  CHECK(FormatBytes(1023) == "1023 B");
  CHECK(FormatBytes(1536) == "1.5 KiB");
  CHECK(FormatBytes(5 << 20) == "5.0 MiB");
  CHECK(FormatBytes(int64_t{3} << 30) == "3.0 GiB");
}

TEST_CASE("local times have a fixed layout and JSON times are Unix seconds") {
  std::string text = FormatLocalTime(absl::FromUnixSeconds(1700000000));
  REQUIRE(text.size() == 19);
  CHECK(text[4] == '-');
  CHECK(text[10] == ' ');
  CHECK(text[13] == ':');
  CHECK(UnixSeconds(absl::FromUnixMillis(1500)) == 1.5);
}

TEST_CASE("JSON lines never throw on invalid UTF-8") {
  CHECK(JsonLine({{"a", 1}, {"b", "x"}}) == R"({"a":1,"b":"x"})");
  std::string bad = "\xff";
  CHECK_NOTHROW(JsonLine({{"s", bad}}));
}

TEST_CASE("sizes as wandb reads them: powers of 1000, and of 1024 with an i") {
  CHECK(*ParseByteSize("4096") == 4096);
  CHECK(*ParseByteSize("0") == 0);
  CHECK(*ParseByteSize("10B") == 10);
  CHECK(*ParseByteSize("1GB") == 1000000000);
  CHECK(*ParseByteSize("1.5 gb") == 1500000000);
  CHECK(*ParseByteSize(" 500MiB ") == 500 * 1048576LL);
  CHECK(*ParseByteSize("2TiB") == 2 * 1099511627776LL);
  for (const char* bad : {"", "GB", "-1GB", "1 parsec", "1e3", "1.2.3MB", "99999999999TB"}) {
    INFO(bad);
    CHECK(absl::IsInvalidArgument(ParseByteSize(bad).status()));
  }
}

}  // namespace wandb::cli
