// What integration tests share: a private daemon per test (its own service directory), real
// client processes started with posix_spawn, and readers for what the daemon wrote.
#ifndef WANDB_TESTS_SUPPORT_TEST_ENV_H_
#define WANDB_TESTS_SUPPORT_TEST_ENV_H_

#include <sys/types.h>

#include <chrono>
#include <functional>
#include <string>
#include <vector>

#include "wandb/records.pb.h"

namespace wandb::testing {

class TestEnv {
 public:
  // Makes a fresh service directory and run root, and points this process's environment
  // (WANDB_CPP_SERVICE_DIR, WANDB_CPP_SERVICE_PATH, WANDB_DIR, WANDB_CPP_STORE_DIR,
  // WANDB_SILENT, WANDB_CACHE_DIR, idle timeout) at
  // them, so in-process clients and spawned ones use the same private daemon.
  explicit TestEnv(double idle_timeout_seconds = 5);
  // Stops the daemon (SIGTERM, then SIGKILL) and removes the directories.
  ~TestEnv();
  TestEnv(const TestEnv&) = delete;
  TestEnv& operator=(const TestEnv&) = delete;

  const std::string& service_dir() const { return service_dir_; }
  const std::string& root_dir() const { return root_dir_; }
  const std::string& store_dir() const { return store_dir_; }
  std::string cache_dir() const { return base_ + "/cache"; }
  // WANDB_CONFIG_DIR: where wandb's global settings file is (not made until written).
  std::string config_dir() const { return base_ + "/config"; }
  std::string socket_path() const { return service_dir_ + "/service.sock"; }

  // Starts tests' client program `name` (from the build's bin/) with `args`.
  pid_t Spawn(const std::string& name, const std::vector<std::string>& args) const;
  // Starts the program at `path` (any program) with `args`, in this environment.
  pid_t SpawnPath(const std::string& path, const std::vector<std::string>& args) const;

  // Pids of wandb-service processes serving this environment's directory.
  std::vector<pid_t> DaemonPids() const;

  // Kills the environment's one daemon with SIGKILL, then waits for another to serve it (a
  // client starts it when it finds its daemon gone). False when there was not exactly one
  // daemon, or no other came within 20 s.
  bool KillDaemonAndAwaitNext() const;

  // The run directory of `run_id` under root_dir()/wandb, or "" if none.
  std::string RunDir(const std::string& run_id) const;

 private:
  std::string base_;
  std::string service_dir_;
  std::string root_dir_;
  std::string store_dir_;
};

// Waits for `pid`; its exit status as from waitpid, or -1 after `timeout` (then it is killed).
int WaitExit(pid_t pid, std::chrono::milliseconds timeout = std::chrono::seconds(120));

// Polls `condition` every 20 ms until it holds or `timeout` passes.
bool Eventually(const std::function<bool()>& condition,
                std::chrono::milliseconds timeout = std::chrono::seconds(20));

struct LogContents {
  std::vector<records::Record> records;
  bool clean_end = false;  // the reader reached the end without truncation or corruption
};
LogContents ReadLog(const std::string& path);
// The history records in the transaction log of run `run_id` (one of `env`'s runs).
int CountHistoryRows(const TestEnv& env, const std::string& run_id);

std::string ReadFile(const std::string& path);

// Whether process `pid` has exited (gone, or a zombie nobody reaped yet).
bool ProcessGone(pid_t pid);

// Value of `key` among a history record's items, or "" when absent.
std::string ItemValue(const records::HistoryRecord& history, const std::string& key);

}  // namespace wandb::testing

#endif  // WANDB_TESTS_SUPPORT_TEST_ENV_H_
