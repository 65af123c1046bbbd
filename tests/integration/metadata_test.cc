// What a run records about where it ran: wandb-metadata.json for a C++ program, the
// telemetry of the features it used, and save_code's diff.patch.
#include <stdlib.h>
#include <unistd.h>

#include <wandb/wandb.h>
#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>
#include <set>

#include "nlohmann/json.hpp"
#include "tests/support/test_env.h"

// This file's compiler, as wandb.h's init() records it (wandb.h undefines the macro).
#include "wandb/internal/compiler.h"

namespace wandb::testing {
namespace {

// Runs `command` with sh; true when it exits 0.
bool Sh(const std::string& command) { return std::system(command.c_str()) == 0; }

// The feature flags set in any telemetry of the log (the RunRecord's and the records').
std::set<int> FeaturesInLog(const LogContents& log) {
  std::set<int> numbers;
  auto add = [&](const records::TelemetryRecord& t) {
    const auto* reflection = t.feature().GetReflection();
    std::vector<const google::protobuf::FieldDescriptor*> fields;
    reflection->ListFields(t.feature(), &fields);
    for (const auto* field : fields) numbers.insert(field->number());
  };
  for (const records::Record& r : log.records) {
    if (r.has_run()) add(r.run().telemetry());
    if (r.has_telemetry()) add(r.telemetry());
  }
  return numbers;
}

// Changes the working directory for as long as it lives.
class ScopedCwd {
 public:
  explicit ScopedCwd(const std::string& dir) : old_(std::filesystem::current_path()) {
    std::filesystem::current_path(dir);
  }
  ~ScopedCwd() { std::filesystem::current_path(old_); }

