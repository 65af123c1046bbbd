#include "common/util/read_file.h"

#include <unistd.h>

#include <catch2/catch.hpp>
#include <fstream>
#include <string>

namespace wandb {

TEST_CASE("ReadFileToString reads a whole file, larger than its buffer") {
  char tmpl[] = "/tmp/read-file-XXXXXX";
  int fd = mkstemp(tmpl);
  REQUIRE(fd >= 0);
  close(fd);
  std::string contents(10000, 'x');
  contents += "end";
  std::ofstream(tmpl) << contents;
  absl::StatusOr<std::string> read = ReadFileToString(tmpl);
  REQUIRE(read.ok());
  CHECK(*read == contents);
  unlink(tmpl);
}

TEST_CASE("ReadFileToString reports a missing file instead of throwing") {
  absl::StatusOr<std::string> read = ReadFileToString("/nonexistent/file");
  CHECK(absl::IsNotFound(read.status()));
  CHECK_THAT(std::string(read.status().message()), Catch::Contains("/nonexistent/file"));
}

TEST_CASE("ReadFileToString reads /proc files of this process") {
  absl::StatusOr<std::string> stat = ReadFileToString("/proc/self/stat");
  REQUIRE(stat.ok());
  CHECK(stat->find(std::to_string(getpid())) == 0);
}

}  // namespace wandb
