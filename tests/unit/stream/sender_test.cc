#include "service/stream/sender.h"

#include <catch2/catch.hpp>
#include <filesystem>
#include <memory>
#include <numeric>
#include <vector>

#include "absl/synchronization/mutex.h"
#include "absl/time/clock.h"
#include "common/txlog/log_writer.h"
#include "service/backend/local_backend.h"
#include "service/replay/log_replayer.h"
#include "service/store/local_store.h"
#include "tests/support/temp_dir.h"
#include "wandb/records.pb.h"

namespace wandb::service {
namespace {

namespace fs = std::filesystem;
using ::wandb::testing::TempDir;

// The local store behind a slow link: each batch of rows takes `delay` more, as a remote
// backend's round trip would. Someone asks for the run to stop while the first batch is on
// its way (so, after the sender's first stop poll); it notes how many rows it had taken when it
// first answered that a stop was requested.
class SlowStore final : public Backend {
 public:
  SlowStore(std::shared_ptr<store::LocalStore> store, store::RunKey run, absl::Duration delay)
      : store_(std::move(store)), run_(run), local_(store_, std::move(run)), delay_(delay) {}

  // -1 until StopRequested() answered true.
  int64_t rows_when_stop_seen() const {
    absl::MutexLock lock(&mu_);
    return rows_when_stop_seen_;
  }

  bool wants_data() const override { return true; }
  absl::Status UpsertRun(const records::RunRecord& run, absl::string_view run_dir) override {
    return local_.UpsertRun(run, run_dir);
  }
  absl::Status ReplaceConfig(absl::string_view config_json) override {
    return local_.ReplaceConfig(config_json);
  }
  absl::Status ReplaceSummary(absl::string_view summary_json) override {
    return local_.ReplaceSummary(summary_json);
  }
  absl::Status AppendHistory(absl::Span<const store::HistoryRow> rows) override {
    absl::SleepFor(delay_);
    absl::Status status = local_.AppendHistory(rows);
    if (!status.ok()) return status;
    absl::MutexLock lock(&mu_);
    if (rows_taken_ == 0) status = store_->runs().RequestStop(run_);
    rows_taken_ += static_cast<int64_t>(rows.size());
    return status;
  }
  absl::Status AppendSystemMetrics(absl::Span<const store::SystemMetricsRow> rows) override {
    return local_.AppendSystemMetrics(rows);
  }
  absl::Status AppendConsole(absl::Span<const store::ConsoleLine> lines) override {
    return local_.AppendConsole(lines);
  }
  absl::Status SetLogOffset(uint64_t offset) override { return local_.SetLogOffset(offset); }
  absl::StatusOr<FileUploadResult> UploadFile(const FileUpload& file) override {
    return local_.UploadFile(file);
  }
  absl::StatusOr<ArtifactLogged> LogArtifact(const records::ArtifactRecord& artifact) override {
    return local_.LogArtifact(artifact);
  }
  absl::StatusOr<bool> StopRequested() override {
    absl::StatusOr<bool> stop = local_.StopRequested();
    absl::MutexLock lock(&mu_);
    if (stop.ok() && *stop && rows_when_stop_seen_ < 0) rows_when_stop_seen_ = rows_taken_;
    return stop;
  }
  absl::Duration stop_poll_interval() const override { return local_.stop_poll_interval(); }
  absl::Status FinishRun(const RunEnd& end, absl::Duration runtime) override {
    return local_.FinishRun(end, runtime);
  }

