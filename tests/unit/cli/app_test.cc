#include "cli/app.h"

#include <catch2/catch.hpp>
#include <sstream>

#include "cli/output.h"
#include "tests/support/scoped_env.h"
#include "tests/support/temp_dir.h"
#include "tests/unit/store/store_test_support.h"

namespace wandb::cli {
namespace {

struct Outcome {
  int code;
  std::string out;
  std::string err;
};

Outcome Run(const std::vector<std::string>& args) {
  std::ostringstream out, err;
  int code = RunCommandLine(args, out, err);
  return {code, out.str(), err.str()};
}

}  // namespace

TEST_CASE("the command line lists its commands and exit codes in --help") {
  Outcome help = Run({"--help"});
  CHECK(help.code == kExitOk);
  for (const char* command : {"status", "runs", "stop", "dump", "import", "sync", "daemon"}) {
    CHECK_THAT(help.out, Catch::Contains(command));
  }
  CHECK_THAT(help.out, Catch::Contains("Exit codes: 0 done; 1 failed"));
  Outcome import_help = Run({"import", "--help"});
  CHECK(import_help.code == kExitOk);
  CHECK_THAT(import_help.out, Catch::Contains("--store"));
  CHECK_THAT(import_help.out, Catch::Contains("Exit codes"));
}

TEST_CASE("an unknown command is named, with the list of commands") {
  Outcome unknown = Run({"offline", "--now"});
  CHECK(unknown.code == kExitUsage);
  CHECK(unknown.out.empty());
  CHECK_THAT(unknown.err,
             Catch::StartsWith("wandb-cpp: unknown command 'offline'; the commands are: "));
  for (const char* command :
       {"status", "runs", "stop", "logs", "dump", "import", "sync", "login"}) {
    CHECK_THAT(unknown.err, Catch::Contains(command));
  }
}

TEST_CASE("sync without an API key says how to log in and sends nothing") {
  wandb::testing::TempDir home("sync_home");
  wandb::testing::ScopedEnv no_key("WANDB_API_KEY", nullptr);
  wandb::testing::ScopedEnv no_netrc("NETRC", nullptr);
  wandb::testing::ScopedEnv empty_home("HOME", home.path().c_str());
  Outcome sync = Run({"sync", "--host", "http://127.0.0.1:9", "wandb/offline-run-1"});
  CHECK(sync.code == kExitFailure);
  CHECK(sync.out.empty());
  CHECK_THAT(sync.err, Catch::Contains("no API key for http://127.0.0.1:9") &&
                           Catch::Contains("wandb-cpp login") &&
                           Catch::Contains("nothing was sent"));
}

TEST_CASE("bad arguments are usage errors with exit code 2 and a message on stderr") {
  for (const std::vector<std::string>& args : std::vector<std::vector<std::string>>{
           {},
           {"nope"},
           {"stop"},
           {"stop", "a/b/c/d"},
           {"import"},
           {"sync"},
           {"sync", "dir", "--host", "ftp://x"},
           {"runs", "--project", "/p"},
           {"status", "--timeout", "0"},
           {"daemon"},
           {"daemon", "start"},
           {"dump"},
       }) {
    std::string joined;
    for (const std::string& arg : args) joined += arg + " ";
    INFO("wandb-cpp " << joined);
    Outcome outcome = Run(args);
    CHECK(outcome.code == kExitUsage);
    CHECK(outcome.out.empty());
    CHECK_FALSE(outcome.err.empty());
  }
}

TEST_CASE("a failure is exit code 1 with the reason on stderr") {
  store::testing::TempDir dir;
  Outcome stop = Run({"stop", "abc", "--store", dir.File("none")});
  CHECK(stop.code == kExitFailure);
  CHECK_THAT(stop.err, Catch::StartsWith("wandb-cpp stop: no run 'abc': there is no local store"));
  Outcome dump = Run({"dump", dir.path()});  // a directory, not a log
  CHECK(dump.code == kExitUsage);
}

}  // namespace wandb::cli
