// A block corrupted in the middle of a real run's log (a damaged disk): `dump` and `import` skip
// that block, resynchronize at the next block boundary, say how many bytes they dropped, and
// keep every intact record after it, the run's exit included.
#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>
#include <string>

#include "service/store/local_store.h"
#include "tests/support/cli_runner.h"
#include "tests/support/test_env.h"
#include "wandb/wandb.h"

namespace wandb::testing {
namespace {

namespace fs = std::filesystem;
constexpr size_t kBlock = 32768;  // the log format's block size
constexpr int kRows = 3000;

// An offline run whose log spans a dozen blocks; returns its directory.
std::string WriteRun(const std::string& id) {
  Run run = init({.project = "damaged", .id = id, .mode = Mode::kOffline});
  const std::string padding(100, 'p');
  for (int i = 0; i < kRows; ++i) run.log({{"i", i}, {"note", padding}});
  std::string dir = run.dir();
  run.finish();
  return dir;
}

void FlipByte(const std::string& path, uint64_t offset) {
  std::fstream file(path, std::ios::in | std::ios::out | std::ios::binary);
  file.seekg(static_cast<std::streamoff>(offset));
  char byte = 0;
  file.read(&byte, 1);
  byte = static_cast<char>(byte ^ 0x5a);
  file.seekp(static_cast<std::streamoff>(offset));
  file.write(&byte, 1);
  REQUIRE(file.good());
}

// The "i" of every history line `dump` printed.
std::vector<int> DumpedRows(const std::string& out) {
  std::vector<int> rows;
  std::istringstream in(out);
  for (std::string line; std::getline(in, line);) {
    nlohmann::json record = nlohmann::json::parse(line);
    if (!record.contains("history")) continue;
    for (const auto& item : record["history"]["item"]) {
      if (item["key"] == "i") rows.push_back(std::stoi(item["value_json"].get<std::string>()));
    }
  }
  return rows;
}

TEST_CASE("dump and sync keep every intact record after a corrupt block") {
  TestEnv env;
  const std::string dir = WriteRun("damaged1");
  const std::string log = dir + "/run-damaged1.wandb";
  REQUIRE(fs::file_size(log) > 10 * kBlock);
  FlipByte(log, 5 * kBlock + 5000);

  CommandResult dump = RunCli({"dump", log});
  CHECK(dump.exit_code == 1);  // data was lost, and it says so
  CHECK_THAT(dump.err, Catch::Contains("corrupt transaction log at offset"));
  CHECK_THAT(dump.err, Catch::Contains("corrupt bytes skipped"));
  const std::vector<int> dumped = DumpedRows(dump.out);
  // Lost: the rows in the corrupt block after the bad chunk, and the one crossing into the next.
  CHECK(dumped.size() < static_cast<size_t>(kRows));
  CHECK(dumped.size() > static_cast<size_t>(kRows) - kBlock / 100);
  CHECK(dumped.front() == 0);
  CHECK(dumped.back() == kRows - 1);
  CHECK_THAT(dump.out, Catch::Contains("\"exit\""));

  CommandResult sync = RunCli({"import", "--json", dir});
  INFO(sync.err);
  CHECK(sync.exit_code == 0);
  nlohmann::json result = nlohmann::json::parse(sync.out);
  CHECK(result["outcome"] == "imported");
  CHECK(result["state"] == "finished");  // the exit record, after the damage, was read
  CHECK(result["exit_code"] == 0);
  CHECK(result["rows"] == dumped.size());
  CHECK_THAT(sync.err, Catch::Contains("the log is damaged: skipped "));
  CHECK_THAT(sync.err, Catch::Contains("synced every intact record"));

  auto store = store::LocalStore::Open(env.store_dir());
  REQUIRE(store.ok());
  auto run = (*store)->runs().Find("damaged1");
  REQUIRE(run.ok());
  CHECK(run->state == store::RunState::kFinished);
  auto history = (*store)->series().History(run->key);
  REQUIRE(history.ok());
  CHECK(history->size() == dumped.size());
  CHECK(history->back().step == kRows - 1);
}

}  // namespace
}  // namespace wandb::testing
