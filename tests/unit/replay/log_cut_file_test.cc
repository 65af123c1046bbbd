#include "service/replay/log_cut_file.h"

#include <catch2/catch.hpp>
#include <filesystem>
#include <string>

#include "tests/support/temp_dir.h"

namespace wandb::service {
namespace {

using ::wandb::testing::ReadBytes;
using ::wandb::testing::TempDir;
using ::wandb::testing::WriteBytes;

std::optional<LogCut> MustRead(const std::string& path) {
  absl::StatusOr<std::optional<LogCut>> cut = LogCutFile::Read(path);
  REQUIRE(cut.ok());
  return *cut;
}

}  // namespace

TEST_CASE("LogCutFile: a missing or empty file holds no cut", "[logcut]") {
  TempDir dir;
  CHECK_FALSE(MustRead(dir.File("none")).has_value());
  auto file = LogCutFile::Open(dir.File("log-cut"));
  REQUIRE(file.ok());
  CHECK_FALSE(MustRead(dir.File("log-cut")).has_value());
}

TEST_CASE("LogCutFile: reads back the latest cut written, across reopening", "[logcut]") {
  TempDir dir;
  const std::string path = dir.File("log-cut");
  {
    auto file = LogCutFile::Open(path);
    REQUIRE(file.ok());
    for (uint64_t seq = 1; seq <= 5; ++seq) {
      REQUIRE((*file)->Write(LogCut{seq, seq % 2, 100 * seq}, /*sync=*/seq == 5).ok());
      CHECK(MustRead(path) == LogCut{seq, seq % 2, 100 * seq});
    }
  }
  CHECK(std::filesystem::file_size(path) == 64);  // two slots, whatever the run's length
  auto file = LogCutFile::Open(path);
  REQUIRE(file.ok());
  REQUIRE((*file)->Write(LogCut{6, 0, 600}, false).ok());
  CHECK(MustRead(path) == LogCut{6, 0, 600});
  REQUIRE((*file)->Write(LogCut{7, 3, 650}, false).ok());
  CHECK(MustRead(path) == LogCut{7, 3, 650});
}

TEST_CASE("LogCutFile: a torn slot leaves the previous cut", "[logcut]") {
  TempDir dir;
  const std::string path = dir.File("log-cut");
  {
    auto file = LogCutFile::Open(path);
    REQUIRE(file.ok());
    REQUIRE((*file)->Write(LogCut{1, 0, 50}, false).ok());
    REQUIRE((*file)->Write(LogCut{2, 0, 80}, false).ok());
  }
  // The second write went to slot 1: spoil one byte of its offset.
  std::string bytes = ReadBytes(path);
  REQUIRE(bytes.size() == 64);
  bytes[32 + 24] ^= 0x01;
  WriteBytes(path, bytes);
  CHECK(MustRead(path) == LogCut{1, 0, 50});
  // The next write replaces the spoiled slot, not the good one.
  auto file = LogCutFile::Open(path);
  REQUIRE(file.ok());
  REQUIRE((*file)->Write(LogCut{3, 1, 90}, false).ok());
  CHECK(MustRead(path) == LogCut{3, 1, 90});
  CHECK(ReadBytes(path).substr(0, 32) == bytes.substr(0, 32));
}

TEST_CASE("LogCut: the batch a client may forget", "[logcut]") {
  CHECK(LogCut{1, 0, 7}.whole_seq() == 0);
  CHECK(LogCut{5, 2, 7}.whole_seq() == 4);
}

}  // namespace wandb::service