 private:
  std::filesystem::path old_;
};

}  // namespace

TEST_CASE("wandb-metadata.json describes the C++ program and its machine") {
  TestEnv env;
  Run run = wandb::init({.id = "meta1"});
  run.finish();

  nlohmann::json meta =
      nlohmann::json::parse(ReadFile(env.RunDir("meta1") + "/files/wandb-metadata.json"));
  for (const char* key : {"os", "host", "username", "program", "args", "executable", "cwd", "root",
                          "startedAt", "heartbeatAt", "processStartedAt", "pid"}) {
    INFO(key);
    CHECK(meta.contains(key));
  }
  CHECK(meta["cpu_count"].get<int>() >= 1);
  CHECK(meta["cpu_count_logical"].get<int>() >= meta["cpu_count"].get<int>());
  CHECK(meta["memory"]["total"].get<double>() > 0.1);  // GB
  CHECK(meta["pid"].get<int64_t>() == getpid());
  CHECK(meta["executable"].get<std::string>() ==
        std::filesystem::read_symlink("/proc/self/exe").string());
  // The process started before the run did.
  CHECK(meta["processStartedAt"].get<std::string>() <= meta["startedAt"].get<std::string>());

  // GPU facts come from NVML; a machine without it (CI) has none.
  if (access("/proc/driver/nvidia/version", F_OK) != 0) {
    CHECK_FALSE(meta.contains("gpu"));
    CHECK_FALSE(meta.contains("gpu_count"));
  }

  const nlohmann::json& build = meta["build"];
  CHECK(build["libwandb"] == WANDB_CPP_VERSION);
  CHECK(build["compiler"].get<std::string>().rfind("GCC ", 0) == 0);
  CHECK(build["cplusplus"].get<int64_t>() >= 202002);
  CHECK(build["program_compiler"] == WANDB_INTERNAL_COMPILER);
  CHECK(build["program_cplusplus"].get<int64_t>() == __cplusplus);
  CHECK_FALSE(build["build_type"].get<std::string>().empty());
}

TEST_CASE("a run's telemetry names the features it used") {
  TestEnv env;
  Run run = wandb::init({.name = "tele", .config = {{"lr", 0.1}}, .id = "tele1"});
  run.log({{"loss", 1.0}}, {.step = 3});
  run.config().update({{"epochs", 2}});
  run.summary()["best"] = 1;
  run.finish();

  std::string dir = env.RunDir("tele1");
  std::set<int> features = FeaturesInLog(ReadLog(dir + "/run-tele1.wandb"));
  // finish 2, set_init_name 13, set_init_id 14, set_init_config 16, set_config_item 19,
  // service 23, lib_cpp 57, set_step_log 61, set_summary 62; not save 3, offline 4, tags 15.
  CHECK(features == std::set<int>{2, 13, 14, 16, 19, 23, 57, 61, 62});

  std::string yaml = ReadFile(dir + "/files/config.yaml");
  CHECK(yaml.find("    t:\n      3:\n        - 2\n        - 13\n") != std::string::npos);
  CHECK(yaml.find("      5: wandb-cpp " WANDB_CPP_VERSION "\n") != std::string::npos);
}

TEST_CASE("save_code saves the repository's uncommitted changes as diff.patch") {
  TestEnv env;
  std::string repo = env.root_dir() + "/repo";
  std::filesystem::create_directories(repo);
  REQUIRE(Sh("cd " + repo + " && git init -q && echo 'int a = 1;' > train.cc && git add . && " +
             "git -c user.name=t -c user.email=t@example.com commit -qm first && " +
             "echo 'int a = 2;' > train.cc"));
  ScopedCwd in_repo(repo);

  Run with_code = wandb::init({.id = "code1", .save_code = true});
  with_code.finish();
  std::string patch = ReadFile(env.RunDir("code1") + "/files/diff.patch");
  CHECK(patch.find("-int a = 1;\n+int a = 2;\n") != std::string::npos);
  nlohmann::json meta =
      nlohmann::json::parse(ReadFile(env.RunDir("code1") + "/files/wandb-metadata.json"));
  CHECK(meta["git"]["commit"].get<std::string>().size() == 40);

  Run without = wandb::init({.id = "code2"});
  without.finish();
  CHECK_FALSE(std::filesystem::exists(env.RunDir("code2") + "/files/diff.patch"));

  // disable_git: nothing of git at all, even with save_code.
  Run no_git = wandb::init({.id = "code3", .save_code = true, .disable_git = true});
  no_git.finish();
  CHECK_FALSE(std::filesystem::exists(env.RunDir("code3") + "/files/diff.patch"));
  nlohmann::json no_git_meta =
      nlohmann::json::parse(ReadFile(env.RunDir("code3") + "/files/wandb-metadata.json"));
  CHECK_FALSE(no_git_meta.contains("git"));
}

TEST_CASE("a slow git holds up no row: the writer only writes") {
  TestEnv env;
  std::string repo = env.root_dir() + "/repo";
  std::filesystem::create_directories(repo);
  REQUIRE(Sh("cd " + repo + " && git init -q && echo 'int a = 1;' > train.cc && git add . && " +
             "git -c user.name=t -c user.email=t@example.com commit -qm first && " +
             "echo 'int a = 2;' > train.cc"));
  // The daemon finds `git` on the PATH it inherits from the process that starts it: this one
  // waits for the test's word before it does anything.
  std::string bin = env.root_dir() + "/bin";
  std::string release = env.root_dir() + "/release";
  std::filesystem::create_directories(bin);
  std::ofstream(bin + "/git") << "#!/bin/sh\nwhile [ ! -e " << release
                              << " ]; do sleep 0.01; done\nexec /usr/bin/git \"$@\"\n";
  std::filesystem::permissions(bin + "/git", std::filesystem::perms::owner_all);
  std::string path = getenv("PATH");
  setenv("PATH", (bin + ":" + path).c_str(), 1);
  ScopedCwd in_repo(repo);
  Run run = wandb::init({.id = "slowgit", .save_code = true});
  setenv("PATH", path.c_str(), 1);

  run.log({{"loss", 1.0}});
  REQUIRE(run.flush());  // the row is in the log while git still waits
  LogContents early = ReadLog(env.RunDir("slowgit") + "/run-slowgit.wandb");
  int rows = 0;
  bool metadata_named = false;
  for (const records::Record& r : early.records) {
    rows += r.has_history();
    if (r.has_files()) metadata_named = true;
  }
  CHECK(rows == 1);
  CHECK_FALSE(metadata_named);  // the probe has not handed anything to the writer yet

  std::ofstream(release) << "go\n";
  run.finish();
  // What the probe found is in the run all the same: git in a RunRecord and the metadata,
  // and diff.patch.
  nlohmann::json meta =
      nlohmann::json::parse(ReadFile(env.RunDir("slowgit") + "/files/wandb-metadata.json"));
  CHECK(meta["git"]["commit"].get<std::string>().size() == 40);
  CHECK(ReadFile(env.RunDir("slowgit") + "/files/diff.patch").find("+int a = 2;") !=
        std::string::npos);
  std::string commit;
  for (const records::Record& r : ReadLog(env.RunDir("slowgit") + "/run-slowgit.wandb").records) {
    if (r.has_run() && !r.run().git().last_commit().empty()) commit = r.run().git().last_commit();
  }
  CHECK(commit == meta["git"]["commit"].get<std::string>());
}

}  // namespace wandb::testing
