#include "service/store/local_store.h"

#include <fcntl.h>
#include <signal.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <catch2/catch.hpp>
#include <memory>
#include <optional>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "service/store/sqlite.h"
#include "tests/support/scoped_env.h"
#include "tests/unit/store/store_test_support.h"

namespace wandb::store {
namespace {

using testing::CountFiles;
using testing::ReadBytes;
using testing::RunInChild;
using testing::TempDir;
using testing::WriteBytes;
using ::wandb::testing::ScopedEnv;

constexpr char kMd5Hello[] = "5d41402abc4b2a76b9719d911017c592";

std::unique_ptr<LocalStore> OpenStore(const std::string& dir) {
  absl::StatusOr<std::unique_ptr<LocalStore>> store = LocalStore::Open(dir);
  INFO(store.status().ToString());
  REQUIRE(store.ok());
  return *std::move(store);
}

RunRow MakeRun(const std::string& entity, const std::string& project, const std::string& id) {
  RunRow run;
  run.key = RunKey{entity, project, id};
  run.name = "name-" + id;
  run.notes = "some notes";
  run.group = "sweep-1";
  run.job_type = "train";
  run.tags = {"baseline", "gpu"};
  run.config_json = R"({"lr": 0.001})";
  run.start_time = absl::FromUnixSeconds(1795723221);
  run.host = "node-7";
  run.program = "train.cc";
  return run;
}

void Upsert(LocalStore& store, const RunRow& run) {
  absl::StatusOr<UpsertOutcome> outcome = store.runs().Upsert(run);
  INFO(outcome.status().ToString());
  REQUIRE(outcome.ok());
}

RunRow Get(LocalStore& store, const RunKey& key) {
  absl::StatusOr<RunRow> run = store.runs().Get(key);
  INFO(run.status().ToString());
  REQUIRE(run.ok());
  return *std::move(run);
}

std::vector<HistoryRow> Rows(int64_t first, int64_t last) {
  std::vector<HistoryRow> rows;
  for (int64_t step = first; step <= last; ++step) {
    rows.push_back(HistoryRow{step, absl::StrCat(R"({"_step": )", step, R"(, "loss": 0.5})")});
  }
  return rows;
}

std::vector<int64_t> Steps(const std::vector<HistoryRow>& rows) {
  std::vector<int64_t> steps;
  for (const HistoryRow& row : rows) steps.push_back(row.step);
  return steps;
}

TEST_CASE("store/LocalStore: Open creates a private directory with store.db and blobs",
          "[store][local_store]") {
  TempDir tmp;
  std::string dir = tmp.File("share/wandb-cpp/store");
  std::unique_ptr<LocalStore> store = OpenStore(dir);
  CHECK(store->dir() == dir);
  CHECK(store->database_path() == dir + "/store.db");
  struct stat st;
  REQUIRE(stat(dir.c_str(), &st) == 0);
  CHECK((st.st_mode & 0777) == 0700);
  REQUIRE(stat((dir + "/store.db").c_str(), &st) == 0);
  CHECK((st.st_mode & 0077) == 0);
  CHECK(std::filesystem::is_directory(dir + "/blobs/md5"));
  CHECK(std::filesystem::is_directory(dir + "/blobs/tmp"));
  CHECK(store->SchemaVersion().value_or(-1) == kSchemaVersion);
  CHECK(store->IntegrityCheck().ok());

  // The pragmas that are stored in the file.
  absl::StatusOr<Database> db = Database::Open(dir + "/store.db");
  REQUIRE(db.ok());
  absl::StatusOr<Statement> mode = db->Prepare("PRAGMA journal_mode");
  REQUIRE(mode.ok());
  REQUIRE(mode->Step().value_or(false));
  CHECK(mode->ColumnText(0) == "wal");
}

TEST_CASE("store/LocalStore: a store with a newer schema is refused", "[store][local_store]") {
  TempDir tmp;
  OpenStore(tmp.path());
  {
    absl::StatusOr<Database> db = Database::Open(tmp.File("store.db"));
    REQUIRE(db.ok());
    REQUIRE(db->Exec("PRAGMA user_version = 7").ok());
  }
  absl::StatusOr<std::unique_ptr<LocalStore>> store = LocalStore::Open(tmp.path());
  REQUIRE_FALSE(store.ok());
  CHECK(store.status().code() == absl::StatusCode::kFailedPrecondition);
  CHECK_THAT(std::string(store.status().message()),
             Catch::Contains(absl::StrCat(
                 "has schema version 7; this wandb-cpp knows versions up to ", kSchemaVersion)));
}

TEST_CASE("store/LocalStore: Open on a file that is not a directory fails clearly",
          "[store][local_store]") {
  TempDir tmp;
  WriteBytes(tmp.File("store"), "not a dir");
  absl::StatusOr<std::unique_ptr<LocalStore>> store = LocalStore::Open(tmp.File("store"));
  REQUIRE_FALSE(store.ok());
  CHECK_THAT(std::string(store.status().message()),
             Catch::Contains(tmp.File("store") + " exists and is not a directory"));
}

TEST_CASE("store/LocalStore: DefaultStoreDir follows WANDB_CPP_STORE_DIR, XDG_DATA_HOME, HOME",
          "[store][local_store]") {
  ScopedEnv home("HOME", "/home/alice");
  {
    ScopedEnv store("WANDB_CPP_STORE_DIR", "/data/store");
    ScopedEnv xdg("XDG_DATA_HOME", "/xdg");
    CHECK(DefaultStoreDir().value_or("") == "/data/store");
  }
  {
    ScopedEnv store("WANDB_CPP_STORE_DIR", nullptr);
    ScopedEnv xdg("XDG_DATA_HOME", "/xdg");
    CHECK(DefaultStoreDir().value_or("") == "/xdg/wandb-cpp/store");
  }
  {
    ScopedEnv store("WANDB_CPP_STORE_DIR", "");
    ScopedEnv xdg("XDG_DATA_HOME", "relative/ignored");
    CHECK(DefaultStoreDir().value_or("") == "/home/alice/.local/share/wandb-cpp/store");
  }
  {
    ScopedEnv store("WANDB_CPP_STORE_DIR", nullptr);
    ScopedEnv xdg("XDG_DATA_HOME", nullptr);
    CHECK(DefaultStoreDir().value_or("") == "/home/alice/.local/share/wandb-cpp/store");
  }
}

TEST_CASE("store/LocalStore: UpsertRun creates a run and updates its descriptive fields",
          "[store][local_store]") {
  TempDir tmp;
  std::unique_ptr<LocalStore> store = OpenStore(tmp.path());
  RunRow run = MakeRun("alice", "mnist", "abc123");
  CHECK(store->runs().Upsert(run).value_or(UpsertOutcome::kUpdated) == UpsertOutcome::kCreated);

  RunRow got = Get(*store, run.key);
  CHECK(got.key == run.key);
  CHECK(got.name == "name-abc123");
  CHECK(got.notes == "some notes");
  CHECK(got.group == "sweep-1");
  CHECK(got.job_type == "train");
  CHECK(got.tags == std::vector<std::string>{"baseline", "gpu"});
  CHECK(got.config_json == R"({"lr": 0.001})");
  CHECK(got.summary_json == "{}");
  CHECK(got.state == RunState::kRunning);
  CHECK_FALSE(got.exit_code.has_value());
  CHECK(got.start_time == absl::FromUnixSeconds(1795723221));
  CHECK_FALSE(got.end_time.has_value());
  CHECK(got.host == "node-7");
  CHECK(got.program == "train.cc");
  CHECK_FALSE(got.last_step.has_value());
  CHECK_FALSE(got.stop_requested);

  REQUIRE(store->runs().ReplaceConfig(run.key, R"({"lr": 0.01, "epochs": 3})").ok());
  REQUIRE(store->runs().ReplaceSummary(run.key, R"({"acc": NaN})").ok());
  REQUIRE(store->series().AppendHistory(run.key, Rows(0, 2)).ok());

  // An update changes the descriptive fields and keeps config, summary, history, start.
  RunRow changed = run;
  changed.name = "renamed";
  changed.notes = "";
  changed.tags = {"final"};
  changed.config_json = R"({"ignored": true})";
  changed.start_time = absl::FromUnixSeconds(1);
  CHECK(store->runs().Upsert(changed).value_or(UpsertOutcome::kCreated) == UpsertOutcome::kUpdated);
  got = Get(*store, run.key);
  CHECK(got.name == "renamed");
  CHECK(got.notes.empty());
  CHECK(got.tags == std::vector<std::string>{"final"});
  CHECK(got.config_json == R"({"lr": 0.01, "epochs": 3})");
  CHECK(got.summary_json == R"({"acc": NaN})");
  CHECK(got.start_time == absl::FromUnixSeconds(1795723221));
  CHECK(got.last_step == std::optional<int64_t>(2));
  CHECK(store->series().History(run.key)->size() == 3);
}

TEST_CASE("store/LocalStore: a run without a start time starts now", "[store][local_store]") {
  TempDir tmp;
  std::unique_ptr<LocalStore> store = OpenStore(tmp.path());
  RunRow run;
  run.key = RunKey{"e", "p", "r"};
  absl::Time before = absl::Now();
  Upsert(*store, run);
  absl::Time after = absl::Now();
  RunRow got = Get(*store, run.key);
  CHECK(got.start_time >= before - absl::Milliseconds(1));
  CHECK(got.start_time <= after + absl::Milliseconds(1));
  CHECK(got.tags.empty());
  CHECK(got.config_json == "{}");
}

TEST_CASE("store/LocalStore: FinishRun records the end, and a later upsert resumes the run",
          "[store][local_store]") {
  TempDir tmp;
  std::unique_ptr<LocalStore> store = OpenStore(tmp.path());
  RunRow run = MakeRun("alice", "mnist", "abc123");
  Upsert(*store, run);
  REQUIRE(store->runs().Finish(run.key, 0, RunState::kFinished, absl::Seconds(12.5)).ok());
  RunRow got = Get(*store, run.key);
  CHECK(got.state == RunState::kFinished);
  CHECK(got.exit_code == std::optional<int>(0));
  CHECK(got.runtime == absl::Seconds(12.5));
  REQUIRE(got.end_time.has_value());
  CHECK(*got.end_time == got.heartbeat_time);

  REQUIRE(store->runs().Finish(run.key, 255, RunState::kStopped, absl::Seconds(3)).ok());
  got = Get(*store, run.key);
  CHECK(got.state == RunState::kStopped);
  CHECK(got.exit_code == std::optional<int>(255));

  absl::Status running = store->runs().Finish(run.key, 0, RunState::kRunning, absl::Seconds(1));
  CHECK(running.code() == absl::StatusCode::kInvalidArgument);

  Upsert(*store, run);  // resume
  got = Get(*store, run.key);
  CHECK(got.state == RunState::kRunning);
  CHECK_FALSE(got.exit_code.has_value());
  CHECK_FALSE(got.end_time.has_value());
}

TEST_CASE("store/LocalStore: writes to an unknown run fail with NotFound naming it",
          "[store][local_store]") {
  TempDir tmp;
  std::unique_ptr<LocalStore> store = OpenStore(tmp.path());
  RunKey ghost{"alice", "mnist", "ghost"};
  std::string expected = "run alice/mnist/ghost is not in the local store " + tmp.path();
  std::vector<absl::Status> failures = {
      store->runs().ReplaceConfig(ghost, "{}"),
      store->runs().ReplaceSummary(ghost, "{}"),
      store->series().AppendHistory(ghost, Rows(0, 0)).status(),
      store->runs().Finish(ghost, 1, RunState::kCrashed, absl::Seconds(1)),
      store->runs().RequestStop(ghost),
      store->runs().StopRequested(ghost).status(),
      store->runs().ClearStop(ghost),
      store->runs().Get(ghost).status(),
      store->series().History(ghost).status(),
      store->files().PutBytes(ghost, "a.txt", "x", FilePolicy::kNow).status(),
      store->files().Latest(ghost, "a.txt").status(),
      store->files().List(ghost).status(),
  };
  for (const absl::Status& status : failures) {
    INFO(status.ToString());
    CHECK(status.code() == absl::StatusCode::kNotFound);
    CHECK(std::string(status.message()) == expected);
  }
  CHECK(CountFiles(tmp.File("blobs")) == 0);  // nothing was stored for the unknown run
}

TEST_CASE("store/LocalStore: run keys must have three non-empty parts without '/'",
          "[store][local_store]") {
  TempDir tmp;
  std::unique_ptr<LocalStore> store = OpenStore(tmp.path());
  for (const RunKey& key :
       {RunKey{"", "p", "r"}, RunKey{"e", "", "r"}, RunKey{"e", "p", ""}, RunKey{"e", "p/q", "r"},
        RunKey{"e", "p", "a/b"}, RunKey{"e\n", "p", "r"}}) {
    RunRow run;
    run.key = key;
    absl::StatusOr<UpsertOutcome> outcome = store->runs().Upsert(run);
    INFO(outcome.status().ToString());
    CHECK(outcome.status().code() == absl::StatusCode::kInvalidArgument);
    CHECK(store->runs().Get(key).status().code() == absl::StatusCode::kInvalidArgument);
  }
  CHECK(store->runs().List()->empty());
}

TEST_CASE("store/LocalStore: history is idempotent on (run, step): a re-sent row is ignored",
          "[store][local_store]") {
  TempDir tmp;
  std::unique_ptr<LocalStore> store = OpenStore(tmp.path());
  RunRow run = MakeRun("alice", "mnist", "abc123");
  Upsert(*store, run);

  CHECK(store->series().AppendHistory(run.key, Rows(0, 4)).value_or(-1) == 5);
  // After a daemon crash the sender re-sends from the log: overlapping steps 3 and 4.
  CHECK(store->series().AppendHistory(run.key, Rows(3, 7)).value_or(-1) == 3);
  CHECK(store->series().AppendHistory(run.key, Rows(0, 7)).value_or(-1) == 0);
  // A different row for a stored step does not replace the first one.
  std::vector<HistoryRow> clash = {{2, R"({"_step": 2, "loss": 99})"}};
  CHECK(store->series().AppendHistory(run.key, clash).value_or(-1) == 0);
  CHECK(store->series().AppendHistory(run.key, {}).value_or(-1) == 0);

  absl::StatusOr<std::vector<HistoryRow>> rows = store->series().History(run.key);
  REQUIRE(rows.ok());
  CHECK(Steps(*rows) == std::vector<int64_t>{0, 1, 2, 3, 4, 5, 6, 7});
  CHECK((*rows)[2].row_json == R"({"_step": 2, "loss": 0.5})");
  CHECK(Get(*store, run.key).last_step == std::optional<int64_t>(7));

  // Steps out of order still land in step order; last_step is the highest.
  std::vector<HistoryRow> late = {{20, "{}"}, {10, "{}"}};
  CHECK(store->series().AppendHistory(run.key, late).value_or(-1) == 2);
  CHECK(Get(*store, run.key).last_step == std::optional<int64_t>(20));
  CHECK(Steps(*store->series().History(run.key)).back() == 20);
}

TEST_CASE("store/LocalStore: a batch with a bad row stores nothing", "[store][local_store]") {
  TempDir tmp;
  std::unique_ptr<LocalStore> store = OpenStore(tmp.path());
  RunRow run = MakeRun("alice", "mnist", "abc123");
  Upsert(*store, run);
  std::vector<HistoryRow> rows = Rows(0, 3);
  rows.push_back(HistoryRow{-1, "{}"});
  absl::StatusOr<int> added = store->series().AppendHistory(run.key, rows);
  CHECK(added.status().code() == absl::StatusCode::kInvalidArgument);
  CHECK(std::string(added.status().message()) ==
        "history step -1 for run alice/mnist/abc123 is negative");
  CHECK(store->series().History(run.key)->empty());
  CHECK_FALSE(Get(*store, run.key).last_step.has_value());
}

TEST_CASE("store/LocalStore: histories of different runs are kept apart", "[store][local_store]") {
  TempDir tmp;
  std::unique_ptr<LocalStore> store = OpenStore(tmp.path());
  RunRow a = MakeRun("alice", "mnist", "aaa");
  RunRow b = MakeRun("alice", "mnist", "bbb");
  Upsert(*store, a);
  Upsert(*store, b);
  REQUIRE(store->series().AppendHistory(a.key, Rows(0, 9)).ok());
  REQUIRE(store->series().AppendHistory(b.key, Rows(0, 2)).ok());
  CHECK(store->series().History(a.key)->size() == 10);
  CHECK(store->series().History(b.key)->size() == 3);
}

TEST_CASE("store/LocalStore: file versions: same content adds nothing, new content adds version 2",
          "[store][local_store]") {
  TempDir tmp;
  std::unique_ptr<LocalStore> store = OpenStore(tmp.File("store"));
  RunRow run = MakeRun("alice", "mnist", "abc123");
  Upsert(*store, run);

  absl::StatusOr<PutFileResult> v1 =
      store->files().PutBytes(run.key, "ckpt/model.pt", "hello", FilePolicy::kLive);
  REQUIRE(v1.ok());
  CHECK(v1->version == 1);
  CHECK(v1->md5 == kMd5Hello);
  CHECK(v1->size == 5);
  CHECK(v1->stored_new_blob);
  CHECK_FALSE(v1->unchanged);

  WriteBytes(tmp.File("model.pt"), "hello");
  absl::StatusOr<PutFileResult> same =
      store->files().Put(run.key, "ckpt/model.pt", tmp.File("model.pt"), FilePolicy::kLive);
  REQUIRE(same.ok());
  CHECK(same->version == 1);
  CHECK(same->unchanged);
  CHECK_FALSE(same->stored_new_blob);

  WriteBytes(tmp.File("model.pt"), "hello, world");
  absl::StatusOr<PutFileResult> v2 =
      store->files().Put(run.key, "ckpt/model.pt", tmp.File("model.pt"), FilePolicy::kEnd);
  REQUIRE(v2.ok());
  CHECK(v2->version == 2);
  CHECK_FALSE(v2->unchanged);
  CHECK(v2->stored_new_blob);

  // Going back to the first content is a new version, stored with the old blob.
  absl::StatusOr<PutFileResult> v3 =
      store->files().PutBytes(run.key, "ckpt/model.pt", "hello", FilePolicy::kNow);
  REQUIRE(v3.ok());
  CHECK(v3->version == 3);
  CHECK_FALSE(v3->stored_new_blob);

  absl::StatusOr<FileVersion> latest = store->files().Latest(run.key, "ckpt/model.pt");
  REQUIRE(latest.ok());
  CHECK(latest->path == "ckpt/model.pt");
  CHECK(latest->version == 3);
  CHECK(latest->md5 == kMd5Hello);
  CHECK(latest->size == 5);
  CHECK(latest->policy == FilePolicy::kNow);
  CHECK(latest->blob_path == tmp.File("store/blobs/md5/5d/41402abc4b2a76b9719d911017c592"));
  CHECK(ReadBytes(latest->blob_path) == "hello");

  absl::StatusOr<std::vector<FileVersion>> versions =
      store->files().Versions(run.key, "ckpt/model.pt");
  REQUIRE(versions.ok());
  REQUIRE(versions->size() == 3);
  CHECK((*versions)[1].version == 2);
  CHECK((*versions)[1].policy == FilePolicy::kEnd);
  CHECK(ReadBytes((*versions)[1].blob_path) == "hello, world");
  CHECK(CountFiles(tmp.File("store/blobs/md5")) == 2);
  CHECK(CountFiles(tmp.File("store/blobs/tmp")) == 0);
}

TEST_CASE("store/LocalStore: ListFiles gives the latest version of each file, by path",
          "[store][local_store]") {
  TempDir tmp;
  std::unique_ptr<LocalStore> store = OpenStore(tmp.path());
  RunRow run = MakeRun("alice", "mnist", "abc123");
  RunRow other = MakeRun("alice", "mnist", "other");
  Upsert(*store, run);
  Upsert(*store, other);
  REQUIRE(store->files().PutBytes(run.key, "z.txt", "1", FilePolicy::kNow).ok());
  REQUIRE(store->files().PutBytes(run.key, "a/b.txt", "1", FilePolicy::kLive).ok());
  REQUIRE(store->files().PutBytes(run.key, "z.txt", "2", FilePolicy::kNow).ok());
  // The same content in another run is a new file there but no new blob.
  absl::StatusOr<PutFileResult> shared =
      store->files().PutBytes(other.key, "z.txt", "2", FilePolicy::kEnd);
  REQUIRE(shared.ok());
  CHECK(shared->version == 1);
  CHECK_FALSE(shared->stored_new_blob);

  absl::StatusOr<std::vector<FileVersion>> files = store->files().List(run.key);
  REQUIRE(files.ok());
  REQUIRE(files->size() == 2);
  CHECK((*files)[0].path == "a/b.txt");
  CHECK((*files)[0].version == 1);
  CHECK((*files)[1].path == "z.txt");
  CHECK((*files)[1].version == 2);
  CHECK(ReadBytes((*files)[1].blob_path) == "2");
  CHECK(store->files().List(other.key)->size() == 1);
}

TEST_CASE("store/LocalStore: missing files and bad file paths are clear errors",
          "[store][local_store]") {
  TempDir tmp;
  std::unique_ptr<LocalStore> store = OpenStore(tmp.File("store"));
  RunRow run = MakeRun("alice", "mnist", "abc123");
  Upsert(*store, run);

  absl::StatusOr<FileVersion> none = store->files().Latest(run.key, "weights.h5");
  CHECK(none.status().code() == absl::StatusCode::kNotFound);
  CHECK(std::string(none.status().message()) ==
        "file weights.h5 is not in run alice/mnist/abc123 of the local store");
  CHECK(store->files().Versions(run.key, "weights.h5")->empty());
  CHECK(store->files().List(run.key)->empty());

  for (const char* bad : {"", "/etc/passwd", "../up.txt", "a/../../b", "a//b", "./a", "a/"}) {
    INFO(bad);
    absl::StatusOr<PutFileResult> put =
        store->files().PutBytes(run.key, bad, "x", FilePolicy::kNow);
    CHECK(put.status().code() == absl::StatusCode::kInvalidArgument);
    CHECK(store->files().Latest(run.key, bad).status().code() ==
          absl::StatusCode::kInvalidArgument);
  }

  absl::StatusOr<PutFileResult> missing =
      store->files().Put(run.key, "a.txt", tmp.File("nope.txt"), FilePolicy::kNow);
  CHECK(missing.status().code() == absl::StatusCode::kNotFound);
  CHECK(std::string(missing.status().message()) ==
        "cannot store file a.txt of run alice/mnist/abc123: cannot open " + tmp.File("nope.txt") +
            ": No such file or directory");
  CHECK(CountFiles(tmp.File("store/blobs")) == 0);
}

TEST_CASE("store/LocalStore: FindRun by id, project/id and entity/project/id",
          "[store][local_store]") {
  TempDir tmp;
  std::unique_ptr<LocalStore> store = OpenStore(tmp.path());
  Upsert(*store, MakeRun("alice", "mnist", "abc123"));
  Upsert(*store, MakeRun("alice", "mnist", "shared"));
  Upsert(*store, MakeRun("bob", "cifar", "shared"));

  absl::StatusOr<RunRow> by_id = store->runs().Find("abc123");
  REQUIRE(by_id.ok());
  CHECK(by_id->key == RunKey{"alice", "mnist", "abc123"});
  CHECK(store->runs().Find("mnist/abc123")->key == RunKey{"alice", "mnist", "abc123"});
  CHECK(store->runs().Find("alice/mnist/abc123")->key == RunKey{"alice", "mnist", "abc123"});
  CHECK(store->runs().Find("bob/cifar/shared")->key == RunKey{"bob", "cifar", "shared"});
  CHECK(store->runs().Find("cifar/shared")->key == RunKey{"bob", "cifar", "shared"});

  absl::StatusOr<RunRow> ambiguous = store->runs().Find("shared");
  CHECK(ambiguous.status().code() == absl::StatusCode::kInvalidArgument);
  CHECK(std::string(ambiguous.status().message()) ==
        "run reference 'shared' is ambiguous: 2 runs match (alice/mnist/shared, "
        "bob/cifar/shared); use entity/project/id");

  absl::StatusOr<RunRow> missing = store->runs().Find("nosuch");
  CHECK(missing.status().code() == absl::StatusCode::kNotFound);
  CHECK(std::string(missing.status().message()) ==
        "no run 'nosuch' in the local store " + tmp.path());
  CHECK(store->runs().Find("alice/cifar/shared").status().code() == absl::StatusCode::kNotFound);

  for (const char* bad : {"", "/abc", "a//b", "a/b/c/d", "abc/"}) {
    INFO(bad);
    CHECK(store->runs().Find(bad).status().code() == absl::StatusCode::kInvalidArgument);
  }
}

TEST_CASE("store/LocalStore: ListRuns gives state, exit code, start and duration, oldest first",
          "[store][local_store]") {
  TempDir tmp;
  std::unique_ptr<LocalStore> store = OpenStore(tmp.path());
  RunRow late = MakeRun("alice", "mnist", "late");
  late.start_time = absl::FromUnixSeconds(2000000000);
  RunRow early = MakeRun("alice", "mnist", "early");
  early.start_time = absl::FromUnixSeconds(1000000000);
  RunRow other = MakeRun("bob", "mnist", "other");
  RunRow cifar = MakeRun("alice", "cifar", "c");
  for (const RunRow& run : {late, early, other, cifar}) Upsert(*store, run);
  REQUIRE(store->runs().Finish(early.key, 1, RunState::kCrashed, absl::Seconds(42)).ok());

  absl::StatusOr<std::vector<RunRow>> all = store->runs().List();
  REQUIRE(all.ok());
  REQUIRE(all->size() == 4);
  CHECK((*all)[0].key.id == "early");
  CHECK((*all)[0].state == RunState::kCrashed);
  CHECK((*all)[0].exit_code == std::optional<int>(1));
  CHECK((*all)[0].runtime == absl::Seconds(42));
  CHECK((*all)[3].key.id == "late");
  CHECK((*all)[3].state == RunState::kRunning);
  CHECK((*all)[3].runtime >= absl::ZeroDuration());

  CHECK(store->runs().List("mnist")->size() == 3);
  CHECK(store->runs().List("alice/mnist")->size() == 2);
  CHECK(store->runs().List("bob/cifar")->empty());
  CHECK(store->runs().List("a/b/c").status().code() == absl::StatusCode::kInvalidArgument);
}

TEST_CASE("store/LocalStore: a stop request round-trips and a resumed run forgets it",
          "[store][local_store]") {
  TempDir tmp;
  std::unique_ptr<LocalStore> store = OpenStore(tmp.path());
  RunRow run = MakeRun("alice", "mnist", "abc123");
  Upsert(*store, run);
  CHECK(store->runs().StopRequested(run.key).value_or(true) == false);

  absl::Time before = absl::Now();
  REQUIRE(store->runs().RequestStop(run.key).ok());
  CHECK(store->runs().StopRequested(run.key).value_or(false));
  RunRow got = Get(*store, run.key);
  CHECK(got.stop_requested);
  REQUIRE(got.stop_requested_time.has_value());
  CHECK(*got.stop_requested_time >= before - absl::Milliseconds(1));
  absl::Time first_request = *got.stop_requested_time;
  REQUIRE(store->runs().RequestStop(run.key).ok());  // again: keeps the first time
  CHECK(Get(*store, run.key).stop_requested_time == first_request);

  // A re-sent RunRecord of the live run keeps the request.
  Upsert(*store, run);
  CHECK(store->runs().StopRequested(run.key).value_or(false));

  REQUIRE(store->runs().ClearStop(run.key).ok());
  CHECK(store->runs().StopRequested(run.key).value_or(true) == false);
  CHECK_FALSE(Get(*store, run.key).stop_requested_time.has_value());

  REQUIRE(store->runs().RequestStop(run.key).ok());
  REQUIRE(store->runs().Finish(run.key, 255, RunState::kStopped, absl::Seconds(5)).ok());
  absl::Status again = store->runs().RequestStop(run.key);
  CHECK(again.code() == absl::StatusCode::kFailedPrecondition);
  CHECK(std::string(again.message()) ==
        "cannot request a stop of run alice/mnist/abc123: it is not running (stopped)");
  Upsert(*store, run);  // resumed
  CHECK(store->runs().StopRequested(run.key).value_or(true) == false);
}

TEST_CASE("store/LocalStore: threads writing different runs through one store",
          "[store][local_store]") {
  TempDir tmp;
  std::unique_ptr<LocalStore> store = OpenStore(tmp.path());
  constexpr int kThreads = 4;
  constexpr int kBatches = 25;
  std::vector<std::thread> threads;
  std::vector<absl::Status> results(kThreads);
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      RunRow run = MakeRun("alice", "mnist", "run" + std::to_string(t));
      absl::Status status = store->runs().Upsert(run).status();
      for (int b = 0; b < kBatches && status.ok(); ++b) {
        status = store->series().AppendHistory(run.key, Rows(b * 10, b * 10 + 9)).status();
        if (status.ok())
          status = store->runs().ReplaceSummary(run.key, absl::StrCat(R"({"b": )", b, "}"));
        if (status.ok()) {
          status = store->files()
                       .PutBytes(run.key, "out.txt", absl::StrCat(t, "-", b), FilePolicy::kLive)
                       .status();
        }
        if (status.ok()) status = store->runs().StopRequested(run.key).status();
      }
      results[t] = status;
    });
  }
  for (std::thread& thread : threads) thread.join();
  for (int t = 0; t < kThreads; ++t) {
    INFO(results[t].ToString());
    REQUIRE(results[t].ok());
    RunKey key{"alice", "mnist", "run" + std::to_string(t)};
    CHECK(store->series().History(key)->size() == kBatches * 10);
    CHECK(Get(*store, key).summary_json == absl::StrCat(R"({"b": )", kBatches - 1, "}"));
    CHECK(store->files().Latest(key, "out.txt")->version == kBatches);
  }
  CHECK(store->IntegrityCheck().ok());
}

