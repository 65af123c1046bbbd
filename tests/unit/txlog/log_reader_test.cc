#include "common/txlog/log_reader.h"

#include <stdlib.h>
#include <zlib.h>

#include <catch2/catch.hpp>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <random>
#include <string>
#include <vector>

#include "absl/strings/str_join.h"
#include "common/txlog/corruption_tally.h"
#include "common/txlog/log_writer.h"
#include "tests/unit/txlog/txlog_test_support.h"

namespace wandb::txlog {
namespace {

using namespace testing;  // NOLINT: the shared test constants and helpers

void WriteBytes(const std::string& path, std::string_view bytes) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
  REQUIRE(out.good());
}

// A chunk built by hand, so that tests can lay out files the writer never would.
std::string Chunk(uint8_t type, std::string_view payload) {
  const char t = static_cast<char>(type);
  uLong crc = crc32(0L, reinterpret_cast<const Bytef*>(&t), 1);
  crc = crc32(crc, reinterpret_cast<const Bytef*>(payload.data()), payload.size());
  std::string out;
  for (int i = 0; i < 4; ++i) out.push_back(static_cast<char>(crc >> (8 * i)));
  out.push_back(static_cast<char>(payload.size() & 0xff));
  out.push_back(static_cast<char>(payload.size() >> 8));
  out.push_back(t);
  out.append(payload);
  return out;
}

std::string Pattern(size_t n, unsigned seed) {
  std::string s(n, '\0');
  for (size_t i = 0; i < n; ++i) s[i] = static_cast<char>((i * 131 + seed * 17 + (i >> 8)) & 0xff);
  return s;
}

// Writes `records` with LogWriter; returns the log's size after each record.
std::vector<uint64_t> WriteLog(const std::string& path, const std::vector<std::string>& records) {
  auto writer = LogWriter::Create(path);
  REQUIRE(writer.ok());
  std::vector<uint64_t> ends;
  for (const std::string& r : records) {
    REQUIRE((*writer)->Append(r).ok());
    ends.push_back((*writer)->size());
  }
  REQUIRE((*writer)->Close().ok());
  return ends;
}

struct ReadResult {
  std::vector<std::string> records;
  absl::Status status;
  uint64_t good_offset = 0;
  bool truncated = false;
  CorruptionTally corruption;
  // All the reasons reported, in order.
  std::string reasons() const { return absl::StrJoin(corruption.reasons(), "\n"); }
};

ReadResult ReadAll(const std::string& path) {
  ReadResult result;
  auto reader = LogReader::Open(path, &result.corruption);
  REQUIRE(reader.ok());
  std::string r;
  while ((*reader)->Next(&r)) result.records.push_back(r);
  CHECK(r.empty());
  CHECK_FALSE((*reader)->Next(&r));  // the file has not grown: still at its end
  result.status = (*reader)->status();
  result.good_offset = (*reader)->good_offset();
  result.truncated = (*reader)->truncated();
  CHECK((*reader)->dropped_bytes() == result.corruption.bytes());
  return result;
}

// Where each record's first chunk starts, given the log's size after each record.
std::vector<uint64_t> Starts(const std::vector<uint64_t>& ends) {
  std::vector<uint64_t> starts;
  uint64_t at = kHeader;
  for (uint64_t end : ends) {
    starts.push_back(kBlock - at % kBlock < kHeader ? (at / kBlock + 1) * kBlock : at);
    at = end;
  }
  return starts;
}

std::string Message(const absl::Status& s) { return std::string(s.message()); }

TEST_CASE("LogReader: reads the worked example", "[txlog]") {
  TempDir dir;
  const std::string path = dir.File("run.wandb");
  WriteBytes(path, std::string(
                       "\x3a\x57\x26\x42\xe1\xbe\x00\x8e\x51\x0c\x54\x03\x00\x01\xaa\x01\x00", 17));
  const ReadResult r = ReadAll(path);
  CHECK(r.status.ok());
  CHECK(r.records == std::vector<std::string>{std::string("\xaa\x01\x00", 3)});
  CHECK(r.good_offset == 17);
  CHECK_FALSE(r.truncated);
}

TEST_CASE("LogReader: a header-only log has no records", "[txlog]") {
  TempDir dir;
  const std::string path = dir.File("run.wandb");
  WriteBytes(path, kFileHeader);
  const ReadResult r = ReadAll(path);
  CHECK(r.status.ok());
  CHECK(r.records.empty());
  CHECK(r.good_offset == 7);
}

TEST_CASE("LogReader: round trip of random records", "[txlog]") {
  TempDir dir;
  const std::string path = dir.File("run.wandb");
  std::mt19937 rng(20240601);
  std::uniform_int_distribution<int> byte(0, 255), kind(0, 9);
  std::vector<std::string> records;
  for (int i = 0; i < 400; ++i) {
    const int k = kind(rng);
    const size_t max = k < 5 ? 100 : k < 8 ? 5000 : 100000;
    std::string rec(std::uniform_int_distribution<size_t>(0, max)(rng), '\0');
    for (char& c : rec) c = static_cast<char>(byte(rng));
    records.push_back(std::move(rec));
  }
  const std::vector<uint64_t> ends = WriteLog(path, records);
  const ReadResult r = ReadAll(path);
  CHECK(r.status.ok());
  CHECK_FALSE(r.truncated);
  REQUIRE(r.records.size() == records.size());
  for (size_t i = 0; i < records.size(); ++i) {
    INFO("record " << i << " of size " << records[i].size());
    CHECK(r.records[i] == records[i]);
  }
  CHECK(r.good_offset == ends.back());
  CHECK(r.good_offset == std::filesystem::file_size(path));
}

TEST_CASE("LogReader: reads a zero-length FIRST chunk and skips padding", "[txlog]") {
  TempDir dir;
  const std::string path = dir.File("run.wandb");
  // Laid out by hand, so that this does not depend on the writer: `a` leaves exactly 7 bytes in
  // block 0, so `b` is a zero-length FIRST chunk plus a LAST chunk in block 1; `c` then leaves 3
  // bytes of padding at the end of block 1, and `d` starts block 2.
  const std::string a = Pattern(32747, 1), b = Pattern(40, 2);
  std::string bytes = kFileHeader + Chunk(kFull, a) + Chunk(kFirst, "") + Chunk(kLast, b);
  REQUIRE(bytes.size() == kBlock + 7 + 40);
  const std::string c = Pattern(kBlock - (7 + 40) - 7 - 3, 3), d = Pattern(9, 4);
  bytes += Chunk(kFull, c) + std::string(3, '\0') + Chunk(kFull, d);
  REQUIRE(bytes.size() == 2 * kBlock + 7 + 9);
  WriteBytes(path, bytes);
  const ReadResult r = ReadAll(path);
  CHECK(r.status.ok());
  CHECK(r.records == std::vector<std::string>{a, b, c, d});
  CHECK(r.good_offset == bytes.size());
}

TEST_CASE("LogReader: a file cut inside the last record", "[txlog]") {
  TempDir dir;
  struct Layout {
    const char* name;
    std::vector<std::string> records;
  };
  const Layout layouts[] = {
      // the last record is a FULL chunk in block 0
      {"full", {Pattern(10, 1), Pattern(300, 2), Pattern(50, 3)}},
      // the last record starts 100 bytes before the end of block 0: FIRST + LAST
      {"spanning", {Pattern(kBlock - 100 - 14, 4), Pattern(300, 5)}},
      // 3 bytes of padding precede the last record
      {"padded", {Pattern(kBlock - 3 - 14, 6), Pattern(50, 7)}},
      // exactly 7 bytes left: the last record begins with a zero-length FIRST chunk
      {"first0", {Pattern(kBlock - 7 - 14, 8), Pattern(50, 9)}},
  };
  for (const Layout& layout : layouts) {
    const std::string full_path = dir.File(std::string(layout.name) + ".wandb");
    const std::vector<uint64_t> ends = WriteLog(full_path, layout.records);
    const std::string bytes = ReadBytes(full_path);
    REQUIRE(bytes.size() == ends.back());
    const uint64_t prev_end = ends[ends.size() - 2];
    // Where the last record's first chunk starts: after the padding, if any.
    const uint64_t start =
        kBlock - prev_end % kBlock < 7 ? (prev_end / kBlock + 1) * kBlock : prev_end;
    const std::vector<std::string> earlier(layout.records.begin(), layout.records.end() - 1);
    for (uint64_t cut = prev_end; cut < bytes.size(); ++cut) {
      INFO(layout.name << ": cut at " << cut);
      const std::string path = dir.File("cut.wandb");
      WriteBytes(path, std::string_view(bytes).substr(0, cut));
      const ReadResult r = ReadAll(path);
      CHECK(r.records == earlier);
      CHECK(r.good_offset == prev_end);
      if (cut <= start) {  // nothing of the last record was written: a clean end
        CHECK(r.status.ok());
        CHECK_FALSE(r.truncated);
      } else {
        CHECK(r.truncated);
        CHECK(r.status.code() == absl::StatusCode::kDataLoss);
        CHECK_THAT(Message(r.status), Catch::Contains("offset " + std::to_string(start)));
      }
    }
    const ReadResult whole = ReadAll(full_path);
    CHECK(whole.status.ok());
    CHECK(whole.records == layout.records);
  }
}

TEST_CASE(
    "LogReader: a corrupt chunk drops the rest of its block, and every record after the "
    "block boundary is read",
    "[txlog]") {
  TempDir dir;
  const std::string path = dir.File("run.wandb");
  std::mt19937 rng(12);
  std::vector<std::string> records;
  for (unsigned i = 0; i < 150; ++i) records.push_back(Pattern(rng() % 20000, i));
  const std::vector<uint64_t> ends = WriteLog(path, records);
  const std::vector<uint64_t> starts = Starts(ends);
  const std::string clean = ReadBytes(path);

  for (size_t hit = 3; hit + 3 < records.size(); hit += 11) {
    if (records[hit].empty() || kBlock - starts[hit] % kBlock == kHeader) continue;
    INFO("the first payload byte of record " << hit << " at " << starts[hit] << " flipped");
    std::string bytes = clean;
    bytes[starts[hit] + kHeader] ^= 0x40;
    WriteBytes(path, bytes);
    const uint64_t next_block = (starts[hit] / kBlock + 1) * kBlock;
    std::vector<std::string> intact;
    uint64_t last_end = 0;  // of the last intact record
    for (size_t i = 0; i < records.size(); ++i) {
      if (ends[i] <= starts[hit] || starts[i] >= next_block) {
        intact.push_back(records[i]);
        last_end = ends[i];
      }
    }
    const ReadResult r = ReadAll(path);
    CHECK(r.records == intact);
    CHECK(r.records.size() < records.size());
    CHECK(r.status.ok());
    CHECK_FALSE(r.truncated);
    CHECK(r.good_offset == last_end);
    REQUIRE_FALSE(r.corruption.empty());
    CHECK_THAT(r.reasons(), Catch::Contains("offset " + std::to_string(starts[hit]) +
                                            ": chunk checksum mismatch"));
    CHECK_THAT(r.reasons(), Catch::Contains(path));
    // What was dropped is exactly what lies between the records read, padding aside.
    uint64_t kept = kHeader;
    for (size_t i = 0; i < records.size(); ++i) {
      if (ends[i] <= starts[hit] || starts[i] >= next_block) kept += ends[i] - starts[i];
    }
    CHECK(r.corruption.bytes() <= clean.size() - kept);
    CHECK(r.corruption.bytes() + 6 * (clean.size() / kBlock) >= clean.size() - kept);
  }
}

TEST_CASE("LogReader: corruption in a MIDDLE chunk loses that record only", "[txlog]") {
  TempDir dir;
  const std::string path = dir.File("run.wandb");
  const std::vector<std::string> records = {Pattern(10, 1), Pattern(100000, 2), Pattern(5, 3)};
  WriteLog(path, records);
  std::string bytes = ReadBytes(path);
  bytes[2 * kBlock + 7 + 1000] ^= 0x80;  // the second MIDDLE chunk starts at 65536
  WriteBytes(path, bytes);
  const ReadResult r = ReadAll(path);
  CHECK(r.records == std::vector<std::string>{records[0], records[2]});
  CHECK(r.status.ok());
  REQUIRE(r.corruption.reasons().size() == 3);
  CHECK_THAT(r.corruption.reasons()[0], Catch::Contains("offset 65536: chunk checksum"));
  CHECK_THAT(r.corruption.reasons()[1], Catch::Contains("offset 24: the start of a record"));
  CHECK_THAT(r.corruption.reasons()[2],
             Catch::Contains("offset 98304: LAST chunk without a FIRST chunk"));
  // Everything of record 1 went: its FIRST and MIDDLE chunks, the corrupt block, its LAST.
  CHECK(r.corruption.bytes() == 100000 + 4 * 7);
}

TEST_CASE("LogReader: chunks out of order or of unknown type are skipped and reported", "[txlog]") {
  TempDir dir;
  const std::string path = dir.File("run.wandb");
  const std::string ok = Chunk(kFull, "ok");  // at offset 7, ends at 16
  struct Case {
    const char* name;
    std::string chunks;
    std::vector<std::string> records;
    const char* expected;
  };
  std::string zero_type = Chunk(0, "x");
  const Case cases[] = {
      {"MIDDLE alone", Chunk(kMiddle, "m"), {"ok", "after"}, "MIDDLE chunk without a FIRST"},
      {"LAST alone", Chunk(kLast, "l"), {"ok", "after"}, "LAST chunk without a FIRST"},
      {"FULL inside",
       Chunk(kFirst, "f") + Chunk(kFull, "x"),
       {"ok", "x", "after"},
       "FULL chunk inside the record"},
      {"FIRST inside",
       Chunk(kFirst, "f") + Chunk(kFirst, "x"),
       {"ok", "after"},
       "FIRST chunk inside the record"},
      {"type 5", Chunk(5, "x"), {"ok", "after"}, "unknown chunk type 5"},
      {"type 0", zero_type, {"ok", "after"}, "unknown chunk type 0"},
      // A bad checksum leaves the chunk's length in doubt: the rest of the block goes.
      {"bad crc", Chunk(kFull, "abc").replace(0, 1, "\x55"), {"ok"}, "checksum"},
  };
  for (const Case& c : cases) {
    INFO(c.name);
    WriteBytes(path, kFileHeader + ok + c.chunks + Chunk(kFull, "after"));
    const ReadResult r = ReadAll(path);
    CHECK(r.records == c.records);
    CHECK(r.status.ok());
    CHECK_THAT(r.reasons(), Catch::Contains(c.expected));
    CHECK_THAT(r.reasons(), Catch::Contains("offset 16"));
    CHECK_FALSE(r.truncated);
  }
}

TEST_CASE("LogReader: a chunk longer than its block drops the block", "[txlog]") {
  TempDir dir;
  const std::string path = dir.File("run.wandb");
  // Claims 32755 payload bytes from offset 7: one more than block 0 holds.
  std::string bytes = kFileHeader + Chunk(kFull, Pattern(kBlock - 14, 1));
  bytes[7 + 4] = static_cast<char>((kBlock - 13) & 0xff);
  bytes[7 + 5] = static_cast<char>((kBlock - 13) >> 8);
  bytes += std::string(kBlock, 'x') + Chunk(kFull, "next");
  WriteBytes(path, bytes);
  const ReadResult r = ReadAll(path);
  CHECK(r.records == std::vector<std::string>{"next"});
  CHECK(r.status.ok());
  CHECK_THAT(r.reasons(), Catch::Contains("overruns"));
  CHECK(r.corruption.bytes() == 2 * kBlock - 7);
  CHECK_FALSE(r.truncated);
}

TEST_CASE("LogReader: non-zero padding is reported and loses nothing", "[txlog]") {
  TempDir dir;
  const std::string path = dir.File("run.wandb");
  const std::string a = Pattern(kBlock - 3 - 14, 1);
  WriteBytes(path, kFileHeader + Chunk(kFull, a) + std::string("\0\1\0", 3) + Chunk(kFull, "b"));
  const ReadResult r = ReadAll(path);
  CHECK(r.records == std::vector<std::string>{a, "b"});
  CHECK(r.status.ok());
  CHECK_THAT(r.reasons(), Catch::Contains("padding"));
  CHECK(r.corruption.bytes() == 3);
}

TEST_CASE("LogReader: a zeroed tail is a clean end", "[txlog]") {
  TempDir dir;
  const std::string path = dir.File("run.wandb");
  const std::string log = kFileHeader + Chunk(kFull, "one") + Chunk(kFull, "two");

  SECTION("one zero chunk header") { WriteBytes(path, log + std::string(7, '\0')); }
  SECTION("zeros past a block boundary") { WriteBytes(path, log + std::string(70000, '\0')); }
  const ReadResult r = ReadAll(path);
  CHECK(r.status.ok());
  CHECK_FALSE(r.truncated);
  CHECK(r.records == std::vector<std::string>{"one", "two"});
  CHECK(r.good_offset == log.size());
}

TEST_CASE("LogReader: a zeroed tail inside a record is a truncated record", "[txlog]") {
  TempDir dir;
  const std::string path = dir.File("run.wandb");
  const std::string a = Pattern(kBlock - 100 - 14, 1);
  std::string bytes = kFileHeader + Chunk(kFull, a) + Chunk(kFirst, Pattern(100 - 7, 2));
  REQUIRE(bytes.size() == kBlock);
  WriteBytes(path, bytes + std::string(kBlock, '\0'));
  const ReadResult r = ReadAll(path);
  CHECK(r.records == std::vector<std::string>{a});
  CHECK(r.truncated);
  CHECK(r.status.code() == absl::StatusCode::kDataLoss);
  CHECK_THAT(Message(r.status), Catch::Contains("offset " + std::to_string(kBlock - 100)));
}

TEST_CASE("LogReader: zeroed bytes followed by data are reported", "[txlog]") {
  TempDir dir;
  const std::string path = dir.File("run.wandb");
  const std::string log = kFileHeader + Chunk(kFull, "one");

  SECTION("data in the middle of a block: that block is dropped") {
    WriteBytes(path, log + std::string(kBlock, '\0') + Chunk(kFull, "two") +
                         std::string(kBlock - 17 - 10, 'y') + Chunk(kFull, "three"));
    const ReadResult r = ReadAll(path);
    CHECK(r.records == std::vector<std::string>{"one", "three"});
    CHECK_THAT(r.reasons(), Catch::Contains("offset " + std::to_string(log.size()) +
                                            ": zeroed bytes between chunks"));
    CHECK_THAT(r.reasons(), Catch::Contains("zero chunk header followed by data"));
    CHECK(r.corruption.bytes() == 2 * kBlock - log.size());
  }
  SECTION("data at a block boundary: nothing after the zeros is lost") {
    WriteBytes(path, log + std::string(2 * kBlock - log.size(), '\0') + Chunk(kFull, "two"));
    const ReadResult r = ReadAll(path);
    CHECK(r.records == std::vector<std::string>{"one", "two"});
    CHECK_THAT(r.reasons(), Catch::Contains("zeroed bytes between chunks"));
    CHECK(r.corruption.bytes() == 2 * kBlock - log.size());
  }
}

TEST_CASE("LogReader: one reader follows a log as it grows, byte by byte", "[txlog]") {
  TempDir dir;
  const std::string full_path = dir.File("full.wandb");
  std::vector<std::string> records;
  for (unsigned i = 0; i < 30; ++i) records.push_back(Pattern((i * 7919) % 40000, i));
  WriteLog(full_path, records);
  const std::string bytes = ReadBytes(full_path);

  const std::string path = dir.File("growing.wandb");
  WriteBytes(path, std::string_view(bytes).substr(0, kHeader));
  CorruptionTally corruption;
  auto reader = LogReader::Open(path, &corruption);
  REQUIRE(reader.ok());
  std::vector<std::string> read;
  std::string r;
  std::ofstream out(path, std::ios::binary | std::ios::app);
  for (size_t at = kHeader; at < bytes.size();) {
    const size_t n = std::min<size_t>(bytes.size() - at, 1 + (at * 31) % 9000);
    out.write(bytes.data() + at, static_cast<std::streamsize>(n));
    out.flush();
    at += n;
    while ((*reader)->Next(&r)) read.push_back(r);
    CHECK(((*reader)->status().ok() || (*reader)->truncated()));
  }
  CHECK(read == records);
  CHECK((*reader)->status().ok());
  CHECK((*reader)->good_offset() == bytes.size());
  CHECK(corruption.empty());
}

TEST_CASE("LogReader: a corrupt block in a log still being written is skipped once", "[txlog]") {
  TempDir dir;
  const std::string path = dir.File("run.wandb");
  WriteBytes(path, kFileHeader + Chunk(kFull, "one") + Chunk(kFull, "bad").replace(0, 1, "?"));
  CorruptionTally corruption;
  auto reader = LogReader::Open(path, &corruption);
  REQUIRE(reader.ok());
  std::string r;
  REQUIRE((*reader)->Next(&r));
  CHECK(r == "one");
  CHECK_FALSE((*reader)->Next(&r));
  CHECK(corruption.count() == 1);
  // The writer goes on in the corrupt block and then in the next one.
  std::ofstream(path, std::ios::binary | std::ios::app)
      << Chunk(kFull, "lost") << std::string(kBlock - 38, 'z') << Chunk(kFull, "two");
  REQUIRE(std::filesystem::file_size(path) == kBlock + 10);
  REQUIRE((*reader)->Next(&r));
  CHECK(r == "two");
  // Reported as far as the block was written when it was dropped.
  CHECK(corruption.count() == 1);
  CHECK(corruption.bytes() == 10);
}

TEST_CASE("LogReader: Open rejects a bad or short header", "[txlog]") {
  TempDir dir;
  const std::string path = dir.File("run.wandb");
  const std::string body = Chunk(kFull, "x");
  struct Case {
    std::string header;
    absl::StatusCode code;
    const char* expected;
  };
  const Case cases[] = {
      {std::string("\x3a\x57\x26\x43\xe1\xbe\x00", 7), absl::StatusCode::kInvalidArgument, "ident"},
      {std::string("LDB1\xe1\xbe\x00", 7), absl::StatusCode::kInvalidArgument, "ident"},
      {std::string("\x3a\x57\x26\x42\xbe\xe1\x00", 7), absl::StatusCode::kInvalidArgument,
       "magic 0xE1BE"},
      {std::string("\x3a\x57\x26\x42\xe1\xbe\x01", 7), absl::StatusCode::kInvalidArgument,
       "version 1"},
  };
  for (const Case& c : cases) {
    INFO(c.expected);
    WriteBytes(path, c.header + body);
    auto reader = LogReader::Open(path);
    REQUIRE_FALSE(reader.ok());
    CHECK(reader.status().code() == c.code);
    CHECK_THAT(Message(reader.status()), Catch::Contains(c.expected));
    CHECK_THAT(Message(reader.status()), Catch::Contains(path));
  }
  for (size_t n : {0, 1, 4, 6}) {
    INFO("a file of " << n << " bytes");
    WriteBytes(path, kFileHeader.substr(0, n));
    auto reader = LogReader::Open(path);
    REQUIRE_FALSE(reader.ok());
    CHECK(reader.status().code() == absl::StatusCode::kDataLoss);
    CHECK_THAT(Message(reader.status()), Catch::Contains("too short"));
  }
}

TEST_CASE("LogReader: Open on a missing file fails", "[txlog]") {
  TempDir dir;
  auto reader = LogReader::Open(dir.File("missing.wandb"));
  REQUIRE_FALSE(reader.ok());
  CHECK(reader.status().code() == absl::StatusCode::kNotFound);
}

}  // namespace
}  // namespace wandb::txlog
