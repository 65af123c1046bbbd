#include "service/recovery/reattach.h"

#include <catch2/catch.hpp>
#include <filesystem>

#include "common/txlog/log_writer.h"
#include "tests/support/temp_dir.h"
#include "wandb/records.pb.h"

namespace wandb::service {
namespace {

namespace fs = std::filesystem;
using ::wandb::testing::TempDir;

// An offline run directory under <tmp>/wandb as a daemon that died left it: a log with the
// run and some rows, and its cut point.
class DeadRun {
 public:
  explicit DeadRun(const TempDir& tmp, const std::string& id = "rea1")
      : root_(tmp.path()), dir_(tmp.File("wandb/offline-run-20260101_000000-" + id)), id_(id) {
    fs::create_directories(dir_ + "/files");
    fs::create_directories(dir_ + "/logs");
    auto writer = txlog::LogWriter::Create(dir_ + "/run-" + id + ".wandb");
    REQUIRE(writer.ok());
    writer_ = *std::move(writer);
    records::Record record;
    record.mutable_header();
    Append(record);
    records::RunRecord* run = record.mutable_run();
    run->set_run_id(id);
    run->set_project("proj");
    run->mutable_start_time()->set_seconds(1'700'000'000);
    records::ConfigItem* lr = run->mutable_config()->add_update();
    lr->set_key("lr");
    lr->set_value_json("0.1");
    Append(record);
  }

  void Row(int64_t step) {
    records::Record record;
    records::HistoryRecord* history = record.mutable_history();
    for (auto [key, value] : {std::pair<std::string, std::string>{"loss", std::to_string(step)},
                              {"_step", std::to_string(step)}}) {
      records::HistoryItem* item = history->add_item();
      item->set_key(key);
      item->set_value_json(value);
    }
    history->mutable_step()->set_num(step);
    Append(record);
  }
  void Telemetry(void (records::Feature::*set)(bool)) {
    records::Record record;
    (record.mutable_telemetry()->mutable_feature()->*set)(true);
    Append(record);
  }
  void Exit() {
    records::Record record;
    record.mutable_exit()->set_exit_code(1);
    Append(record);
  }
  // The cut point here: every batch up to `whole` is in the log.
  LogCut Cut(uint64_t whole) {
    REQUIRE(writer_->Flush().ok());
    LogCut cut{whole + 1, 0, writer_->size()};
    auto file = LogCutFile::Open(dir_ + "/logs/log-cut");
    REQUIRE(file.ok());
    REQUIRE((*file)->Write(cut, false).ok());
    return cut;
  }
  void Close() { REQUIRE(writer_->Close().ok()); }

  StartRunRequest Request() const {
    StartRunRequest request;
    request.set_mode(MODE_OFFLINE);
    request.set_root_dir(root_);
    request.set_reattach_run_dir(dir_);
    request.mutable_run()->set_run_id(id_);
    return request;
  }
  const std::string& dir() const { return dir_; }
  std::string log_path() const { return dir_ + "/run-" + id_ + ".wandb"; }

 private:
  void Append(const records::Record& record) {
    REQUIRE(writer_->Append(record.SerializeAsString()).ok());
  }

  std::string root_;
  std::string dir_;
  std::string id_;
  std::unique_ptr<txlog::LogWriter> writer_;
};

}  // namespace

TEST_CASE("PrepareReattach: cuts the log back and rebuilds the run at the cut", "[reattach]") {
  TempDir tmp;
  DeadRun run(tmp);
  for (int step = 0; step < 5; ++step) run.Row(step);
  run.Telemetry(&records::Feature::set_save);
  LogCut cut = run.Cut(7);
  run.Row(5);  // after the cut: the client sends it again
  run.Row(6);
  run.Close();
  BackendFactory backends;
  absl::StatusOr<ReattachPoint> point = PrepareReattach(run.Request(), backends);
  INFO(point.status().ToString());
  REQUIRE(point.ok());
  CHECK(point->cut == cut);
  CHECK(point->rows == 5);
  CHECK(point->run.starting_step() == 5);
  CHECK(point->run.project() == "proj");
  // The telemetry so far goes on, with the re-attach itself.
  CHECK(point->run.telemetry().feature().save());
  CHECK(point->run.telemetry().feature().attach());
  CHECK(point->dir.run_dir == run.dir());
  CHECK(fs::file_size(run.log_path()) == cut.offset);
  bool lr = false;
  for (const records::ConfigItem& item : point->run.config().update()) {
    lr |= item.key() == "lr" && item.value_json() == "0.1";
  }
  CHECK(lr);
  bool loss = false;
  for (const records::SummaryItem& item : point->run.summary().update()) {
    loss |= item.key() == "loss" && item.value_json() == "4";
  }
  CHECK(loss);
  SampledHistoryResponse sampled;
  point->sampled.ToItems(sampled.mutable_item());
  REQUIRE(sampled.item_size() == 1);
  CHECK(sampled.item(0).key() == "loss");
  CHECK(sampled.item(0).values_size() == 5);
  // Held: a second daemon cannot take the directory meanwhile.
  CHECK(absl::IsUnavailable(PrepareReattach(run.Request(), backends).status()));
}

TEST_CASE("PrepareReattach: a run whose log records an exit is not revived", "[reattach]") {
  TempDir tmp;
  DeadRun run(tmp);
  run.Row(0);
  LogCut cut = run.Cut(1);
  run.Exit();
  run.Close();
  BackendFactory backends;
  absl::StatusOr<ReattachPoint> point = PrepareReattach(run.Request(), backends);
  CHECK(absl::IsFailedPrecondition(point.status()));
  CHECK(fs::file_size(run.log_path()) > cut.offset);  // left as it was
}

TEST_CASE("PrepareReattach: refuses a directory without a cut, or not the run's", "[reattach]") {
  TempDir tmp;
  DeadRun run(tmp);
  run.Row(0);
  run.Close();
  BackendFactory backends;
  CHECK(absl::IsFailedPrecondition(PrepareReattach(run.Request(), backends).status()));

  StartRunRequest elsewhere = run.Request();
  elsewhere.set_reattach_run_dir(tmp.File("somewhere/offline-run-20260101_000000-rea1"));
  CHECK(absl::IsInvalidArgument(PrepareReattach(elsewhere, backends).status()));
  StartRunRequest other_run = run.Request();
  other_run.mutable_run()->set_run_id("other");
  CHECK(absl::IsInvalidArgument(PrepareReattach(other_run, backends).status()));
  StartRunRequest climbing = run.Request();
  climbing.set_reattach_run_dir(run.dir() + "/../../../offline-run-20260101_000000-rea1");
  CHECK(absl::IsInvalidArgument(PrepareReattach(climbing, backends).status()));
}

}  // namespace wandb::service