TEST_CASE("store/LocalStore: everything written is there after reopening, from another process",
          "[store][local_store]") {
  TempDir tmp;
  std::string dir = tmp.File("store");
  // The writer is a child process that exits; the parent then opens the store afresh.
  int code = RunInChild([&] {
    absl::StatusOr<std::unique_ptr<LocalStore>> store = LocalStore::Open(dir);
    if (!store.ok()) return 1;
    RunRow run = MakeRun("alice", "mnist", "abc123");
    if (!(*store)->runs().Upsert(run).ok()) return 2;
    if (!(*store)->runs().ReplaceConfig(run.key, R"({"lr": 0.1})").ok()) return 3;
    if (!(*store)->series().AppendHistory(run.key, Rows(0, 99)).ok()) return 4;
    if (!(*store)->runs().ReplaceSummary(run.key, R"({"loss": 0.5})").ok()) return 5;
    if (!(*store)->files().PutBytes(run.key, "config.yaml", "hello", FilePolicy::kNow).ok()) {
      return 6;
    }
    if (!(*store)->runs().Finish(run.key, 0, RunState::kFinished, absl::Seconds(9)).ok()) return 7;
    return 0;
  });
  REQUIRE(code == 0);

  for (int round = 0; round < 2; ++round) {  // and once more after this process reopens it
    std::unique_ptr<LocalStore> store = OpenStore(dir);
    CHECK(store->IntegrityCheck().ok());
    RunRow got = Get(*store, RunKey{"alice", "mnist", "abc123"});
    CHECK(got.config_json == R"({"lr": 0.1})");
    CHECK(got.summary_json == R"({"loss": 0.5})");
    CHECK(got.state == RunState::kFinished);
    CHECK(got.exit_code == std::optional<int>(0));
    CHECK(got.runtime == absl::Seconds(9));
    CHECK(got.last_step == std::optional<int64_t>(99));
    CHECK(store->series().History(got.key)->size() == 100);
    absl::StatusOr<FileVersion> file = store->files().Latest(got.key, "config.yaml");
    REQUIRE(file.ok());
    CHECK(ReadBytes(file->blob_path) == "hello");
    CHECK(store->blobs().Verify(file->md5).ok());
  }
}

