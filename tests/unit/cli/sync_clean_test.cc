#include "cli/sync_clean.h"

#include <catch2/catch.hpp>
#include <filesystem>
#include <sstream>

#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "tests/support/temp_dir.h"

namespace wandb::cli {
namespace {
namespace fs = std::filesystem;

// A run directory named for `started` (local time, as the daemon names them), with a log and,
// when `synced`, the mark a sync leaves.
std::string MakeRun(const std::string& parent, const std::string& prefix, absl::Time started,
                    const std::string& id, bool synced) {
  std::string dir = parent + "/" + prefix +
                    absl::FormatTime("%Y%m%d_%H%M%S", started, absl::LocalTimeZone()) + "-" + id;
  fs::create_directories(dir + "/files");
  testing::WriteBytes(dir + "/run-" + id + ".wandb", "log");
  if (synced) testing::WriteBytes(dir + "/run-" + id + ".wandb.synced", "");
  return dir;
}

struct Result {
  int code;
  std::string out;
  std::string err;
};

Result Clean(const SyncCleanOptions& options, absl::Time now, const std::string& answer = "") {
  std::istringstream in(answer);
  std::ostringstream out, err;
  int code = RunSyncClean(options, now, in, out, err);
  return {code, out.str(), err.str()};
}

}  // namespace

TEST_CASE("sync --clean: synced runs older than the limit go after a yes", "[sync_clean]") {
  testing::TempDir wandb;
  const absl::Time now =
      absl::FromCivil(absl::CivilSecond(2026, 3, 1, 12, 0, 0), absl::LocalTimeZone());
  const std::string old_synced =
      MakeRun(wandb.path(), "offline-run-", now - absl::Hours(30), "old1", true);
  const std::string old_online = MakeRun(wandb.path(), "run-", now - absl::Hours(48), "old2", true);
  const std::string young =
      MakeRun(wandb.path(), "offline-run-", now - absl::Hours(2), "new1", true);
  const std::string unsynced =
      MakeRun(wandb.path(), "offline-run-", now - absl::Hours(72), "uns1", false);
  fs::create_directories(wandb.path() + "/not-a-run");

  SyncCleanOptions options{.dirs = {wandb.path()}};
  Result no = Clean(options, now, "n\n");
  CHECK(no.code == 1);
  CHECK_THAT(no.out, Catch::Contains("Found 3 synced runs, 2 older than 24 hours") &&
                         Catch::Contains(old_synced) && Catch::Contains(old_online) &&
                         Catch::Contains("Are you sure you want to remove 2 runs? [y/N]"));
  CHECK(fs::exists(old_synced));

  Result yes = Clean(options, now, "Yes\n");
  INFO(yes.out << yes.err);
  CHECK(yes.code == 0);
  CHECK_THAT(yes.out, Catch::Contains("Removed 2 runs"));
  CHECK_FALSE(fs::exists(old_synced));
  CHECK_FALSE(fs::exists(old_online));
  CHECK(fs::exists(young));
  CHECK(fs::exists(unsynced));
  CHECK(fs::exists(wandb.path() + "/not-a-run"));

  // A smaller limit takes the young one too; --clean-force asks nothing.
  Result force = Clean({.dirs = {wandb.path()}, .old_hours = 1, .force = true}, now);
  CHECK(force.code == 0);
  CHECK(force.out.find("Are you sure") == std::string::npos);
  CHECK_FALSE(fs::exists(young));
  CHECK(fs::exists(unsynced));
}

TEST_CASE("sync --clean: arguments that are not directories and bad limits", "[sync_clean]") {
  testing::TempDir dir;
  Result missing = Clean({.dirs = {dir.path() + "/absent"}, .force = true}, absl::Now());
  CHECK(missing.code == 1);
  CHECK_THAT(missing.err, Catch::Contains("absent is not a directory"));
  CHECK(Clean({.dirs = {dir.path()}, .old_hours = -1}, absl::Now()).code == 2);
  Result empty = Clean({.dirs = {dir.path()}, .force = true}, absl::Now());
  CHECK(empty.code == 0);
  CHECK_THAT(empty.out, Catch::Contains("No synced runs older than 24 hours"));
}

}  // namespace wandb::cli