 private:
  std::shared_ptr<store::LocalStore> store_;
  const store::RunKey run_;
  LocalBackend local_;
  const absl::Duration delay_;
  mutable absl::Mutex mu_;
  int64_t rows_taken_ ABSL_GUARDED_BY(mu_) = 0;
  int64_t rows_when_stop_seen_ ABSL_GUARDED_BY(mu_) = -1;
};

// A run's log as a program that logged `rows` rows left it: more than the backend takes
// before the next stop poll.
void WriteLog(const std::string& path, const std::string& id, int rows) {
  auto writer = txlog::LogWriter::Create(path);
  REQUIRE(writer.ok());
  records::Record record;
  record.mutable_header();
  REQUIRE((*writer)->Append(record.SerializeAsString()).ok());
  record.Clear();
  record.mutable_run()->set_run_id(id);
  record.mutable_run()->set_project("proj");
  REQUIRE((*writer)->Append(record.SerializeAsString()).ok());
  absl::Status status;
  for (int step = 0; step < rows && status.ok(); ++step) {
    record.Clear();
    records::HistoryItem* item = record.mutable_history()->add_item();
    item->set_key("loss");
    item->set_value_json(std::to_string(step));
    record.mutable_history()->mutable_step()->set_num(step);
    status = (*writer)->Append(record.SerializeAsString());
  }
  if (status.ok()) status = (*writer)->Close();
  REQUIRE(status.ok());
}

}  // namespace

TEST_CASE("a stop request reaches the sender while it works through a backlog", "[sender]") {
  // A program that logs faster than its backend takes rows keeps the log ahead of the sender
  // for as long as it logs. Here the log holds 40 batches, each taking at least 50 ms: the
  // stop, asked during the first, must be read between batches (the store's stop poll
  // interval is 100 ms), not once the sender reached the log's end. Earlier, a program
  // without a SIGINT handler logging flat out was never stopped (issue 11).
  TempDir tmp;
  const std::string id = "backlog1";
  const std::string dir = tmp.File("run-" + id);
  fs::create_directories(dir + "/files");
  constexpr int kRows = 40 * 4096;
  WriteLog(dir + "/run-" + id + ".wandb", id, kRows);
  absl::StatusOr<std::unique_ptr<store::LocalStore>> opened =
      store::LocalStore::Open(tmp.File("store"));
  REQUIRE(opened.ok());
  std::shared_ptr<store::LocalStore> store = *std::move(opened);
  const store::RunKey key{"me", "proj", id};
  auto backend = std::make_shared<SlowStore>(store, key, absl::Milliseconds(50));
  Logger log;
  Sender sender(backend, dir + "/run-" + id + ".wandb", dir, dir + "/files", &log);
  std::vector<SenderItem> advanced(1, LogAdvanced{});
  sender.Start();
  sender.Submit(&advanced);
  while (!sender.stop_requested()) absl::SleepFor(absl::Milliseconds(5));
  INFO("rows the backend had when the stop was read: " << backend->rows_when_stop_seen());
  CHECK(backend->rows_when_stop_seen() < kRows);
}

TEST_CASE("catching up in slices gives the backend every row once, in order", "[sender]") {
  // The sender's way through a backlog: one slice at a time, reading on where it stopped.
  TempDir tmp;
  const std::string path = tmp.File("run-slices.wandb");
  constexpr int kRows = 3 * 4096 + 100;
  WriteLog(path, "slices", kRows);
  class Rows final : public DiscardingBackend {
   public:
    absl::Status AppendHistory(absl::Span<const store::HistoryRow> rows) override {
      for (const store::HistoryRow& row : rows) steps.push_back(row.step);
      return absl::OkStatus();
    }
    std::vector<int64_t> steps;
  } backend;
  LogReplayer replayer(path, tmp.path(), &backend, nullptr);
  int calls = 0;
  absl::StatusOr<bool> at_end = false;
  while (at_end.ok() && !*at_end) {
    at_end = replayer.CatchUpUntil(absl::InfinitePast());  // one slice each
    ++calls;
  }
  REQUIRE(at_end.ok());
  CHECK(calls == 4);
  std::vector<int64_t> every(kRows);
  std::iota(every.begin(), every.end(), 0);
  CHECK(backend.steps == every);
  // At the end, nothing more; what the log gains later is read on from there.
  CHECK(replayer.CatchUpUntil(absl::InfinitePast()).value_or(false));
  CHECK(backend.steps.size() == kRows);
}

TEST_CASE("a slice that ends in the block the writer is filling does not end the catch-up",
          "[sender]") {
  // The sender's last slice may stop in a block the writer was still filling; the finish's
  // catch-up that follows must read the rest of the log, not take that block's old end for
  // the log's end (it did, about one stop in 70: the store then lacked the last rows).
  TempDir tmp;
  const std::string path = tmp.File("run-tail.wandb");
  auto writer = txlog::LogWriter::Create(path);
  REQUIRE(writer.ok());
  int64_t next_step = 0;
  auto append_rows = [&](int count) {
    absl::Status status;
    for (int i = 0; i < count && status.ok(); ++i) {
      records::Record record;
      records::HistoryItem* item = record.mutable_history()->add_item();
      item->set_key("loss");
      item->set_value_json("1");
      record.mutable_history()->mutable_step()->set_num(next_step++);
      status = (*writer)->Append(record.SerializeAsString());
    }
    if (status.ok()) status = (*writer)->Flush();
    REQUIRE(status.ok());
  };
  append_rows(4096 + 10);  // one slice, and the start of the next in the same block
  class Rows final : public DiscardingBackend {
   public:
    absl::Status AppendHistory(absl::Span<const store::HistoryRow> rows) override {
      for (const store::HistoryRow& row : rows) steps.push_back(row.step);
      return absl::OkStatus();
    }
    std::vector<int64_t> steps;
  } backend;
  LogReplayer replayer(path, tmp.path(), &backend, nullptr);
  absl::StatusOr<bool> at_end = replayer.CatchUpUntil(absl::InfinitePast());
  REQUIRE(at_end.ok());
  CHECK_FALSE(*at_end);
  append_rows(1000);
  REQUIRE((*writer)->Close().ok());
  REQUIRE(replayer.CatchUp().ok());  // as the finish does
  CHECK(backend.steps.size() == static_cast<size_t>(next_step));
}

}  // namespace wandb::service
