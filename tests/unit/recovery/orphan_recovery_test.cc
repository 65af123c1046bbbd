#include "service/recovery/orphan_recovery.h"

#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>
#include <thread>

#include "absl/time/clock.h"
#include "common/txlog/log_writer.h"
#include "common/util/process_start.h"
#include "service/backend/run_end.h"
#include "tests/support/temp_dir.h"
#include "wandb/records.pb.h"

namespace wandb::service {
namespace {

namespace fs = std::filesystem;
using ::wandb::testing::TempDir;

// A pid that is surely not alive: a child that has exited and been reaped.
pid_t DeadPid() {
  pid_t pid = fork();
  if (pid == 0) _exit(0);
  int status = 0;
  waitpid(pid, &status, 0);
  return pid;
}

// A run a dead daemon left running in `store`, started by process `client_pid`.
// `exit_code`: the exit record the log ends with, none when the daemon died before it.
// `saved`: files under files/ the log's save() calls name (policy now).
store::RunKey LeftRunning(const TempDir& tmp, const std::shared_ptr<store::LocalStore>& store,
                          const std::string& id, int64_t client_pid,
                          std::optional<int> exit_code = std::nullopt,
                          const std::vector<std::string>& saved = {}) {
  std::string dir = tmp.File("wandb/run-20260101_000000-" + id);
  fs::create_directories(dir + "/files");
  fs::create_directories(dir + "/logs");
  std::ofstream(dir + "/files/wandb-metadata.json") << "{\"pid\": " << client_pid << "}";
  auto writer = txlog::LogWriter::Create(dir + "/run-" + id + ".wandb");
  REQUIRE(writer.ok());
  records::Record record;
  record.mutable_header();
  REQUIRE((*writer)->Append(record.SerializeAsString()).ok());
  record.mutable_run()->set_run_id(id);
  REQUIRE((*writer)->Append(record.SerializeAsString()).ok());
  for (const std::string& name : saved) {
    record.Clear();
    records::FilesItem* item = record.mutable_files()->add_files();
    item->set_path(name);
    item->set_policy(records::FilesItem::NOW);
    REQUIRE((*writer)->Append(record.SerializeAsString()).ok());
  }
  if (exit_code.has_value()) {
    record.Clear();
    record.mutable_exit()->set_exit_code(*exit_code);
    REQUIRE((*writer)->Append(record.SerializeAsString()).ok());
  }
  REQUIRE((*writer)->Close().ok());
  store::RunRow row;
  row.key = store::RunKey{"me", "proj", id};
  REQUIRE(store->runs().Upsert(row).ok());
  REQUIRE(store->runs().SetLogPosition(row.key, dir, 0).ok());
  return row.key;
}

store::RunRow RowOf(const std::shared_ptr<store::LocalStore>& store, const store::RunKey& key) {
  absl::StatusOr<store::RunRow> row = store->runs().Get(key);
  REQUIRE(row.ok());
  return *row;
}

store::RunState StateOf(const std::shared_ptr<store::LocalStore>& store, const store::RunKey& key) {
  absl::StatusOr<store::RunRow> row = store->runs().Get(key);
  REQUIRE(row.ok());
  return row->state;
}

}  // namespace

TEST_CASE("RecoverOrphanedRuns: a run whose process is gone is completed as crashed",
          "[recovery]") {
  TempDir tmp;
  auto store = store::LocalStore::Open(tmp.File("store"));
  REQUIRE(store.ok());
  std::shared_ptr<store::LocalStore> shared = *std::move(store);
  store::RunKey key = LeftRunning(tmp, shared, "gone1", DeadPid());
  Logger log;
  CHECK(RecoverOrphanedRuns(shared, &log) == 1);
  CHECK(StateOf(shared, key) == store::RunState::kCrashed);
}

TEST_CASE("RecoverOrphanedRuns: a run whose process is alive is left to it until it is gone",
          "[recovery]") {
  TempDir tmp;
  auto store = store::LocalStore::Open(tmp.File("store"));
  REQUIRE(store.ok());
  std::shared_ptr<store::LocalStore> shared = *std::move(store);
  // This test's process stands for a training process that will re-attach its run.
  store::RunKey key = LeftRunning(tmp, shared, "alive1", getpid());
  Logger log;
  CHECK(RecoverOrphanedRuns(shared, &log) == 0);  // no stop flag: one look only
  CHECK(StateOf(shared, key) == store::RunState::kRunning);

  // With a stop flag it keeps looking until told to stop.
  std::atomic<bool> stop{false};
  std::thread stopper([&] {
    absl::SleepFor(kClientPollInterval * 1.5);
    stop.store(true);
  });
  CHECK(RecoverOrphanedRuns(shared, &log, &stop) == 0);
  stopper.join();
  CHECK(StateOf(shared, key) == store::RunState::kRunning);

  // The process goes without re-attaching: the next look completes the run.
  std::ofstream(tmp.File("wandb/run-20260101_000000-alive1/files/wandb-metadata.json"))
      << "{\"pid\": " << DeadPid() << "}";
  stop.store(false);
  CHECK(RecoverOrphanedRuns(shared, &log, &stop) == 1);
  CHECK(StateOf(shared, key) == store::RunState::kCrashed);
}

TEST_CASE("RecoverOrphanedRuns: a live pid that started at another time is not the client",
          "[recovery]") {
  TempDir tmp;
  auto store = store::LocalStore::Open(tmp.File("store"));
  REQUIRE(store.ok());
  std::shared_ptr<store::LocalStore> shared = *std::move(store);
  // Pid 1 of a container's namespace: here pid 1 is alive, but started at boot.
  store::RunKey gone = LeftRunning(tmp, shared, "ns1", 1);
  std::ofstream(tmp.File("wandb/run-20260101_000000-ns1/files/wandb-metadata.json"))
      << R"({"pid": 1, "processStartedAt": ")"
      << absl::FormatTime("%Y-%m-%dT%H:%M:%E6S", absl::Now(), absl::UTCTimeZone()) << R"("})";
  // This process, with its own start time: alive.
  store::RunKey alive = LeftRunning(tmp, shared, "self1", getpid());
  absl::StatusOr<std::optional<int64_t>> started = ProcessStartUnixMs("self");
  REQUIRE(started.ok());
  REQUIRE(started->has_value());
  std::ofstream(tmp.File("wandb/run-20260101_000000-self1/files/wandb-metadata.json"))
      << R"({"pid": )" << getpid() << R"(, "processStartedAt": ")"
      << absl::FormatTime("%Y-%m-%dT%H:%M:%E6S", absl::FromUnixMillis(**started),
                          absl::UTCTimeZone())
      << R"("})";
  // A client that recorded its start time and is gone (the common case after kill -9).
  pid_t dead_pid = DeadPid();
  store::RunKey dead = LeftRunning(tmp, shared, "dead1", dead_pid);
  std::ofstream(tmp.File("wandb/run-20260101_000000-dead1/files/wandb-metadata.json"))
      << R"({"pid": )" << dead_pid << R"(, "processStartedAt": ")"
      << absl::FormatTime("%Y-%m-%dT%H:%M:%E6S", absl::Now(), absl::UTCTimeZone()) << R"("})";
  Logger log;
  CHECK(RecoverOrphanedRuns(shared, &log) == 2);
  CHECK(StateOf(shared, gone) == store::RunState::kCrashed);
  CHECK(StateOf(shared, dead) == store::RunState::kCrashed);
  CHECK(StateOf(shared, alive) == store::RunState::kRunning);
}

