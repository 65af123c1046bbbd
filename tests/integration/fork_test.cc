// fork() after init(): the run belongs to the process that started it. A forked child's calls
// on it are ignored with a warning, its exit (atexit handlers, static destructors) never
// finishes it, and the parent's later rows all reach the log.
#include <sys/wait.h>

#include <catch2/catch.hpp>

#include "tests/support/test_env.h"

namespace wandb::testing {
namespace {

constexpr int kRows = 1000;

// The parent's run: every row it logged before and after the fork, none of the child's, and
// one exit record with the parent's exit code.
void CheckParentRun(const TestEnv& env, const std::string& id) {
  std::string dir = env.RunDir(id);
  REQUIRE_FALSE(dir.empty());
  LogContents log = ReadLog(dir + "/run-" + id + ".wandb");
  CHECK(log.clean_end);
  int rows = 0;
  int exits = 0;
  for (const records::Record& r : log.records) {
    if (r.has_history()) {
      CHECK(ItemValue(r.history(), "i") == std::to_string(rows));
      ++rows;
    }
    if (r.has_exit()) {
      ++exits;
      CHECK(r.exit().exit_code() == 0);
    }
    if (r.has_config()) {
      for (const auto& item : r.config().update()) CHECK(item.key() != "child");
    }
  }
  CHECK(rows == 2 * kRows);
  CHECK(exits == 1);
  CHECK(ReadFile(dir + "/files/wandb-summary.json").find("\"child\"") == std::string::npos);
}

int RunForkClient(const TestEnv& env, const std::string& id, const std::string& child) {
  pid_t pid =
      env.Spawn("fork_client", {"--id", id, "--rows", std::to_string(kRows), "--child", child});
  int status = WaitExit(pid, std::chrono::seconds(60));
  REQUIRE(WIFEXITED(status));
  return WEXITSTATUS(status);
}

}  // namespace

TEST_CASE("a forked child that exits leaves the parent's run alone") {
  TestEnv env;
  CHECK(RunForkClient(env, "fork-exit", "exit") == 0);
  CheckParentRun(env, "fork-exit");
}

TEST_CASE("a forked child's calls on the parent's run are ignored with a warning") {
  TestEnv env;
  // The child logs, updates config and summary, flushes, finishes and returns from main.
  CHECK(RunForkClient(env, "fork-use", "use") == 0);
  CheckParentRun(env, "fork-use");
  // The child's stderr is the parent's captured console.
  std::string output = ReadFile(env.RunDir("fork-use") + "/files/output.log");
  CHECK(output.find("log() ignored: run fork-use belongs to the process that started it") !=
        std::string::npos);
}

TEST_CASE("wandb::init() in a forked child fails clearly and harms nothing") {
  TestEnv env;
  CHECK(RunForkClient(env, "fork-init", "init") == 0);
  CheckParentRun(env, "fork-init");
  CHECK(env.RunDir("fork-init-child").empty());
}

}  // namespace wandb::testing
