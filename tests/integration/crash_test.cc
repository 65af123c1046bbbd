// A training process killed with SIGKILL mid-run: the daemon notices, and finishes the run as
// crashed with every row it had received.
#include <signal.h>
#include <sys/stat.h>

#include <catch2/catch.hpp>

#include "tests/support/test_env.h"

namespace wandb::testing {

TEST_CASE("a client killed with kill -9 leaves a finished, crashed run") {
  TestEnv env;
  std::string ready = env.root_dir() + "/ready";
  pid_t client = env.Spawn("log_client",
                           {"--id", "crash1", "--rows", "5000", "--hang", "--ready-file", ready});
  struct stat st;
  REQUIRE(Eventually([&] { return stat(ready.c_str(), &st) == 0; }));
  kill(client, SIGKILL);
  WaitExit(client);

  std::string dir = env.RunDir("crash1");
  REQUIRE_FALSE(dir.empty());
  std::string log_path = dir + "/run-crash1.wandb";
  LogContents log;
  REQUIRE(Eventually([&] {
    log = ReadLog(log_path);
    return !log.records.empty() && log.records.back().has_footer();
  }));
  int rows = 0;
  const records::RunExitRecord* exit = nullptr;
  for (const records::Record& r : log.records) {
    if (r.has_history()) ++rows;
    if (r.has_exit()) exit = &r.exit();
  }
  CHECK(rows == 5000);
  REQUIRE(exit != nullptr);
  CHECK(exit->exit_code() != 0);
  std::string summary = ReadFile(dir + "/files/wandb-summary.json");
  CHECK(summary.find("\"i\": 4999") != std::string::npos);
  CHECK(summary.find("\"_wandb\": {\"runtime\"") != std::string::npos);
  CHECK(ReadFile(dir + "/logs/debug-internal.log").find("died") != std::string::npos);
  // The daemon survives its client and serves the next run.
  CHECK(env.DaemonPids().size() == 1);
  pid_t next = env.Spawn("log_client", {"--id", "after-crash", "--rows", "10"});
  CHECK(WaitExit(next) == 0);
}

}  // namespace wandb::testing