TEST_CASE("store/LocalStore: another process opens and reads while a write transaction is open",
          "[store][local_store]") {
  TempDir tmp;
  std::unique_ptr<LocalStore> store = OpenStore(tmp.path());
  RunRow run = MakeRun("alice", "mnist", "abc123");
  Upsert(*store, run);
  REQUIRE(store->series().AppendHistory(run.key, Rows(0, 9)).ok());

  // A second connection holds the write lock with an uncommitted row, as the daemon does in
  // the middle of a batch.
  absl::StatusOr<Database> writer = Database::Open(tmp.File("store.db"));
  REQUIRE(writer.ok());
  absl::StatusOr<Transaction> txn = Transaction::Begin(*writer, Transaction::Mode::kImmediate);
  REQUIRE(txn.ok());
  REQUIRE(writer->Exec("INSERT INTO history (run, step, row) SELECT id, 10, '{}' FROM runs").ok());

  int code = RunInChild([&] {
    absl::StatusOr<std::unique_ptr<LocalStore>> reader = LocalStore::Open(tmp.path());
    if (!reader.ok()) return 1;
    absl::StatusOr<RunRow> found = (*reader)->runs().Find("abc123");
    if (!found.ok() || found->last_step != std::optional<int64_t>(9)) return 2;
    absl::StatusOr<std::vector<HistoryRow>> rows = (*reader)->series().History(found->key);
    if (!rows.ok() || rows->size() != 10) return 3;  // the uncommitted row is not seen
    absl::StatusOr<std::vector<RunRow>> runs = (*reader)->runs().List();
    if (!runs.ok() || runs->size() != 1) return 4;
    return 0;
  });
  CHECK(code == 0);
  REQUIRE(txn->Commit().ok());
  CHECK(store->series().History(run.key)->size() == 11);
}

