// `wandb-cpp import` into a store whose filesystem is full (a small tmpfs, which needs root to
// mount; the test says so and passes vacuously without it): the import fails with an error
// that names the full disk and says nothing was lost, leaves the run directory as it was and
// no run in the store that looks complete, and once space is freed the same command stores
// the whole run.
#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>
#include <map>
#include <random>
#include <string>

#include "service/store/local_store.h"
#include "tests/support/cli_runner.h"
#include "tests/support/small_disk.h"
#include "tests/support/test_env.h"
#include "wandb/wandb.h"

namespace wandb::testing {
namespace {

namespace fs = std::filesystem;
constexpr int kRows = 3000;
constexpr size_t kFileBytes = 1 << 20;

// Every regular file under `dir` with its contents, to tell whether anything changed.
std::map<std::string, std::string> Snapshot(const std::string& dir) {
  std::map<std::string, std::string> files;
  for (const auto& entry : fs::recursive_directory_iterator(dir)) {
    if (entry.is_regular_file()) files[entry.path()] = ReadFile(entry.path());
  }
  return files;
}

std::string RandomBytes(size_t n) {
  std::mt19937 rng(7);
  std::string bytes(n, '\0');
  for (char& c : bytes) c = static_cast<char>(rng());
  return bytes;
}

}  // namespace

TEST_CASE("import into a store on a full disk fails clearly and imports whole once space returns") {
  // How much room the store's disk has left when the import starts: none (the store cannot
  // even begin), room for part of the rows, or for the rows but not the run's 1 MiB file.
  const size_t room = GENERATE(size_t{0}, size_t{256 << 10}, size_t{1536 << 10});
  INFO("room left on the store's disk: " << room << " bytes");
  TestEnv env;
  SmallDisk disk(env.store_dir(), "4m");
  if (!disk.mounted()) {
    WARN("cannot mount a tmpfs (" << disk.error() << "): needs root; not tested");
    return;
  }
  Run run = init({.project = "fullimport", .id = "fullimport1", .mode = Mode::kOffline});
  const std::string padding(100, 'p');
  for (int i = 0; i < kRows; ++i) run.log({{"i", i}, {"pad", padding}});
  run.summary()["best"] = 0.25;
  const std::string dir = run.dir();
  const std::string weights = RandomBytes(kFileBytes);
  std::ofstream(dir + "/files/weights.bin", std::ios::binary) << weights;
  run.finish();

  {  // an existing store, as a user's would be, on a disk then filled up to `room`
    auto store = store::LocalStore::Open(env.store_dir());
    REQUIRE(store.ok());
  }
  const std::string filler = env.store_dir() + "/filler";
  FillUp(filler);
  fs::resize_file(filler, fs::file_size(filler) - std::min<uintmax_t>(room, fs::file_size(filler)));
  const auto before = Snapshot(dir);

  CommandResult failed = RunCli({"import", dir});
  INFO("first import: " << failed.out << failed.err);
  CHECK(failed.exit_code == 1);
  CHECK_THAT(failed.err, Catch::Contains("full"));
  CHECK_THAT(failed.err, Catch::Contains("nothing was lost"));
  CHECK_THAT(failed.err, Catch::Contains("import"));  // what to run again
  CHECK(Snapshot(dir) == before);
  {                      // no run that looks complete: absent, or still marked as being imported
    fs::remove(filler);  // SQLite needs room to open the store and read it
    auto store = store::LocalStore::Open(env.store_dir());
    REQUIRE(store.ok());
    auto stored = (*store)->runs().Find("fullimport1");
    if (stored.ok()) CHECK(stored->state == store::RunState::kRunning);
  }

  CommandResult again = RunCli({"import", dir});
  INFO("second import: " << again.out << again.err);
  REQUIRE(again.exit_code == 0);
  CHECK_THAT(again.out, Catch::Contains(std::to_string(kRows) + " rows"));
  CHECK_THAT(again.out, Catch::Contains("finished (exit code 0)"));
  auto store = store::LocalStore::Open(env.store_dir());
  REQUIRE(store.ok());
  auto stored = (*store)->runs().Find("fullimport1");
  REQUIRE(stored.ok());
  CHECK(stored->state == store::RunState::kFinished);
  CHECK(stored->exit_code == 0);
  CHECK(stored->last_step == kRows - 1);
  CHECK_THAT(stored->summary_json, Catch::Contains(R"("best": 0.25)"));
  auto history = (*store)->series().History(stored->key);
  REQUIRE(history.ok());
  CHECK(history->size() == static_cast<size_t>(kRows));
  for (const char* name : {"weights.bin", "config.yaml", "wandb-summary.json"}) {
    INFO("file " << name);
    auto file = (*store)->files().Latest(stored->key, name);
    REQUIRE(file.ok());
    if (std::string(name) == "weights.bin") CHECK(ReadFile(file->blob_path) == weights);
  }
  CHECK((*store)->IntegrityCheck().ok());
}

}  // namespace wandb::testing
