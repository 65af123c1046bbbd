#include "client/src/run_banner.h"

#include <catch2/catch.hpp>
#include <string>
#include <vector>

#include "common/protocol.h"

namespace wandb::internal {
namespace {

ResolvedSettings Settings(Mode mode) {
  ResolvedSettings s;
  s.run_id = "l8sdrqxm";
  s.mode = mode;
  s.store_dir = "/home/alice/.local/share/wandb-cpp/store";
  return s;
}

service::FinishRunResponse Finished(int64_t rows, int64_t files, int64_t bytes) {
  service::FinishRunResponse r;
  r.set_history_rows(rows);
  r.set_files_uploaded(files);
  r.set_bytes_uploaded(bytes);
  return r;
}

}  // namespace

TEST_CASE("StartBanner: what init() says for a local run", "[banner]") {
  service::StartRunResponse started;
  started.set_run_dir("/p/wandb/run-20261126_200021-l8sdrqxm");
  std::vector<std::string> lines = StartBanner(Settings(Mode::kLocal), started);
  CHECK(lines ==
        std::vector<std::string>{std::string("Tracking run l8sdrqxm with wandb-cpp ") + kVersion,
                                 "Run directory: /p/wandb/run-20261126_200021-l8sdrqxm",
                                 "Local store: /home/alice/.local/share/wandb-cpp/store"});
}

TEST_CASE("StartBanner: a resumed run says from which step", "[banner]") {
  service::StartRunResponse started;
  started.set_run_dir("/p/wandb/run-x");
  started.mutable_run()->set_resumed(true);
  started.mutable_run()->set_starting_step(120);
  std::vector<std::string> lines = StartBanner(Settings(Mode::kLocal), started);
  REQUIRE(lines.size() == 4);
  CHECK(lines[1] == "Resuming run l8sdrqxm from step 120");
}

TEST_CASE("StartBanner: an offline run says that nothing leaves its directory", "[banner]") {
  service::StartRunResponse started;
  started.set_run_dir("/p/wandb/offline-run-x");
  std::vector<std::string> lines = StartBanner(Settings(Mode::kOffline), started);
  REQUIRE(lines.size() == 3);
  CHECK(lines[0] == std::string("Tracking run l8sdrqxm offline with wandb-cpp ") + kVersion);
  CHECK(lines[1] == "Run directory: /p/wandb/offline-run-x");
  CHECK_THAT(lines[2], Catch::StartsWith("Offline: "));
}

TEST_CASE("FinishLines: a local run names its rows, files and store", "[banner]") {
  std::vector<std::string> lines =
      FinishLines(Settings(Mode::kLocal), "/p/wandb/run-x", Finished(1000, 3, 24'130));
  CHECK(lines == std::vector<std::string>{
                     "Run l8sdrqxm finished with 1,000 history rows and 3 files (23.6 KiB), kept "
                     "in the local store /home/alice/.local/share/wandb-cpp/store",
                     "Run directory: /p/wandb/run-x"});
  lines = FinishLines(Settings(Mode::kLocal), "/p/wandb/run-x", Finished(1, 1, 1));
  CHECK(lines[0] ==
        "Run l8sdrqxm finished with 1 history row and 1 file (1 B), kept in the local "
        "store /home/alice/.local/share/wandb-cpp/store");
  lines = FinishLines(Settings(Mode::kLocal), "/p/wandb/run-x", Finished(0, 0, 0));
  CHECK(lines[0] ==
        "Run l8sdrqxm finished with 0 history rows, kept in the local store "
        "/home/alice/.local/share/wandb-cpp/store");
}

TEST_CASE("FinishLines: an offline run says how to upload it", "[banner]") {
  std::vector<std::string> lines =
      FinishLines(Settings(Mode::kOffline), "/p/wandb/offline-run-x", Finished(30, 0, 0));
  REQUIRE(lines.size() >= 2);
  CHECK(lines[0] == "Offline run l8sdrqxm finished with 30 history rows in /p/wandb/offline-run-x");
  CHECK(lines[1] == "Upload it to W&B with: wandb-cpp sync /p/wandb/offline-run-x");
}

TEST_CASE("finish()'s warnings count in words", "[banner]") {
  CHECK(UndeliveredWarning("r1", 1, false) ==
        "1 record of run r1 could not be delivered to wandb-service");
  CHECK_THAT(UndeliveredWarning("r1", 2048, true),
             Catch::StartsWith("2,048 records of run r1 could not be delivered to wandb-service "
                               "(lost when it went away") &&
                 Catch::Contains("_undelivered_records"));
  CHECK(FilesFailedWarning("r1", "/p/run", 1) ==
        "1 file of run r1 could not be stored; see /p/run/logs/debug-internal.log");
  CHECK_THAT(QueueWaitNote(3, 0.25, size_t{32} << 20),
             Catch::StartsWith("log() waited 3 times (0.250 s in all) for its queue of 32.0 MiB "
                               "to drain") &&
                 Catch::Contains("WANDB_CPP_QUEUE_LIMIT"));
}

}  // namespace wandb::internal
