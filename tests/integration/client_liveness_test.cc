// The daemon tells a dead client from a live one by what pid reuse and pid namespaces cannot
// fake: the client's record stream (a dead process's socket closes) and the start time of the
// process under its pid (issue 12, points 7 and 11).
#include <signal.h>
#include <sys/stat.h>
#include <unistd.h>

#include <wandb/wandb.h>
#include <catch2/catch.hpp>
#include <filesystem>
#include <optional>

#include "service/store/local_store.h"
#include "tests/support/raw_client.h"
#include "tests/support/test_env.h"

namespace wandb::testing {
namespace {

std::optional<store::RunState> StoredState(const TestEnv& env, const std::string& id) {
  absl::StatusOr<std::unique_ptr<store::LocalStore>> store =
      store::LocalStore::Open(env.store_dir());
  if (!store.ok()) return std::nullopt;
  absl::StatusOr<store::RunRow> run = (*store)->runs().Find(id);
  if (!run.ok()) return std::nullopt;
  return run->state;
}

// The pid of a child of `parent`, or -1.
pid_t ChildOf(pid_t parent) {
  std::string children =
      ReadFile("/proc/" + std::to_string(parent) + "/task/" + std::to_string(parent) + "/children");
  return children.empty() ? -1 : static_cast<pid_t>(std::atol(children.c_str()));
}

}  // namespace

TEST_CASE(
    "a StartRun naming pid 1 and no stream is finished as crashed, and the daemon idles out") {
  TestEnv env(/*idle_timeout_seconds=*/2);
  Run starter = wandb::init({.id = "starter"});  // starts the daemon
  starter.finish();
  RawClient client(env);
  service::StartRunRequest request = client.StartRequest("pidone");
  request.mutable_process()->set_pid(1);  // always alive: no proof of anything
  REQUIRE(client.StartRun(request).ok());
  // Without a record stream for RunRegistry::kClientSilence the run is left; then the daemon
  // has nothing to do and exits.
  CHECK(Eventually([&] { return env.DaemonPids().empty(); }, std::chrono::seconds(60)));
  int exits = 0;
  for (const auto& r : ReadLog(env.RunDir("pidone") + "/run-pidone.wandb").records) {
    exits += r.has_exit();
  }
  CHECK(exits == 1);
  CHECK_THAT(ReadFile(env.RunDir("pidone") + "/logs/debug-internal.log"),
             Catch::Contains("no record stream from its client"));
}

TEST_CASE(
    "a killed training process that was pid 1 of its own pid namespace: its run is "
    "finished as crashed by the next daemon") {
  if (geteuid() != 0 || access("/usr/bin/unshare", X_OK) != 0) {
    WARN("needs root and unshare(1): skipped");
    return;
  }
  TestEnv env;
  std::string ready = env.root_dir() + "/ready";
  // The client is pid 1 of a new pid namespace; the daemon it starts lives there too, and
  // dies with it.
  pid_t unshare = env.SpawnPath(
      "/usr/bin/unshare", {"--pid", "--fork", "--mount-proc", WANDB_TEST_BIN_DIR "/log_client",
                           "--id", "nsrun", "--rows", "10", "--hang", "--ready-file", ready});
  struct stat st;
  REQUIRE(Eventually([&] { return stat(ready.c_str(), &st) == 0; }, std::chrono::seconds(60)));
  std::string meta;
  REQUIRE(Eventually([&] {
    meta = ReadFile(env.RunDir("nsrun") + "/files/wandb-metadata.json");
    return meta.find("processStartedAt") != std::string::npos;
  }));
  REQUIRE_THAT(meta, Catch::Contains("\"pid\": 1,"));
  pid_t client = ChildOf(unshare);
  REQUIRE(client > 0);
  REQUIRE(kill(client, SIGKILL) == 0);
  WaitExit(unshare);
  REQUIRE(Eventually([&] { return env.DaemonPids().empty(); }));

  // A later daemon (this process's, outside the namespace, where pid 1 is alive) recovers it.
  Run next = wandb::init({.id = "next"});
  next.finish();
  CHECK(Eventually([&] { return StoredState(env, "nsrun") == store::RunState::kCrashed; },
                   std::chrono::seconds(60)));
}

}  // namespace wandb::testing