TEST_CASE("store/LocalStore: a reader process sees only whole batches while this one writes",
          "[store][local_store]") {
  TempDir tmp;
  std::unique_ptr<LocalStore> store = OpenStore(tmp.path());
  RunRow run = MakeRun("alice", "mnist", "abc123");
  Upsert(*store, run);
  constexpr int kBatch = 20;
  constexpr int kBatches = 60;
  constexpr int64_t kLastStep = kBatch * kBatches - 1;

  int done[2];  // closed by the parent when it has written everything
  REQUIRE(pipe(done) == 0);
  pid_t reader = fork();
  REQUIRE(reader >= 0);
  if (reader == 0) {
    close(done[1]);
    // Polled between reads of the store: EAGAIN while the parent writes, EOF once it is done.
    if (fcntl(done[0], F_SETFL, O_NONBLOCK) != 0) _exit(6);
    absl::StatusOr<std::unique_ptr<LocalStore>> mine = LocalStore::Open(tmp.path());
    if (!mine.ok()) _exit(1);
    bool writer_done = false;
    while (true) {
      if (!writer_done) {
        char byte;
        writer_done = read(done[0], &byte, 1) == 0;
      }
      absl::StatusOr<std::vector<HistoryRow>> rows = (*mine)->series().History(run.key);
      if (!rows.ok()) _exit(2);
      if (rows->size() % kBatch != 0) _exit(3);  // half a batch
      for (size_t i = 0; i < rows->size(); ++i) {
        if ((*rows)[i].step != static_cast<int64_t>(i)) _exit(4);
      }
      if (!rows->empty() && rows->back().step == kLastStep) _exit(0);
      if (writer_done) _exit(5);  // the writer finished but its rows are not all visible
    }
  }
  close(done[0]);
  for (int b = 0; b < kBatches; ++b) {
    REQUIRE(store->series().AppendHistory(run.key, Rows(b * kBatch, b * kBatch + kBatch - 1)).ok());
  }
  close(done[1]);
  int status = 0;
  REQUIRE(waitpid(reader, &status, 0) == reader);
  REQUIRE(WIFEXITED(status));
  CHECK(WEXITSTATUS(status) == 0);
}

