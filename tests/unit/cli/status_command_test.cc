#include "cli/status_command.h"

#include <catch2/catch.hpp>
#include <sstream>

namespace wandb::cli {
namespace {

service::DaemonStatusResponse Status(int runs) {
  service::DaemonStatusResponse status;
  status.set_protocol_version(3);
  status.set_daemon_version("0.1.0");
  status.set_pid(4242);
  status.set_started_at_unix_ms(1'700'000'000'000);
  status.set_socket_path("/tmp/wandb-cpp-1/service.sock");
  status.set_service_dir("/tmp/wandb-cpp-1");
  for (int i = 0; i < runs; ++i) {
    service::LiveRun* run = status.add_runs();
    run->set_run_id(i == 0 ? "abc" : "longer-id");
    run->set_entity("team");
    run->set_project("mnist");
    run->set_client_pid(100 + i);
    run->set_mode(i == 0 ? service::MODE_LOCAL : service::MODE_OFFLINE);
    run->set_history_rows(i == 0 ? 1000 : 0);
    if (i == 0) run->set_last_step(999);
    run->set_state(i == 0 ? "running" : "finishing");
    run->set_started_at_unix_ms(1'700'000'100'000);
  }
  return status;
}

const absl::Time kNow = absl::FromUnixSeconds(1'700'000'000 + 3723);

}  // namespace

TEST_CASE("status prints the daemon and a table of its live runs") {
  std::ostringstream out;
  PrintStatus(Status(2), kNow, out);
  std::string text = out.str();
  CHECK_THAT(text, Catch::StartsWith("wandb-service 0.1.0 (protocol 3)\n"
                                     "  pid     4242\n"
                                     "  uptime  1h02m03s (since "));
  CHECK_THAT(text, Catch::Contains("  socket  /tmp/wandb-cpp-1/service.sock\n\n2 live runs\n"));
  CHECK_THAT(text, Catch::Contains("ID         PROJECT     PID  ROWS  LAST STEP  STATE      MODE"));
  CHECK_THAT(text,
             Catch::Contains("abc        team/mnist  100  1000        999  running    local"));
  CHECK_THAT(text,
             Catch::Contains("longer-id  team/mnist  101     0          -  finishing  offline"));
}

TEST_CASE("status says when there are no live runs, and when the daemon is exiting") {
  service::DaemonStatusResponse status = Status(0);
  status.set_exiting(true);
  std::ostringstream out;
  PrintStatus(status, kNow, out);
  CHECK_THAT(out.str(), Catch::StartsWith("wandb-service 0.1.0 (protocol 3), exiting\n"));
  CHECK_THAT(out.str(), Catch::EndsWith("\nno live runs\n"));
}

TEST_CASE("status as JSON is one document with every run") {
  nlohmann::json json = StatusJson(Status(2), kNow);
  CHECK(json["running"] == true);
  CHECK(json["pid"] == 4242);
  CHECK(json["version"] == "0.1.0");
  CHECK(json["protocol"] == 3);
  CHECK(json["started_at"] == 1'700'000'000.0);
  CHECK(json["uptime_seconds"] == 3723.0);
  CHECK(json["socket"] == "/tmp/wandb-cpp-1/service.sock");
  CHECK(json["exiting"] == false);
  REQUIRE(json["runs"].size() == 2);
  CHECK(json["runs"][0]["id"] == "abc");
  CHECK(json["runs"][0]["rows"] == 1000);
  CHECK(json["runs"][0]["last_step"] == 999);
  CHECK(json["runs"][0]["mode"] == "local");
  CHECK(json["runs"][1]["last_step"].is_null());
  CHECK(json["runs"][1]["state"] == "finishing");
}

}  // namespace wandb::cli
