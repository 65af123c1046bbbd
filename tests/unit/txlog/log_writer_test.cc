#include "common/txlog/log_writer.h"

#include <signal.h>
#include <stdlib.h>
#include <sys/resource.h>
#include <zlib.h>

#include <catch2/catch.hpp>
#include <cerrno>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>
#include <vector>

#include "common/txlog/log_reader.h"
#include "tests/support/faulty_file.h"
#include "tests/unit/txlog/txlog_test_support.h"

namespace wandb::txlog {
namespace {

using namespace testing;  // NOLINT: the shared test constants and helpers

uint32_t Crc(uint8_t type, std::string_view payload) {
  const char t = static_cast<char>(type);
  uLong crc = crc32(0L, reinterpret_cast<const Bytef*>(&t), 1);
  return static_cast<uint32_t>(
      crc32(crc, reinterpret_cast<const Bytef*>(payload.data()), payload.size()));
}

uint32_t U32At(const std::string& b, size_t off) {
  uint32_t v = 0;
  for (int i = 3; i >= 0; --i) v = (v << 8) | static_cast<unsigned char>(b.at(off + i));
  return v;
}

uint32_t U16At(const std::string& b, size_t off) {
  return static_cast<unsigned char>(b.at(off)) | (static_cast<unsigned char>(b.at(off + 1)) << 8);
}

// Checks that a chunk of `type` carrying `payload` sits at `off` in `bytes`.
void CheckChunk(const std::string& bytes, size_t off, uint8_t type, std::string_view payload) {
  INFO("chunk at offset " << off);
  REQUIRE(bytes.size() >= off + kHeader + payload.size());
  CHECK(U32At(bytes, off) == Crc(type, payload));
  CHECK(U16At(bytes, off + 4) == payload.size());
  CHECK(static_cast<uint8_t>(bytes[off + 6]) == type);
  CHECK(bytes.compare(off + kHeader, payload.size(), payload) == 0);
}

// A second encoder, written straight from the format description (as wandb's Python writer
// does it), to compare the writer's bytes against.
std::string ReferenceLog(const std::vector<std::string>& records) {
  std::string out = kFileHeader;
  auto chunk = [&out](uint8_t type, std::string_view payload) {
    const uint32_t crc = Crc(type, payload);
    for (int i = 0; i < 4; ++i) out.push_back(static_cast<char>(crc >> (8 * i)));
    out.push_back(static_cast<char>(payload.size() & 0xff));
    out.push_back(static_cast<char>(payload.size() >> 8));
    out.push_back(static_cast<char>(type));
    out.append(payload);
  };
  for (const std::string& r : records) {
    size_t left = kBlock - out.size() % kBlock;
    if (left < kHeader) {
      out.append(left, '\0');
      left = kBlock;
    }
    if (r.size() + kHeader <= left) {
      chunk(kFull, r);
      continue;
    }
    const std::string_view s(r);
    size_t used = left - kHeader;
    chunk(kFirst, s.substr(0, used));
    for (; s.size() - used > kRoom; used += kRoom) chunk(kMiddle, s.substr(used, kRoom));
    chunk(kLast, s.substr(used));
  }
  return out;
}

std::string Pattern(size_t n, unsigned seed) {
  std::string s(n, '\0');
  for (size_t i = 0; i < n; ++i) s[i] = static_cast<char>((i * 131 + seed * 17 + (i >> 8)) & 0xff);
  return s;
}

std::vector<std::string> ReadAll(const std::string& path) {
  auto reader = LogReader::Open(path);
  REQUIRE(reader.ok());
  std::vector<std::string> out;
  std::string r;
  while ((*reader)->Next(&r)) out.push_back(r);
  CHECK((*reader)->status().ok());
  return out;
}

std::string WriteLog(const std::string& path, const std::vector<std::string>& records) {
  auto writer = LogWriter::Create(path);
  REQUIRE(writer.ok());
  for (const std::string& r : records) REQUIRE((*writer)->Append(r).ok());
  REQUIRE((*writer)->Close().ok());
  return ReadBytes(path);
}

TEST_CASE("LogWriter: the worked example comes out byte for byte", "[txlog]") {
  TempDir dir;
  const std::string path = dir.File("run-x.wandb");
  auto writer = LogWriter::Create(path);
  REQUIRE(writer.ok());
  CHECK((*writer)->size() == 7);
  REQUIRE((*writer)->Append(std::string("\xaa\x01\x00", 3)).ok());
  CHECK((*writer)->size() == 17);
  REQUIRE((*writer)->Close().ok());
  const std::string expected("\x3a\x57\x26\x42\xe1\xbe\x00\x8e\x51\x0c\x54\x03\x00\x01\xaa\x01\x00",
                             17);
  CHECK(ReadBytes(path) == expected);
}

TEST_CASE("LogWriter: a log without records is just the header", "[txlog]") {
  TempDir dir;
  const std::string path = dir.File("empty.wandb");
  CHECK(WriteLog(path, {}) == kFileHeader);
  CHECK(ReadAll(path).empty());
}

TEST_CASE("LogWriter: Create refuses an existing path", "[txlog]") {
  TempDir dir;
  const std::string path = dir.File("run.wandb");
  std::ofstream(path) << "precious";
  auto writer = LogWriter::Create(path);
  REQUIRE_FALSE(writer.ok());
  CHECK(writer.status().code() == absl::StatusCode::kAlreadyExists);
  CHECK_THAT(std::string(writer.status().message()), Catch::Contains(path));
  CHECK(ReadBytes(path) == "precious");
}

TEST_CASE("LogWriter: a large record becomes FIRST, MIDDLE, MIDDLE, LAST", "[txlog]") {
  TempDir dir;
  const std::string path = dir.File("big.wandb");
  const std::string rec = Pattern(100000, 1);
  const std::string bytes = WriteLog(path, {rec});
  // FIRST fills block 0 after the file header: 32768 - 7 - 7 = 32754 bytes.
  CheckChunk(bytes, 7, kFirst, std::string_view(rec).substr(0, 32754));
  CheckChunk(bytes, 32768, kMiddle, std::string_view(rec).substr(32754, 32761));
  CheckChunk(bytes, 65536, kMiddle, std::string_view(rec).substr(65515, 32761));
  CheckChunk(bytes, 98304, kLast, std::string_view(rec).substr(98276));
  CHECK(100000 - 98276 == 1724);
  CHECK(bytes.size() == 98304 + 7 + 1724);
  CHECK(ReadAll(path) == std::vector<std::string>{rec});
}

TEST_CASE("LogWriter: exactly 7 bytes left makes a zero-length FIRST chunk", "[txlog]") {
  TempDir dir;
  const std::string path = dir.File("first0.wandb");
  // 7 (file header) + 7 + 32747 = 32761: exactly one chunk header's worth is left in block 0.
  const std::string a = Pattern(32747, 2), b = Pattern(10, 3);
  const std::string bytes = WriteLog(path, {a, b});
  CheckChunk(bytes, 7, kFull, a);
  CheckChunk(bytes, 32761, kFirst, "");
  CHECK(U32At(bytes, 32761) == crc32(0L, reinterpret_cast<const Bytef*>("\x02"), 1));
  CheckChunk(bytes, 32768, kLast, b);
  CHECK(bytes.size() == 32768 + 7 + 10);
  CHECK(ReadAll(path) == std::vector<std::string>{a, b});
}

TEST_CASE("LogWriter: exactly 7 bytes left and an empty record make an empty FULL chunk",
          "[txlog]") {
  TempDir dir;
  const std::string path = dir.File("full0.wandb");
  const std::string a = Pattern(32747, 4), c = Pattern(20, 5);
  const std::string bytes = WriteLog(path, {a, "", c});
  CheckChunk(bytes, 32761, kFull, "");
  CheckChunk(bytes, 32768, kFull, c);
  CHECK(bytes.size() == 32768 + 7 + 20);
  CHECK(ReadAll(path) == std::vector<std::string>{a, "", c});
}

TEST_CASE("LogWriter: fewer than 7 bytes left in a block are zero padding", "[txlog]") {
  TempDir dir;
  const std::string path = dir.File("pad.wandb");
  // 7 + 7 + 32751 = 32765: 3 bytes left, too few for a chunk header.
  const std::string a = Pattern(32751, 6), b = Pattern(5, 7);
  const std::string bytes = WriteLog(path, {a, b});
  CheckChunk(bytes, 7, kFull, a);
  CHECK(bytes.substr(32765, 3) == std::string(3, '\0'));
  CheckChunk(bytes, 32768, kFull, b);
  CHECK(bytes.size() == 32768 + 7 + 5);
  CHECK(ReadAll(path) == std::vector<std::string>{a, b});
}

TEST_CASE("LogWriter: a record that ends exactly at a block boundary needs no padding", "[txlog]") {
  TempDir dir;
  const std::string path = dir.File("exact.wandb");
  const std::string a = Pattern(32754, 8), b = Pattern(32761, 9), c = Pattern(1, 10);
  const std::string bytes = WriteLog(path, {a, b, c});
  CheckChunk(bytes, 7, kFull, a);
  CheckChunk(bytes, 32768, kFull, b);  // a whole block of payload still fits one chunk
  CheckChunk(bytes, 65536, kFull, c);
  CHECK(bytes.size() == 65536 + 7 + 1);
}

TEST_CASE("LogWriter: matches the reference encoder around block boundaries", "[txlog]") {
  TempDir dir;
  int n = 0;
  // Lead records leave `left` bytes in block 0, then a second record of a boundary size follows.
  for (size_t left : {0, 1, 5, 6, 7, 8, 9, 13, 14, 15, 100}) {
    const size_t lead = kBlock - left - kHeader - kHeader;
    for (size_t size : {size_t{0}, size_t{1}, size_t{6}, size_t{7}, size_t{8}, kRoom - 1, kRoom,
                        kRoom + 1, 2 * kRoom - 1, 2 * kRoom, 2 * kRoom + 1, 3 * kRoom + 5}) {
      INFO("left " << left << " size " << size);
      const std::vector<std::string> records = {Pattern(lead, 11), Pattern(size, 12),
                                                Pattern(3, 13)};
      const std::string path = dir.File("sweep" + std::to_string(n++) + ".wandb");
      const std::string bytes = WriteLog(path, records);
      REQUIRE(bytes == ReferenceLog(records));
      CHECK(ReadAll(path) == records);
    }
  }
}

TEST_CASE("LogWriter: buffers until Flush, and the buffer stays bounded", "[txlog]") {
  TempDir dir;
  const std::string path = dir.File("buf.wandb");
  auto created = LogWriter::Create(path);
  REQUIRE(created.ok());
  LogWriter& writer = **created;
  CHECK(std::filesystem::file_size(path) == 7);  // the header is on disk at once
  REQUIRE(writer.Append("abc").ok());
  CHECK(std::filesystem::file_size(path) == 7);
  REQUIRE(writer.Flush().ok());
  CHECK(std::filesystem::file_size(path) == 7 + 7 + 3);

  // Written once 64 KiB are held, after whole records, so the file ends at a record boundary.
  REQUIRE(writer.Append(Pattern(40000, 13)).ok());
  CHECK(std::filesystem::file_size(path) == 7 + 7 + 3);
  REQUIRE(writer.Append(Pattern(1 << 20, 14)).ok());
  CHECK(writer.held() == 0);
  CHECK(std::filesystem::file_size(path) == writer.size());
  REQUIRE(writer.Append("d").ok());
  CHECK(writer.held() == 8);
  REQUIRE(writer.Sync().ok());
  CHECK(std::filesystem::file_size(path) == writer.size());
  REQUIRE(writer.Close().ok());
  CHECK(writer.Close().ok());
  CHECK(writer.Append("late").code() == absl::StatusCode::kFailedPrecondition);
}

TEST_CASE("LogWriter: the destructor flushes", "[txlog]") {
  TempDir dir;
  const std::string path = dir.File("dtor.wandb");
  {
    auto writer = LogWriter::Create(path);
    REQUIRE(writer.ok());
    REQUIRE((*writer)->Append("kept").ok());
  }
  CHECK(ReadAll(path) == std::vector<std::string>{"kept"});
}

TEST_CASE("LogWriter: a write cut short by a file size limit is taken back and retried",
          "[txlog]") {
  TempDir dir;
  const std::string path = dir.File("full.wandb");
  auto created = LogWriter::Create(path);
  REQUIRE(created.ok());
  LogWriter& writer = **created;
  const std::vector<std::string> records = {Pattern(100, 1), Pattern(100000, 15), Pattern(5, 2)};

  // Writes past 40000 bytes fail (EFBIG) after a short write, as on a disk that fills up.
  rlimit old_limit{};
  REQUIRE(getrlimit(RLIMIT_FSIZE, &old_limit) == 0);
  auto old_handler = signal(SIGXFSZ, SIG_IGN);
  rlimit limit = old_limit;
  limit.rlim_cur = 40000;
  REQUIRE(setrlimit(RLIMIT_FSIZE, &limit) == 0);
  absl::Status appended;
  for (const std::string& r : records) appended.Update(writer.Append(r));
  const absl::Status flushed = writer.Flush();
  REQUIRE(setrlimit(RLIMIT_FSIZE, &old_limit) == 0);
  signal(SIGXFSZ, old_handler);

  CHECK(appended.ok());  // every record is held
  REQUIRE_FALSE(flushed.ok());
  CHECK_THAT(std::string(flushed.message()), Catch::Contains(path));
  CHECK(writer.write_error() == flushed);
  CHECK(std::filesystem::file_size(path) == 40000);  // the short write's bytes
  CHECK(writer.written() == 7);
  CHECK(writer.held() == writer.size() - 7);

  REQUIRE(writer.Flush().ok());  // the limit is gone: the same bytes, at the same place
  CHECK(writer.write_error().ok());
  REQUIRE(writer.Close().ok());
  CHECK(ReadBytes(path) == ReferenceLog(records));
}

TEST_CASE(
    "LogWriter: after ENOSPC or EIO the records are held and written once the file "
    "takes them again",
    "[txlog]") {
  const int error = GENERATE(ENOSPC, EIO);
  const size_t partial = GENERATE(size_t{0}, size_t{1}, size_t{9}, size_t{50000});
  INFO("errno " << error << ", " << partial << " bytes written before the failure");
  TempDir dir;
  const std::string path = dir.File("faulty.wandb");
  auto faults = std::make_shared<wandb::testing::FileFaults>();
  auto created = LogWriter::Create(wandb::testing::FaultyFile::Create(path, faults), path);
  REQUIRE(created.ok());
  LogWriter& writer = **created;

  std::vector<std::string> records;
  for (unsigned i = 0; i < 10; ++i) records.push_back(Pattern(3000 + 1000 * i, i));
  for (size_t i = 0; i < 4; ++i) REQUIRE(writer.Append(records[i]).ok());
  REQUIRE(writer.Flush().ok());
  const uint64_t before = writer.written();

  faults->error = error;
  faults->partial = partial;
  for (size_t i = 4; i < records.size(); ++i) REQUIRE(writer.Append(records[i]).ok());
  for (int attempt = 0; attempt < 3; ++attempt) {
    const absl::Status flushed = writer.Flush();
    CHECK(flushed.code() == absl::ErrnoToStatusCode(error));
    CHECK(writer.write_error() == flushed);
  }
  CHECK(writer.written() == before);  // nothing before the failure is lost or redone
  CHECK(writer.held() == writer.size() - before);
  CHECK(faults->failed_appends == 3);

  faults->error = 0;
  REQUIRE(writer.Flush().ok());
  CHECK(writer.write_error().ok());
  CHECK(writer.held() == 0);
  REQUIRE(writer.Close().ok());
  CHECK(ReadBytes(path) == ReferenceLog(records));
}

TEST_CASE("LogWriter: what it holds after failed writes is bounded", "[txlog]") {
  TempDir dir;
  const std::string path = dir.File("bounded.wandb");
  auto faults = std::make_shared<wandb::testing::FileFaults>();
  auto created = LogWriter::Create(wandb::testing::FaultyFile::Create(path, faults), path);
  REQUIRE(created.ok());
  LogWriter& writer = **created;
  writer.set_max_held(200000);
  faults->error = ENOSPC;

  std::vector<std::string> taken;
  absl::Status appended;
  for (unsigned i = 0; appended.ok(); ++i) {
    std::string record = Pattern(30000, i);
    appended = writer.Append(record);
    if (appended.ok()) taken.push_back(std::move(record));
  }
  CHECK(appended.code() == absl::StatusCode::kResourceExhausted);
  CHECK_THAT(std::string(appended.message()), Catch::Contains("No space left on device"));
  CHECK(writer.held() <= 200000);
  CHECK(taken.size() >= 5);

  faults->error = 0;
  REQUIRE(writer.Flush().ok());
  REQUIRE(writer.Append("after").ok());
  taken.push_back("after");
  REQUIRE(writer.Close().ok());
  CHECK(ReadAll(path) == taken);
}

TEST_CASE("LogWriter: a close that cannot write leaves the log ending at its last whole write",
          "[txlog]") {
  TempDir dir;
  const std::string path = dir.File("closed.wandb");
  auto faults = std::make_shared<wandb::testing::FileFaults>();
  auto created = LogWriter::Create(wandb::testing::FaultyFile::Create(path, faults), path);
  REQUIRE(created.ok());
  REQUIRE((*created)->Append("kept").ok());
  REQUIRE((*created)->Flush().ok());
  faults->error = EIO;
  faults->partial = 5;
  REQUIRE((*created)->Append("lost").ok());
  const absl::Status closed = (*created)->Close();
  CHECK(closed.code() == absl::ErrnoToStatusCode(EIO));
  CHECK_THAT(std::string(closed.message()), Catch::Contains("could not be written"));
  CHECK(ReadAll(path) == std::vector<std::string>{"kept"});
  CHECK(std::filesystem::file_size(path) == 7 + 7 + 4);
}

TEST_CASE("LogWriter: a log cut back and appended to reads back whole, framed as one writer's",
          "[txlog]") {
  TempDir dir;
  int n = 0;
  // The cut leaves `left` bytes in block 0; the records appended after it cross blocks.
  for (size_t left : {0, 1, 6, 7, 8, 100}) {
    for (size_t size : {size_t{0}, size_t{5}, kRoom, 2 * kRoom + 1}) {
      INFO("left " << left << " size " << size);
      const std::vector<std::string> kept = {Pattern(kBlock - left - 2 * kHeader, 21)};
      const std::vector<std::string> appended = {Pattern(size, 22), Pattern(3, 23)};
      const std::string path = dir.File("cut" + std::to_string(n++) + ".wandb");
      WriteLog(path, kept);
      uint64_t cut = 0;
      {
        // A crashed writer's tail: a record cut off in the middle.
        auto writer = LogWriter::OpenForAppend(path, std::filesystem::file_size(path));
        REQUIRE(writer.ok());
        REQUIRE((*writer)->Append(Pattern(kRoom + 40, 24)).ok());
        REQUIRE((*writer)->Close().ok());
        std::filesystem::resize_file(path, std::filesystem::file_size(path) - 30);
        auto reader = LogReader::Open(path);
        REQUIRE(reader.ok());
        std::string r;
        while ((*reader)->Next(&r)) {
        }
        CHECK((*reader)->truncated());
        cut = (*reader)->good_offset();
      }
      auto writer = LogWriter::OpenForAppend(path, cut);
      REQUIRE(writer.ok());
      CHECK((*writer)->size() == cut);
      for (const std::string& r : appended) REQUIRE((*writer)->Append(r).ok());
      REQUIRE((*writer)->Close().ok());
      std::vector<std::string> all = kept;
      all.insert(all.end(), appended.begin(), appended.end());
      CHECK(ReadBytes(path) == ReferenceLog(all));
      CHECK(ReadAll(path) == all);
    }
  }
}

TEST_CASE("LogWriter: OpenForAppend refuses an offset in the header or past the end", "[txlog]") {
  TempDir dir;
  const std::string path = dir.File("short.wandb");
  WriteLog(path, {"abc"});
  CHECK(LogWriter::OpenForAppend(path, 3).status().code() == absl::StatusCode::kInvalidArgument);
  CHECK(LogWriter::OpenForAppend(path, 7 + 7 + 3 + 1).status().code() ==
        absl::StatusCode::kOutOfRange);
  CHECK(LogWriter::OpenForAppend(dir.File("none.wandb"), 7).status().code() ==
        absl::StatusCode::kNotFound);
  CHECK(ReadAll(path) == std::vector<std::string>{"abc"});
}

}  // namespace
}  // namespace wandb::txlog
