#include "service/backend/upload_progress.h"

#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>

#include "tests/support/temp_dir.h"

namespace wandb::service {
namespace {

using testing::TempDir;

TEST_CASE("UploadProgress: written and read back whole", "[upload_progress]") {
  TempDir dir;
  std::filesystem::create_directories(dir.path() + "/logs");
  const std::string path = UploadProgressPath(dir.path());
  CHECK(path == dir.path() + "/logs/upload-progress.json");
  CHECK(absl::IsNotFound(ReadUploadProgress(path).status()));

  UploadProgress none;  // nothing acknowledged yet: no step, no times
  REQUIRE(WriteUploadProgress(path, none).ok());
  absl::StatusOr<UploadProgress> read = ReadUploadProgress(path);
  REQUIRE(read.ok());
  CHECK(*read == none);

  UploadProgress some{.target = "http://127.0.0.1:8080  proj abc",
                      .history_lines = 500,
                      .last_step = 499,
                      .events_lines = 3,
                      .last_stats = absl::FromUnixNanos(1764720000123456789),
                      .console_lines = 12,
                      .last_console = absl::FromUnixNanos(1764720001000000001)};
  REQUIRE(WriteUploadProgress(path, some).ok());
  read = ReadUploadProgress(path);
  REQUIRE(read.ok());
  CHECK(*read == some);
}

TEST_CASE("UploadProgress: a file that is not one is refused", "[upload_progress]") {
  TempDir dir;
  const std::string path = dir.path() + "/progress.json";
  for (const char* text :
       {"", "not json", "[]",
        R"({"target": "t", "history_lines": -1, "events_lines": 0, "console_lines": 0})",
        R"({"target": "t", "history_lines": 1, "events_lines": 0})",
        R"({"history_lines": 1, "events_lines": 0, "console_lines": 0})",
        R"({"target": "t", "history_lines": 1, "events_lines": 0, "console_lines": 0,
            "last_step": "x"})",
        R"({"target": "t", "history_lines": 1, "events_lines": 0, "console_lines": 0,
            "last_stats_ns": 1.5})"}) {
    INFO(text);
    std::ofstream(path, std::ios::trunc) << text;
    CHECK(absl::IsInvalidArgument(ReadUploadProgress(path).status()));
  }
}

}  // namespace
}  // namespace wandb::service
