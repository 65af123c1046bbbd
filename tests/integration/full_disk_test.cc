// A full disk under a live run's directory, or under the store (a small tmpfs, which needs
// root to mount; the test says so and passes vacuously without it): the training loop goes on,
// the daemon holds what it cannot write and stays up, and once space returns the log goes on
// whole, the store gets every row, and the run finishes as it should.
#include <catch2/catch.hpp>
#include <chrono>
#include <filesystem>
#include <string>

#include "service/store/local_store.h"
#include "tests/support/small_disk.h"
#include "tests/support/test_env.h"
#include "wandb/wandb.h"

namespace wandb::testing {
namespace {

namespace fs = std::filesystem;
constexpr int kRows = 5000;

int64_t StoredRows(const TestEnv& env, const std::string& id) {
  auto store = store::LocalStore::Open(env.store_dir());
  if (!store.ok()) return -1;
  auto run = (*store)->runs().Find(id);
  if (!run.ok()) return -1;
  auto history = (*store)->series().History(run->key);
  return history.ok() ? static_cast<int64_t>(history->size()) : -1;
}

TEST_CASE("a full disk under the run stops nothing, and the log resumes whole when space returns") {
  TestEnv env;
  const std::string small = env.root_dir() + "/small";
  SmallDisk disk(small, "8m");
  if (!disk.mounted()) {
    WARN("cannot mount a tmpfs (" << disk.error() << "): needs root; not tested");
    return;
  }

  Run run = init({.project = "full", .dir = small, .id = "fulldisk1"});
  const std::string log_path = run.dir() + "/run-fulldisk1.wandb";
  for (int i = 0; i < 100; ++i) run.log({{"i", i}});
  REQUIRE(Eventually([&] { return StoredRows(env, "fulldisk1") == 100; }));

  FillUp(small + "/filler");
  const std::string padding(60, 'p');
  for (int i = 100; i < kRows; ++i) run.log({{"i", i}, {"pad", padding}});  // never throws
  run.summary().get();  // every row reached the daemon's writer
  // They cannot be in the log: the disk has no room for them.
  CHECK(ReadLog(log_path).records.size() < static_cast<size_t>(kRows));
  CHECK(StoredRows(env, "fulldisk1") < kRows);
  CHECK(env.DaemonPids().size() == 1);

  fs::remove(small + "/filler");
  const auto freed = std::chrono::steady_clock::now();
  REQUIRE(Eventually([&] { return StoredRows(env, "fulldisk1") == kRows; }));
  const auto resumed = std::chrono::steady_clock::now();
  UNSCOPED_INFO("the store had every row "
                << std::chrono::duration_cast<std::chrono::milliseconds>(resumed - freed).count()
                << " ms after space returned");
  run.finish();

  const LogContents log = ReadLog(log_path);
  CHECK(log.clean_end);  // no torn record anywhere
  int rows = 0;
  bool exit_seen = false;
  for (const records::Record& record : log.records) {
    if (record.has_history()) {
      CHECK(ItemValue(record.history(), "i") == std::to_string(rows));  // each once, in order
      ++rows;
    }
    exit_seen = exit_seen || record.has_exit();
  }
  CHECK(rows == kRows);
  CHECK(exit_seen);
  auto store = store::LocalStore::Open(env.store_dir());
  REQUIRE(store.ok());
  auto stored = (*store)->runs().Find("fulldisk1");
  REQUIRE(stored.ok());
  CHECK(stored->state == store::RunState::kFinished);
  CHECK(stored->exit_code == 0);
  CHECK(env.DaemonPids().size() == 1);
}

TEST_CASE("a store on a disk with little room keeps up, and every row gets there") {
  // A live run's store commits a few rows at a time (here one: each row is flushed), and each
  // commit adds the pages it rewrote to SQLite's write-ahead file. SQLite copies that file into
  // the database and starts it over only once it holds 1,000 pages (4 MB) by default: on a
  // 3 MiB disk it filled the disk first, and then no commit and no checkpoint could succeed.
  // Earlier the rows stopped at a few hundred, finish() waited out its deadline, the run and
  // the next one stayed running.
  TestEnv env;
  SmallDisk disk(env.store_dir(), "3m");
  if (!disk.mounted()) {
    WARN("cannot mount a tmpfs (" << disk.error() << "): needs root; not tested");
    return;
  }
  constexpr int kStoreRows = 2000;
  for (const std::string id : {"smallstore1", "smallstore2"}) {  // the next run too
    INFO("run " << id);
    Run run = init({.project = "smallstore", .id = id});
    for (int i = 0; i < kStoreRows; ++i) {
      run.log({{"i", i}});
      run.flush();
    }
    run.finish();
    CHECK(StoredRows(env, id) == kStoreRows);
    auto store = store::LocalStore::Open(env.store_dir());
    REQUIRE(store.ok());
    auto stored = (*store)->runs().Find(id);
    REQUIRE(stored.ok());
    CHECK(stored->state == store::RunState::kFinished);
    CHECK(stored->last_step == kStoreRows - 1);
    CHECK((*store)->IntegrityCheck().ok());
  }
}

}  // namespace
}  // namespace wandb::testing