TEST_CASE("RecoverOrphanedRuns: the exit its log records decides how the run ended", "[recovery]") {
  TempDir tmp;
  auto store = store::LocalStore::Open(tmp.File("store"));
  REQUIRE(store.ok());
  std::shared_ptr<store::LocalStore> shared = *std::move(store);
  store::RunKey finished = LeftRunning(tmp, shared, "exit0", DeadPid(), 0);
  store::RunKey failed = LeftRunning(tmp, shared, "exit3", DeadPid(), 3);
  Logger log;
  CHECK(RecoverOrphanedRuns(shared, &log) == 2);
  CHECK(RowOf(shared, finished).state == store::RunState::kFinished);
  CHECK(RowOf(shared, finished).exit_code == 0);
  CHECK(RowOf(shared, failed).state == store::RunState::kCrashed);
  CHECK(RowOf(shared, failed).exit_code == 3);
}

TEST_CASE("RecoverOrphanedRuns: a run asked to stop before its daemon died ends as stopped",
          "[recovery]") {
  TempDir tmp;
  auto store = store::LocalStore::Open(tmp.File("store"));
  REQUIRE(store.ok());
  std::shared_ptr<store::LocalStore> shared = *std::move(store);
  // The program died of the stop's SIGINT with its daemon (no exit record), or its daemon
  // wrote the exit (255) and died before the store heard of it.
  store::RunKey no_exit = LeftRunning(tmp, shared, "stopdead", DeadPid());
  store::RunKey with_exit = LeftRunning(tmp, shared, "stop255", DeadPid(), kStoppedExitCode);
  REQUIRE(shared->runs().RequestStop(no_exit).ok());
  REQUIRE(shared->runs().RequestStop(with_exit).ok());
  Logger log;
  CHECK(RecoverOrphanedRuns(shared, &log) == 2);
  for (const store::RunKey& key : {no_exit, with_exit}) {
    INFO(key.ToString());
    store::RunRow row = RowOf(shared, key);
    CHECK(row.state == store::RunState::kStopped);
    CHECK(row.exit_code == kStoppedExitCode);
  }
}

TEST_CASE("RecoverOrphanedRuns: stores every file the log and files/ name, as finish would",
          "[recovery]") {
  TempDir tmp;
  auto store = store::LocalStore::Open(tmp.File("store"));
  REQUIRE(store.ok());
  std::shared_ptr<store::LocalStore> shared = *std::move(store);
  // The training process and its daemon died during or just after save("model.bin"): the
  // daemon had stored none of the run's files.
  std::string files = tmp.File("wandb/run-20260101_000000-files1/files");
  fs::create_directories(files);
  std::ofstream(files + "/model.bin") << std::string(1 << 20, 'w');
  std::ofstream(files + "/config.yaml") << "lr:\n  value: 0.1\n";
  std::ofstream(files + "/wandb-summary.json") << "{\"loss\": 0.5}";
  store::RunKey key = LeftRunning(tmp, shared, "files1", DeadPid(), std::nullopt, {"model.bin"});
  Logger log;
  CHECK(RecoverOrphanedRuns(shared, &log) == 1);
  CHECK(StateOf(shared, key) == store::RunState::kCrashed);
  for (const char* name :
       {"model.bin", "config.yaml", "wandb-summary.json", "wandb-metadata.json"}) {
    INFO(name);
    absl::StatusOr<store::FileVersion> stored = shared->files().Latest(key, name);
    CHECK(stored.ok());
  }
  CHECK(shared->files().Latest(key, "model.bin")->size == 1 << 20);
}

}  // namespace wandb::service
