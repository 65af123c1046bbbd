#include "common/artifact/cache_cleanup.h"

#include <fcntl.h>
#include <sys/stat.h>

#include <catch2/catch.hpp>
#include <filesystem>

#include "tests/support/temp_dir.h"

namespace wandb::artifact {
namespace {
namespace fs = std::filesystem;
using testing::TempDir;
using testing::WriteBytes;

// A file of `size` bytes last read and written `age` before `now`.
void Put(const std::string& path, size_t size, absl::Time now, absl::Duration age) {
  fs::create_directories(fs::path(path).parent_path());
  WriteBytes(path, std::string(size, 'x'));
  const timespec when = absl::ToTimespec(now - age);
  const timespec times[2] = {when, when};
  REQUIRE(utimensat(AT_FDCWD, path.c_str(), times, 0) == 0);
}

}  // namespace

TEST_CASE("CleanUpCache deletes the least recently used objects until the cache fits") {
  TempDir dir;
  const absl::Time now = absl::Now();
  const std::string md5 = dir.path() + "/obj/md5";
  Put(md5 + "/aa/old", 100, now, absl::Hours(48));
  Put(md5 + "/bb/middle", 100, now, absl::Hours(24));
  Put(md5 + "/cc/new", 100, now, absl::Minutes(1));
  Put(dir.path() + "/obj/tmp/tmp_stale", 10, now, absl::Hours(2));   // a copy that died
  Put(dir.path() + "/obj/tmp/tmp_busy", 10, now, absl::Seconds(5));  // a copy under way

  absl::StatusOr<CacheCleanup> done = CleanUpCache(dir.path(), 150, now);
  REQUIRE(done.ok());
  CHECK(done->bytes_before == 320);
  CHECK(done->files_removed == 3);  // the stale temporary, then the two oldest objects
  CHECK(done->bytes_after == 110);
  CHECK_FALSE(fs::exists(md5 + "/aa/old"));
  CHECK_FALSE(fs::exists(md5 + "/bb/middle"));
  CHECK(fs::exists(md5 + "/cc/new"));
  CHECK_FALSE(fs::exists(dir.path() + "/obj/tmp/tmp_stale"));
  CHECK(fs::exists(dir.path() + "/obj/tmp/tmp_busy"));

  // Already small enough: nothing goes.
  done = CleanUpCache(dir.path(), 1000, now);
  REQUIRE(done.ok());
  CHECK(done->files_removed == 0);
  CHECK(done->bytes_after == 110);
}

TEST_CASE("CleanUpCache of a cache that does not exist reclaims nothing") {
  TempDir dir;
  absl::StatusOr<CacheCleanup> done = CleanUpCache(dir.path() + "/none", 0);
  REQUIRE(done.ok());
  CHECK(done->bytes_before == 0);
  CHECK(done->files_removed == 0);
  CHECK(absl::IsInvalidArgument(CleanUpCache(dir.path(), -1).status()));
}

}  // namespace wandb::artifact