TEST_CASE("store/LocalStore: after a writer is killed with SIGKILL the store holds whole rows only",
          "[store][local_store]") {
  TempDir tmp;
  std::string dir = tmp.File("store");
  constexpr int kBatch = 10;
  auto row_json = [](int64_t step) {
    return absl::StrCat(R"({"_step": )", step, R"(, "pad": ")", std::string(300, 'a' + step % 26),
                        R"("})");
  };
  int progress[2];
  REQUIRE(pipe(progress) == 0);
  pid_t writer = fork();
  REQUIRE(writer >= 0);
  if (writer == 0) {
    close(progress[0]);
    absl::StatusOr<std::unique_ptr<LocalStore>> store = LocalStore::Open(dir);
    if (!store.ok()) _exit(1);
    RunRow run = MakeRun("alice", "mnist", "abc123");
    if (!(*store)->runs().Upsert(run).ok()) _exit(2);
    std::string big(200000, 'x');
    for (int64_t batch = 0;; ++batch) {
      std::vector<HistoryRow> rows;
      for (int64_t step = batch * kBatch; step < (batch + 1) * kBatch; ++step) {
        rows.push_back(HistoryRow{step, row_json(step)});
      }
      if (!(*store)->series().AppendHistory(run.key, rows).ok()) _exit(3);
      std::string last = absl::StrCat(R"({"last": )", (batch + 1) * kBatch - 1, "}");
      if (!(*store)->runs().ReplaceSummary(run.key, last).ok()) _exit(4);
      // A file that changes every batch: a new blob and a new version each time.
      big.replace(0, 20, absl::StrCat(batch, "                    ").substr(0, 20));
      if (!(*store)->files().PutBytes(run.key, "ckpt.bin", big, FilePolicy::kLive).ok()) _exit(5);
      if (batch < 30) (void)!write(progress[1], "b", 1);  // the parent waits for 30 batches
    }
  }
  close(progress[1]);
  for (int seen = 0; seen < 30;) {
    char buffer[64];
    ssize_t n = read(progress[0], buffer, sizeof(buffer));
    REQUIRE(n > 0);  // 0 would mean the writer died on its own
    seen += static_cast<int>(n);
  }
  close(progress[0]);
  REQUIRE(kill(writer, SIGKILL) == 0);
  int status = 0;
  REQUIRE(waitpid(writer, &status, 0) == writer);
  REQUIRE(WIFSIGNALED(status));

  std::unique_ptr<LocalStore> store = OpenStore(dir);
  absl::Status integrity = store->IntegrityCheck();
  INFO(integrity.ToString());
  REQUIRE(integrity.ok());
  CHECK(CountFiles(dir + "/blobs/tmp") == 0);  // a put cut short was swept by Open

  RunKey key{"alice", "mnist", "abc123"};
  RunRow run = Get(*store, key);
  absl::StatusOr<std::vector<HistoryRow>> rows = store->series().History(key);
  REQUIRE(rows.ok());
  REQUIRE(rows->size() >= 30 * kBatch);
  CHECK(rows->size() % kBatch == 0);  // whole batches
  for (size_t i = 0; i < rows->size(); ++i) {
    REQUIRE((*rows)[i].step == static_cast<int64_t>(i));
    REQUIRE((*rows)[i].row_json == row_json(static_cast<int64_t>(i)));
  }
  const int64_t last_step = rows->back().step;
  CHECK(run.last_step == std::optional<int64_t>(last_step));
  // The summary is written after the batch: the last batch's or the one before.
  CHECK((run.summary_json == absl::StrCat(R"({"last": )", last_step, "}") ||
         run.summary_json == absl::StrCat(R"({"last": )", last_step - kBatch, "}")));

  absl::StatusOr<std::vector<FileVersion>> versions = store->files().Versions(key, "ckpt.bin");
  REQUIRE(versions.ok());
  REQUIRE(versions->size() >= 30);
  for (size_t i = 0; i < versions->size(); ++i) {
    const FileVersion& v = (*versions)[i];
    CHECK(v.version == static_cast<int>(i) + 1);
    CHECK(v.size == 200000);
    INFO(v.blob_path);
    CHECK(store->blobs().Verify(v.md5).ok());  // a recorded version's blob is whole
  }

  // The store keeps working where the writer stopped.
  std::vector<HistoryRow> next = {{last_step + 1, row_json(last_step + 1)}};
  CHECK(store->series().AppendHistory(key, next).value_or(0) == 1);
}

}  // namespace
}  // namespace wandb::store

