#include "cli/logs_command.h"

#include <catch2/catch.hpp>
#include <sstream>

#include "cli/app.h"
#include "cli/output.h"
#include "service/store/local_store.h"
#include "tests/unit/store/store_test_support.h"

namespace wandb::cli {
namespace {

using store::testing::TempDir;

// A store with run team/proj/r1 and its console: two stdout lines and a stderr one.
std::unique_ptr<store::LocalStore> StoreWithConsole(const std::string& dir) {
  auto store = store::LocalStore::Open(dir);
  REQUIRE(store.ok());
  store::RunRow row;
  row.key = {"team", "proj", "r1"};
  REQUIRE((*store)->runs().Upsert(row).ok());
  absl::Time t = absl::FromUnixMicros(1764590400123456);  // 2025-12-01T12:00:00.123456Z
  std::vector<store::ConsoleLine> lines = {{t, false, "epoch 1"},
                                           {t + absl::Nanoseconds(1), true, "warning: slow"},
                                           {t + absl::Seconds(1), false, "100%"}};
  REQUIRE((*store)->series().AppendConsole(row.key, lines).ok());
  return *std::move(store);
}

std::pair<int, std::string> Logs(LogsOptions options, std::string* err_text = nullptr) {
  std::ostringstream out, err;
  int code = RunLogs(options, out, err);
  if (err_text != nullptr) *err_text = err.str();
  return {code, out.str()};
}

}  // namespace

TEST_CASE("logs prints a run's console in order, per stream, with wandb's timestamps",
          "[cli][logs]") {
  TempDir dir;
  auto store = StoreWithConsole(dir.path());
  CHECK(Logs({.run = "r1", .store_dir = dir.path()}) ==
        std::make_pair(kExitOk, std::string("epoch 1\nwarning: slow\n100%\n")));
  CHECK(Logs({.run = "proj/r1", .store_dir = dir.path(), .stream = "stderr"}).second ==
        "warning: slow\n");
  CHECK(Logs({.run = "r1", .store_dir = dir.path(), .stream = "stdout"}).second ==
        "epoch 1\n100%\n");
  CHECK(Logs({.run = "r1", .store_dir = dir.path(), .timestamps = true}).second ==
        "2025-12-01T12:00:00.123456 epoch 1\n"
        "ERROR 2025-12-01T12:00:00.123456 warning: slow\n"
        "2025-12-01T12:00:01.123456 100%\n");
  std::string json = Logs({.run = "r1", .store_dir = dir.path(), .json = true}).second;
  std::istringstream in(json);
  std::string first;
  std::getline(in, first);
  nlohmann::json line = nlohmann::json::parse(first);
  CHECK(line["stream"] == "stdout");
  CHECK(line["line"] == "epoch 1");
  CHECK(line["timestamp"].get<double>() == Approx(1764590400.123456));
}

TEST_CASE("logs: an unknown run fails, a run without console output prints nothing",
          "[cli][logs]") {
  TempDir dir;
  auto store = StoreWithConsole(dir.path());
  store::RunRow quiet;
  quiet.key = {"team", "proj", "quiet"};
  REQUIRE(store->runs().Upsert(quiet).ok());
  CHECK(Logs({.run = "quiet", .store_dir = dir.path()}) == std::make_pair(kExitOk, std::string()));
  std::string err;
  CHECK(Logs({.run = "nope", .store_dir = dir.path()}, &err).first == kExitFailure);
  CHECK_THAT(err, Catch::StartsWith("wandb-cpp logs: ") && Catch::Contains("nope"));
  // Through the command line: a stream that is not one is a usage error.
  std::ostringstream out, usage;
  CHECK(RunCommandLine({"logs", "r1", "--store", dir.path(), "--stream", "stdin"}, out, usage) ==
        kExitUsage);
  std::ostringstream out2, err2;
  CHECK(RunCommandLine({"logs", "r1", "--store", dir.path()}, out2, err2) == kExitOk);
  CHECK(out2.str() == "epoch 1\nwarning: slow\n100%\n");
}

}  // namespace wandb::cli
