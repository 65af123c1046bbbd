#include "cli/dump_command.h"

#include <unistd.h>

#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "common/txlog/log_writer.h"
#include "tests/support/temp_dir.h"
#include "wandb/records.pb.h"

namespace wandb::cli {
namespace {

void WriteLog(const std::string& path, int rows) {
  auto writer = txlog::LogWriter::Create(path);
  REQUIRE(writer.ok());
  records::Record header;
  header.mutable_header();
  REQUIRE((*writer)->Append(header.SerializeAsString()).ok());
  for (int i = 0; i < rows; ++i) {
    records::Record row;
    auto* item = row.mutable_history()->add_item();
    item->set_key("i");
    item->set_value_json(std::to_string(i));
    REQUIRE((*writer)->Append(row.SerializeAsString()).ok());
  }
  REQUIRE((*writer)->Close().ok());
}

}  // namespace

TEST_CASE("dump prints one JSON line per record") {
  wandb::testing::TempDir dir("dump_test");
  std::string path = dir.File("run-x.wandb");
  WriteLog(path, 2);
  std::ostringstream out, err;
  CHECK(RunDump({path}, out, err) == 0);
  CHECK(out.str() ==
        "{\"header\":{}}\n"
        "{\"history\":{\"item\":[{\"key\":\"i\",\"value_json\":\"0\"}]}}\n"
        "{\"history\":{\"item\":[{\"key\":\"i\",\"value_json\":\"1\"}]}}\n");
  CHECK(err.str().empty());
}

TEST_CASE("dump prints what precedes a truncated tail and says where it stopped") {
  wandb::testing::TempDir dir("dump_test");
  std::string path = dir.File("run-x.wandb");
  WriteLog(path, 3);
  REQUIRE(truncate(path.c_str(), std::filesystem::file_size(path) - 2) == 0);
  std::ostringstream out, err;
  CHECK(RunDump({path}, out, err) == 0);
  std::string printed = out.str();
  CHECK(std::count(printed.begin(), printed.end(), '\n') == 3);  // header + 2 rows
  CHECK_THAT(err.str(), Catch::Contains("stopped after 3 records"));
}

TEST_CASE("dump fails on a file that is not a transaction log") {
  wandb::testing::TempDir dir("dump_test");
  std::string path = dir.File("run-x.wandb");
  std::ofstream(path) << "not a log at all";
  std::ostringstream out, err;
  CHECK(RunDump({path}, out, err) == 1);
  CHECK_THAT(err.str(), Catch::Contains("wandb-cpp dump:"));
}

}  // namespace wandb::cli