namespace wandb::store {

TEST_CASE("store/LocalStore: system metric samples are stored once each, in time order",
          "[store][local_store]") {
  TempDir tmp;
  std::unique_ptr<LocalStore> store = OpenStore(tmp.path());
  RunRow run = MakeRun("alice", "mnist", "stats1");
  Upsert(*store, run);
  std::vector<SystemMetricsRow> rows = {{absl::FromUnixSeconds(200), R"({"system.cpu": 20.5})"},
                                        {absl::FromUnixSeconds(100), R"({"system.cpu": 10.0})"}};
  CHECK(store->series().AppendSystemMetrics(run.key, rows).value_or(-1) == 2);
  // A replay sends the same samples again: nothing is stored twice.
  CHECK(store->series().AppendSystemMetrics(run.key, rows).value_or(-1) == 0);
  absl::StatusOr<std::vector<SystemMetricsRow>> stored = store->series().SystemMetrics(run.key);
  REQUIRE(stored.ok());
  REQUIRE(stored->size() == 2);
  CHECK((*stored)[0].timestamp == absl::FromUnixSeconds(100));
  CHECK((*stored)[1].row_json == R"({"system.cpu": 20.5})");
  CHECK_FALSE(store->series().AppendSystemMetrics(RunKey{"a", "b", "missing"}, rows).ok());
}

TEST_CASE("store/LocalStore: console lines are stored once each, in the order written",
          "[store][local_store]") {
  TempDir tmp;
  std::unique_ptr<LocalStore> store = OpenStore(tmp.path());
  RunRow run = MakeRun("alice", "mnist", "console1");
  Upsert(*store, run);
  absl::Time t = absl::FromUnixSeconds(1000);
  absl::Duration ns = absl::Nanoseconds(1);
  std::vector<ConsoleLine> first = {{t, false, "epoch 1"},
                                    {t + ns, true, "warning: slow"},
                                    {t + 2 * ns, false, "epoch 1"}};  // the same text again
  CHECK(store->series().AppendConsole(run.key, first).value_or(-1) == 3);
  // A replay sends lines again, new ones after them: each is stored once.
  std::vector<ConsoleLine> replay = {{t + 2 * ns, false, "epoch 1"},
                                     {t + absl::Seconds(1), false, "epoch 2"}};
  CHECK(store->series().AppendConsole(run.key, replay).value_or(-1) == 1);
  // Lines stored out of order (a session recovered late) are read back in time order.
  std::vector<ConsoleLine> earlier = {{t - absl::Seconds(5), false, "before"}};
  CHECK(store->series().AppendConsole(run.key, earlier).value_or(-1) == 1);

  absl::StatusOr<std::vector<ConsoleLine>> stored = store->series().Console(run.key);
  REQUIRE(stored.ok());
  std::vector<std::string> lines;
  for (const ConsoleLine& line : *stored) lines.push_back(line.line);
  CHECK(lines ==
        std::vector<std::string>{"before", "epoch 1", "warning: slow", "epoch 1", "epoch 2"});
  CHECK((*stored)[2].is_stderr);
  CHECK_FALSE((*stored)[1].is_stderr);
  // Times come back to the nanosecond.
  CHECK((*stored)[3].timestamp == t + 2 * ns);
  CHECK_FALSE(store->series().AppendConsole(RunKey{"a", "b", "missing"}, first).ok());
}

TEST_CASE("store/LocalStore: a version 1 store gains the console table when opened",
          "[store][local_store]") {
  TempDir tmp;
  RunRow run = MakeRun("alice", "mnist", "old1");
  {
    std::unique_ptr<LocalStore> store = OpenStore(tmp.path());
    Upsert(*store, run);
  }
  {
    // As a wandb-cpp of schema 1 left it.
    absl::StatusOr<Database> db = Database::Open(tmp.File("store.db"));
    REQUIRE(db.ok());
    // The later versions' tables go too.
    REQUIRE(db->Exec("DROP TABLE artifact_usage; DROP TABLE artifact_logs; "
                     "DROP TABLE artifact_aliases; DROP TABLE artifact_files; "
                     "DROP TABLE artifact_versions; DROP TABLE artifacts; "
                     "DROP TABLE console_lines; PRAGMA user_version = 1")
                .ok());
  }
  std::unique_ptr<LocalStore> store = OpenStore(tmp.path());
  CHECK(store->SchemaVersion().value_or(-1) == kSchemaVersion);
  std::vector<ConsoleLine> lines = {{absl::FromUnixSeconds(1), false, "hello"}};
  CHECK(store->series().AppendConsole(run.key, lines).value_or(-1) == 1);
  CHECK(store->IntegrityCheck().ok());
}

}  // namespace wandb::store
