#include "client/src/start_request.h"

#include <catch2/catch.hpp>
#include <string>
#include <vector>

#include "common/protocol.h"

namespace wandb::internal {
namespace {

ResolvedSettings Full() {
  ResolvedSettings s;
  s.project = "mnist";
  s.entity = "alice";
  s.name = "baseline";
  s.notes = "first try";
  s.tags = {"cnn", "fp16"};
  s.group = "ddp";
  s.job_type = "train";
  s.config = {{"lr", 0.001}, {"layers", {64, 32}}};
  s.root_dir = "/work/proj";
  s.run_id = "abc123";
  s.store_dir = "/home/alice/.local/share/wandb-cpp/store";
  s.stats_sample_interval = std::chrono::milliseconds(500);
  s.stats_samples_to_average = 4;
  s.program_compiler = "GCC 12.2.0";
  s.program_cplusplus = 201703;
  return s;
}

service::ProcessInfo Process() {
  service::ProcessInfo p;
  p.set_pid(4242);
  p.set_program("train");
  return p;
}

}  // namespace

TEST_CASE("BuildStartRequest: the run's identity, config and start time", "[start_request]") {
  absl::Time start = absl::FromUnixNanos(1764180000123456789);
  service::StartRunRequest r = BuildStartRequest(Full(), Process(), start);
  CHECK(r.protocol_version() == kProtocolVersion);
  CHECK(r.client_version() == kVersion);
  const records::RunRecord& run = r.run();
  CHECK(run.run_id() == "abc123");
  CHECK(run.project() == "mnist");
  CHECK(run.entity() == "alice");
  CHECK(run.display_name() == "baseline");
  CHECK(run.notes() == "first try");
  CHECK(std::vector<std::string>(run.tags().begin(), run.tags().end()) ==
        std::vector<std::string>{"cnn", "fp16"});
  CHECK(run.run_group() == "ddp");
  CHECK(run.job_type() == "train");
  CHECK(run.start_time().seconds() == 1764180000);
  CHECK(run.start_time().nanos() == 123456789);
  REQUIRE(run.config().update_size() == 2);
  CHECK(run.config().update(0).key() == "lr");
  CHECK(run.config().update(0).value_json() == "0.001");
  CHECK(run.config().update(1).key() == "layers");
  CHECK(run.config().update(1).value_json() == "[64, 32]");
  CHECK(run.telemetry().feature().lib_cpp());
  CHECK(run.telemetry().feature().set_init_tags());
}

TEST_CASE("BuildStartRequest: where and how the daemon keeps the run", "[start_request]") {
  ResolvedSettings s = Full();
  service::StartRunRequest local = BuildStartRequest(s, Process(), absl::Now());
  CHECK(local.mode() == service::MODE_LOCAL);
  CHECK(local.store_dir() == s.store_dir);
  CHECK(local.root_dir() == "/work/proj");
  CHECK_FALSE(local.fsync_batches());
  CHECK_FALSE(local.save_code());
  CHECK_FALSE(local.disable_git());
  CHECK(local.resume() == service::RESUME_NONE);
  CHECK_FALSE(local.system_metrics().disabled());
  CHECK(local.system_metrics().sample_interval_ms() == 500);
  CHECK(local.system_metrics().samples_to_average() == 4);

  s.mode = Mode::kOffline;
  s.durability = Durability::kFsync;
  s.save_code = true;
  s.disable_git = true;
  s.system_metrics = false;
  service::StartRunRequest offline = BuildStartRequest(s, Process(), absl::Now());
  CHECK(offline.mode() == service::MODE_OFFLINE);
  CHECK(offline.fsync_batches());
  CHECK(offline.save_code());
  CHECK(offline.disable_git());
  CHECK(offline.system_metrics().disabled());
  CHECK(offline.run().telemetry().feature().offline());
}

TEST_CASE("BuildStartRequest: each resume mode", "[start_request]") {
  ResolvedSettings s = Full();
  auto resume_of = [&](ResumeMode mode) {
    s.resume = mode;
    return BuildStartRequest(s, Process(), absl::Now()).resume();
  };
  CHECK(resume_of(ResumeMode::kNone) == service::RESUME_NONE);
  CHECK(resume_of(ResumeMode::kAllow) == service::RESUME_ALLOW);
  CHECK(resume_of(ResumeMode::kMust) == service::RESUME_MUST);
  CHECK(resume_of(ResumeMode::kNever) == service::RESUME_NEVER);
}

TEST_CASE("BuildStartRequest: the process, with the caller's compiler", "[start_request]") {
  service::StartRunRequest r = BuildStartRequest(Full(), Process(), absl::Now());
  CHECK(r.process().pid() == 4242);
  CHECK(r.process().program() == "train");
  CHECK(r.process().build().program_compiler() == "GCC 12.2.0");
  CHECK(r.process().build().program_cplusplus() == 201703);
  CHECK(r.reattach_run_dir().empty());
}

}  // namespace wandb::internal
