#include "service/recovery/run_sync.h"

#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>

#include "absl/strings/str_join.h"
#include "common/ipc/file_lock.h"
#include "common/txlog/log_writer.h"
#include "tests/unit/store/store_test_support.h"
#include "wandb/records.pb.h"

namespace wandb::service {
namespace {

namespace fs = std::filesystem;
using store::testing::TempDir;

// A run directory as an offline run leaves it: run-<id>.wandb, files/, logs/.
class RunDir {
 public:
  RunDir(const TempDir& tmp, const std::string& id, const std::string& stamp = "20260101_000000")
      : dir_(tmp.File("offline-run-" + stamp + "-" + id)), id_(id) {
    fs::create_directories(dir_ + "/files");
    fs::create_directories(dir_ + "/logs");
    auto writer = txlog::LogWriter::Create(log_path());
    REQUIRE(writer.ok());
    writer_ = *std::move(writer);
    records::Record header;
    header.mutable_header();
    Append(header);
  }

  const std::string& dir() const { return dir_; }
  std::string log_path() const { return dir_ + "/run-" + id_ + ".wandb"; }

  void Append(const records::Record& record) {
    REQUIRE(writer_->Append(record.SerializeAsString()).ok());
  }
  void Run(const std::string& entity, const std::string& project, int64_t starting_step = 0) {
    records::Record record;
    records::RunRecord* run = record.mutable_run();
    run->set_run_id(id_);
    run->set_starting_step(starting_step);
    run->set_resumed(starting_step > 0);
    run->set_entity(entity);
    run->set_project(project);
    run->set_display_name("synced");
    run->mutable_start_time()->set_seconds(1'700'000'000);
    records::ConfigItem* lr = run->mutable_config()->add_update();
    lr->set_key("lr");
    lr->set_value_json("0.1");
    Append(record);
  }
  void Row(int64_t step) {
    records::Record record;
    records::HistoryRecord* history = record.mutable_history();
    auto add = [&](const std::string& key, const std::string& value) {
      records::HistoryItem* item = history->add_item();
      item->set_key(key);
      item->set_value_json(value);
    };
    add("loss", std::to_string(1.0 / (step + 1)));
    add("_step", std::to_string(step));
    add("_runtime", std::to_string(step + 0.5));
    history->mutable_step()->set_num(step);
    Append(record);
  }
  void Save(const std::string& glob, records::FilesItem::PolicyType policy) {
    records::Record record;
    records::FilesItem* item = record.mutable_files()->add_files();
    item->set_path(glob);
    item->set_policy(policy);
    Append(record);
  }
  void Exit(int code) {
    records::Record record;
    record.mutable_exit()->set_exit_code(code);
    record.mutable_exit()->set_runtime(42);
    Append(record);
  }
  void Close() { REQUIRE(writer_->Close().ok()); }
  void WriteFile(const std::string& name, const std::string& contents) {
    fs::create_directories(fs::path(dir_ + "/files/" + name).parent_path());
    std::ofstream(dir_ + "/files/" + name) << contents;
  }

 private:
  std::string dir_;
  std::string id_;
  std::unique_ptr<txlog::LogWriter> writer_;
};

std::shared_ptr<store::LocalStore> OpenStore(const TempDir& tmp) {
  auto store = store::LocalStore::Open(tmp.File("store"));
  REQUIRE(store.ok());
  return *std::move(store);
}

RunSyncResult MustSync(const std::shared_ptr<store::LocalStore>& store, const std::string& dir) {
  absl::StatusOr<RunSyncResult> result = SyncRunDirectory(store, dir, {.default_entity = "me"});
  INFO(result.status().ToString());
  REQUIRE(result.ok());
  return *std::move(result);
}

}  // namespace

TEST_CASE("sync replays a run's log into the store, stores its files and finishes it") {
  TempDir tmp;
  RunDir run(tmp, "sync1");
  run.Run("", "proj");
  for (int i = 0; i < 10; ++i) run.Row(i);
  run.Save("ckpt.bin", records::FilesItem::LIVE);
  run.Exit(0);
  run.Close();
  run.WriteFile("ckpt.bin", "weights");
  run.WriteFile("sub/notes.txt", "notes");
  run.WriteFile("copy.wandb", "not stored");
  auto store = OpenStore(tmp);

  RunSyncResult result = MustSync(store, run.dir());
  CHECK(result.outcome == RunSyncOutcome::kSynced);
  CHECK(result.key == store::RunKey{"me", "proj", "sync1"});
  CHECK(result.run_dir == fs::canonical(run.dir()).string());
  CHECK(result.history_rows == 10);
  CHECK(result.files_stored == 2);
  CHECK(result.bytes_stored == 12);
  CHECK(result.exit_code == 0);
  CHECK(result.state == store::RunState::kFinished);
  CHECK(result.runtime == absl::Seconds(42));
  CHECK(result.log_has_exit);
  CHECK(result.warnings.empty());

  auto row = store->runs().Get(result.key);
  REQUIRE(row.ok());
  CHECK(row->name == "synced");
  CHECK(row->state == store::RunState::kFinished);
  CHECK(row->exit_code == 0);
  CHECK(row->last_step == 9);
  CHECK(row->config_json == R"({"lr": 0.1})");
  CHECK(row->start_time == absl::FromUnixSeconds(1'700'000'000));
  CHECK(row->log_offset == fs::file_size(run.log_path()));
  auto ckpt = store->files().Latest(result.key, "ckpt.bin");
  REQUIRE(ckpt.ok());
  CHECK(ckpt->policy == store::FilePolicy::kLive);  // as save() asked
  auto notes = store->files().Latest(result.key, "sub/notes.txt");
  REQUIRE(notes.ok());
  CHECK(notes->policy == store::FilePolicy::kEnd);
  CHECK(absl::IsNotFound(store->files().Latest(result.key, "copy.wandb").status()));

  // Again: nothing to do, nothing written.
  RunSyncResult again = MustSync(store, run.dir());
  CHECK(again.outcome == RunSyncOutcome::kAlreadySynced);
  CHECK(again.exit_code == 0);
  CHECK(again.state == store::RunState::kFinished);
  auto after = store->runs().Get(result.key);
  REQUIRE(after.ok());
  CHECK(after->end_time == row->end_time);
  CHECK(store->series().History(result.key)->size() == 10);
  CHECK(store->files().Versions(result.key, "ckpt.bin")->size() == 1);
}

TEST_CASE("sync of a log that grew since resumes the run and adds only what is new") {
  TempDir tmp;
  auto store = OpenStore(tmp);
  std::string dir;
  {
    RunDir run(tmp, "grow1");
    dir = run.dir();
    run.Run("team", "proj");
    for (int i = 0; i < 5; ++i) run.Row(i);
    run.Close();
    run.WriteFile("a.txt", "one");
  }
  RunSyncResult first = MustSync(store, dir);
  CHECK(first.state == store::RunState::kCrashed);  // no exit record yet
  CHECK(first.exit_code == kCrashedExitCode);
  CHECK_FALSE(first.log_has_exit);
  CHECK(first.runtime == absl::Seconds(4.5));  // the last row's _runtime
  REQUIRE(first.warnings.size() == 1);
  CHECK_THAT(first.warnings[0], Catch::Contains("the log ends before the run's exit"));

  // The same log, longer: rewritten whole, with the first rows again and an exit.
  fs::remove(dir + "/run-grow1.wandb");
  {
    RunDir run(tmp, "grow1");
    run.Run("team", "proj");
    for (int i = 0; i < 8; ++i) run.Row(i);
    run.Exit(3);
    run.Close();
  }
  RunSyncResult second = MustSync(store, dir);
  CHECK(second.outcome == RunSyncOutcome::kSynced);
  CHECK(second.history_rows == 8);
  CHECK(second.files_stored == 0);
  CHECK(second.files_unchanged == 1);
  CHECK(second.state == store::RunState::kCrashed);
  CHECK(second.exit_code == 3);
  CHECK(store->series().History(second.key)->size() == 8);
  CHECK(store->files().Versions(second.key, "a.txt")->size() == 1);
}

TEST_CASE("the parts of a resumed run sync in any order, the later part's state winning") {
  TempDir tmp;
  RunDir first(tmp, "parts1", "20260101_000000");
  first.Run("team", "proj");
  for (int i = 0; i < 5; ++i) first.Row(i);
  first.Exit(1);
  first.Close();
  first.WriteFile("a.txt", "one");
  first.WriteFile("b.txt", "only in the first part");
  RunDir second(tmp, "parts1", "20260101_010000");
  second.Run("team", "proj", /*starting_step=*/5);
  for (int i = 5; i < 10; ++i) second.Row(i);
  second.Exit(0);
  second.Close();
  second.WriteFile("a.txt", "two");
  auto store = OpenStore(tmp);
  const store::RunKey key{"team", "proj", "parts1"};

  auto check_run = [&] {
    auto row = store->runs().Get(key);
    REQUIRE(row.ok());
    CHECK(row->state == store::RunState::kFinished);
    CHECK(row->exit_code == 0);
    CHECK(row->last_step == 9);
    CHECK(row->run_dir == fs::canonical(second.dir()).string());
    CHECK(store->series().History(key)->size() == 10);
    auto a = store->files().Latest(key, "a.txt");
    REQUIRE(a.ok());
    CHECK(store::testing::ReadBytes(a->blob_path) == "two");
    CHECK(store->files().Latest(key, "b.txt").ok());
  };

  SECTION("in order") {
    CHECK(MustSync(store, first.dir()).state == store::RunState::kCrashed);
    CHECK(MustSync(store, second.dir()).outcome == RunSyncOutcome::kSynced);
    check_run();
    RunSyncResult again = MustSync(store, first.dir());
    CHECK(again.outcome == RunSyncOutcome::kAlreadySynced);
    CHECK(again.state == store::RunState::kFinished);
    CHECK(store->files().Versions(key, "a.txt")->size() == 2);
  }
  SECTION("later part first") {
    CHECK(MustSync(store, second.dir()).outcome == RunSyncOutcome::kSynced);
    RunSyncResult earlier = MustSync(store, first.dir());
    CHECK(earlier.outcome == RunSyncOutcome::kEarlierPart);
    CHECK(earlier.history_rows == 5);
    CHECK(earlier.history_rows_added == 5);
    CHECK(earlier.files_stored == 1);  // b.txt; a.txt is the later part's
    CHECK(earlier.state == store::RunState::kFinished);
    CHECK(earlier.exit_code == 0);
    check_run();
    CHECK(store->files().Versions(key, "a.txt")->size() == 1);
    CHECK(MustSync(store, first.dir()).outcome == RunSyncOutcome::kAlreadySynced);
    CHECK(MustSync(store, second.dir()).outcome == RunSyncOutcome::kAlreadySynced);
  }
}

TEST_CASE("sync records a run as stopped when a stop was requested, whatever its exit") {
  TempDir tmp;
  auto store = OpenStore(tmp);
  // The store's stop flag says a stop was requested (`wandb-cpp stop` set it before the run's
  // daemon died, or before a copy of the run was synced).
  auto stop_requested_for = [&](const std::string& id) {
    store::RunRow row;
    row.key = store::RunKey{"team", "proj", id};
    REQUIRE(store->runs().Upsert(row).ok());
    REQUIRE(store->runs().RequestStop(row.key).ok());
  };

  SECTION("the log's exit is 255, as the daemon writes it for a stopped run") {
    RunDir run(tmp, "stopped1");
    run.Run("team", "proj");
    run.Row(0);
    run.Exit(255);
    run.Close();
    stop_requested_for("stopped1");
    RunSyncResult result = MustSync(store, run.dir());
    CHECK(result.state == store::RunState::kStopped);
    CHECK(result.exit_code == kStoppedExitCode);
  }
  SECTION("the log ends before its exit (the process and its daemon died)") {
    RunDir run(tmp, "stopped2");
    run.Run("team", "proj");
    run.Row(0);
    run.Close();
    stop_requested_for("stopped2");
    RunSyncResult result = MustSync(store, run.dir());
    CHECK(result.state == store::RunState::kStopped);
    CHECK(result.exit_code == kStoppedExitCode);
    CHECK_FALSE(result.log_has_exit);
  }
  SECTION("no stop was requested: a program's own exit code 255 is a crash") {
    RunDir run(tmp, "exit255");
    run.Run("team", "proj");
    run.Row(0);
    run.Exit(255);
    run.Close();
    RunSyncResult result = MustSync(store, run.dir());
    CHECK(result.state == store::RunState::kCrashed);
    CHECK(result.exit_code == 255);
  }
}

TEST_CASE("sync changes nothing for what it cannot sync") {
  TempDir tmp;
  auto store = OpenStore(tmp);

  SECTION("a directory without a log") {
    fs::create_directories(tmp.File("plain"));
    auto result = SyncRunDirectory(store, tmp.File("plain"));
    CHECK(absl::IsNotFound(result.status()));
    CHECK_THAT(std::string(result.status().message()),
               Catch::Contains("is not a run directory: it holds no run-<id>.wandb"));
  }
  SECTION("a missing directory") {
    CHECK(absl::IsNotFound(SyncRunDirectory(store, tmp.File("missing")).status()));
  }
  SECTION("a log without a run record") {
    RunDir run(tmp, "norun");
    run.Row(0);
    run.Close();
    auto result = SyncRunDirectory(store, run.dir());
    CHECK(absl::IsFailedPrecondition(result.status()));
    CHECK_THAT(std::string(result.status().message()), Catch::Contains("has no run record"));
  }
  SECTION("a run a daemon is writing") {
    RunDir run(tmp, "live1");
    run.Run("team", "proj");
    run.Close();
    auto lock = FileLock::TryAcquire(run.dir() + "/logs/run.lock");
    REQUIRE(lock.ok());
    auto result = SyncRunDirectory(store, run.dir());
    CHECK(absl::IsFailedPrecondition(result.status()));
    CHECK_THAT(std::string(result.status().message()),
               Catch::Contains("run team/proj/live1 is live: a wandb-service is writing"));
  }
  SECTION("two logs in one directory") {
    RunDir run(tmp, "two1");
    run.Close();
    std::ofstream(run.dir() + "/run-other.wandb") << "";
    CHECK(absl::IsInvalidArgument(SyncRunDirectory(store, run.dir()).status()));
  }
  auto runs = store->runs().List();
  REQUIRE(runs.ok());
  CHECK(runs->empty());
}

TEST_CASE("sync keeps every intact record around a corrupt block, and says what it dropped") {
  TempDir tmp;
  auto store = OpenStore(tmp);
  RunDir run(tmp, "corrupt");
  run.Run("team", "proj");
  for (int i = 0; i < 3000; ++i) run.Row(i);
  run.Exit(0);
  run.Close();
  {
    std::fstream log(run.log_path(), std::ios::in | std::ios::out | std::ios::binary);
    log.seekp(32768 + 200);  // in block 1
    log.write("\xff\xff\xff\xff", 4);
  }
  RunSyncResult result = MustSync(store, run.dir());
  CHECK(result.outcome == RunSyncOutcome::kSynced);
  CHECK(result.state == store::RunState::kFinished);  // the exit, after the damage, was read
  CHECK(result.history_rows < 3000);
  CHECK(result.history_rows > 3000 - 32768 / 20);  // one block of rows at most is lost
  std::string warnings = absl::StrJoin(result.warnings, "\n");
  CHECK_THAT(warnings, Catch::Contains("the log is damaged: skipped "));
  CHECK_THAT(warnings, Catch::Contains("synced every intact record"));
  auto history = store->series().History(result.key);
  REQUIRE(history.ok());
  CHECK(static_cast<int64_t>(history->size()) == result.history_rows);
  CHECK(history->front().step == 0);
  CHECK(history->back().step == 2999);
}

}  // namespace wandb::service
