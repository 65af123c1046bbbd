#include "tests/support/test_env.h"

#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <map>
#include <stdexcept>
#include <thread>

#include "common/txlog/log_reader.h"
#include "common/util/read_file.h"

extern char** environ;

namespace wandb::testing {
namespace fs = std::filesystem;

TestEnv::TestEnv(double idle_timeout_seconds) {
  // Short, so the socket path fits in sun_path.
  char tmpl[] = "/tmp/wt-XXXXXX";
  if (mkdtemp(tmpl) == nullptr) throw std::runtime_error("mkdtemp failed");
  base_ = tmpl;
  service_dir_ = base_ + "/svc";
  root_dir_ = base_ + "/root";
  fs::create_directories(root_dir_);
  setenv("WANDB_CPP_SERVICE_DIR", service_dir_.c_str(), 1);
  setenv("WANDB_CPP_SERVICE_PATH", WANDB_TEST_BIN_DIR "/wandb-service", 1);
  setenv("WANDB_CPP_SERVICE_IDLE_TIMEOUT", std::to_string(idle_timeout_seconds).c_str(), 1);
  setenv("WANDB_DIR", root_dir_.c_str(), 1);
  store_dir_ = base_ + "/store";
  setenv("WANDB_CPP_STORE_DIR", store_dir_.c_str(), 1);
  setenv("WANDB_SILENT", "true", 1);
  // Artifacts' files go through the per-user cache: a private one, never the user's.
  setenv("WANDB_CACHE_DIR", (base_ + "/cache").c_str(), 1);
  // wandb's global settings file: a private one (none until a test writes it), never the
  // user's ~/.config/wandb/settings.
  setenv("WANDB_CONFIG_DIR", config_dir().c_str(), 1);
}

TestEnv::~TestEnv() {
  for (pid_t pid : DaemonPids()) kill(pid, SIGTERM);
  Eventually([this] { return DaemonPids().empty(); }, std::chrono::seconds(5));
  for (pid_t pid : DaemonPids()) kill(pid, SIGKILL);
  std::error_code ec;
  fs::remove_all(base_, ec);
}

pid_t TestEnv::Spawn(const std::string& name, const std::vector<std::string>& args) const {
  return SpawnPath(std::string(WANDB_TEST_BIN_DIR "/") + name, args);
}

pid_t TestEnv::SpawnPath(const std::string& path, const std::vector<std::string>& args) const {
  std::vector<std::string> argv_store = {path};
  argv_store.insert(argv_store.end(), args.begin(), args.end());
  std::vector<char*> argv;
  for (std::string& a : argv_store) argv.push_back(a.data());
  argv.push_back(nullptr);
  pid_t pid = -1;
  if (posix_spawn(&pid, argv[0], nullptr, nullptr, argv.data(), environ) != 0) {
    throw std::runtime_error("cannot spawn " + argv_store[0]);
  }
  return pid;
}

bool TestEnv::KillDaemonAndAwaitNext() const {
  std::vector<pid_t> daemons = DaemonPids();
  if (daemons.size() != 1 || kill(daemons[0], SIGKILL) != 0) return false;
  return Eventually([&] {
    std::vector<pid_t> now = DaemonPids();
    return now.size() == 1 && now[0] != daemons[0];
  });
}

std::vector<pid_t> TestEnv::DaemonPids() const {
  // pid -> parent pid of every live process whose command line names this service directory.
  std::map<pid_t, pid_t> candidates;
  std::error_code ec;
  for (const auto& entry : fs::directory_iterator("/proc", ec)) {
    std::string name = entry.path().filename();
    if (name.find_first_not_of("0123456789") != std::string::npos) continue;
    std::string cmdline = ReadFile(entry.path() / "cmdline");
    if (cmdline.find("wandb-service") == std::string::npos ||
        cmdline.find(service_dir_) == std::string::npos) {
      continue;
    }
    std::string stat = ReadFile(entry.path() / "stat");
    size_t close = stat.rfind(')');
    if (close == std::string::npos || stat[close + 2] == 'Z') continue;  // zombies serve nothing
    pid_t ppid = std::atoi(stat.c_str() + stat.find(' ', close + 3) + 1);
    candidates[std::stoi(name)] = ppid;
  }
  // A daemon's child between posix_spawn and exec still shows the daemon's command line;
  // a daemon is never the child of another, so drop those.
  std::vector<pid_t> pids;
  for (const auto& [pid, ppid] : candidates) {
    if (!candidates.contains(ppid)) pids.push_back(pid);
  }
  return pids;
}

std::string TestEnv::RunDir(const std::string& run_id) const {
  std::error_code ec;
  for (const auto& entry : fs::directory_iterator(root_dir_ + "/wandb", ec)) {
    std::string name = entry.path().filename();
    if (entry.is_directory() && !entry.is_symlink() && name.ends_with("-" + run_id)) {
      return entry.path();
    }
  }
  return "";
}

int WaitExit(pid_t pid, std::chrono::milliseconds timeout) {
  auto deadline = std::chrono::steady_clock::now() + timeout;
  int status = 0;
  while (std::chrono::steady_clock::now() < deadline) {
    pid_t r = waitpid(pid, &status, WNOHANG);
    if (r == pid) return status;
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  kill(pid, SIGKILL);
  waitpid(pid, &status, 0);
  return -1;
}

bool Eventually(const std::function<bool()>& condition, std::chrono::milliseconds timeout) {
  auto deadline = std::chrono::steady_clock::now() + timeout;
  while (std::chrono::steady_clock::now() < deadline) {
    if (condition()) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  return condition();
}

LogContents ReadLog(const std::string& path) {
  LogContents contents;
  auto reader = txlog::LogReader::Open(path);
  if (!reader.ok()) return contents;
  std::string payload;
  while ((*reader)->Next(&payload)) {
    records::Record record;
    if (!record.ParseFromString(payload)) break;
    contents.records.push_back(std::move(record));
  }
  contents.clean_end = (*reader)->status().ok() && (*reader)->dropped_bytes() == 0;
  return contents;
}

int CountHistoryRows(const TestEnv& env, const std::string& run_id) {
  int rows = 0;
  for (const records::Record& r :
       ReadLog(env.RunDir(run_id) + "/run-" + run_id + ".wandb").records) {
    rows += r.has_history();
  }
  return rows;
}

std::string ReadFile(const std::string& path) {
  absl::StatusOr<std::string> contents = ReadFileToString(path);
  return contents.ok() ? *contents : "";
}

bool ProcessGone(pid_t pid) {
  std::string stat = ReadFile("/proc/" + std::to_string(pid) + "/stat");
  size_t close = stat.rfind(')');
  return stat.empty() || close == std::string::npos || stat[close + 2] == 'Z';
}

std::string ItemValue(const records::HistoryRecord& history, const std::string& key) {
  for (const auto& item : history.item()) {
    if (item.key() == key) return item.value_json();
  }
  return "";
}

}  // namespace wandb::testing
