#include "common/artifact/materialize.h"

#include <sys/stat.h>

#include <catch2/catch.hpp>
#include <filesystem>
#include <string>
#include <vector>

#include "tests/support/temp_dir.h"

namespace wandb::artifact {
namespace {

namespace fs = std::filesystem;
using ::wandb::testing::ReadBytes;
using ::wandb::testing::TempDir;
using ::wandb::testing::WriteBytes;

// Blobs as the store keeps them (any path will do), and the stored files that name them.
struct Fixture {
  TempDir tmp{"materialize"};
  ArtifactCache cache{tmp.File("cache")};
  std::vector<StoredFile> files;

  void Add(const std::string& path, const std::string& bytes) {
    const std::string blob = tmp.File("blob-" + std::to_string(files.size()));
    WriteBytes(blob, bytes);
    files.push_back({path, Md5Of(bytes), static_cast<int64_t>(bytes.size()), blob});
  }
};

TEST_CASE("materialize: files come out byte for byte through the cache") {
  Fixture f;
  f.Add("a.txt", "hello\n");
  f.Add("sub/deeper/b.bin", std::string("\0\1\2", 3));
  for (int i = 0; i < 40; ++i) f.Add("many/" + std::to_string(i), std::string(i, 'x'));
  const std::string root = f.tmp.File("out");
  absl::StatusOr<MaterializeReport> report = Materialize(f.files, root, f.cache);
  REQUIRE(report.ok());
  CHECK(report->files == 42);
  CHECK(report->cache_hits == 0);
  CHECK(ReadBytes(root + "/a.txt") == "hello\n");
  CHECK(ReadBytes(root + "/sub/deeper/b.bin") == std::string("\0\1\2", 3));
  CHECK(ReadBytes(root + "/many/39") == std::string(39, 'x'));
  // The cache has the objects under wandb's layout (md5 of "hello\n" is b1946ac9...).
  CHECK(ReadBytes(f.tmp.File("cache/obj/md5/b1/946ac92492d2347c6235b4d2611184")) == "hello\n");
  CHECK(Verify(f.files, root).ok());

  // Again: every object is a cache hit, and a file changed by hand is put back.
  WriteBytes(root + "/a.txt", "edited");
  report = Materialize(f.files, root, f.cache);
  REQUIRE(report.ok());
  CHECK(report->cache_hits == 42);
  CHECK(ReadBytes(root + "/a.txt") == "hello\n");
}

TEST_CASE("materialize: a damaged cache object is refilled from the blob") {
  Fixture f;
  f.Add("a.txt", "hello\n");
  REQUIRE(Materialize(f.files, f.tmp.File("first"), f.cache).ok());
  const std::string object = f.cache.ObjectPath(f.files[0].md5);
  WriteBytes(object, "HELLO\n");  // the same size: only the hash tells
  absl::StatusOr<MaterializeReport> report = Materialize(f.files, f.tmp.File("second"), f.cache);
  REQUIRE(report.ok());
  CHECK(report->cache_repaired == 1);
  CHECK(ReadBytes(f.tmp.File("second/a.txt")) == "hello\n");
  CHECK(ReadBytes(object) == "hello\n");

  SECTION("a damaged blob too is DataLoss naming the file") {
    WriteBytes(object, "HELLO\n");
    WriteBytes(f.files[0].blob_path, "HELLO\n");
    absl::Status status = Materialize(f.files, f.tmp.File("third"), f.cache).status();
    CHECK(absl::IsDataLoss(status));
    CHECK_THAT(std::string(status.message()), Catch::Contains("store's copy of a.txt"));
    CHECK(!fs::exists(f.tmp.File("third/a.txt")));
  }
}

TEST_CASE("materialize: no write goes through a symlink or out of the root") {
  Fixture f;
  f.Add("sub/a.txt", "a");
  f.Add("link.txt", "b");
  const std::string root = f.tmp.File("out");
  const std::string outside = f.tmp.File("outside");
  fs::create_directories(root);
  fs::create_directories(outside);
  WriteBytes(outside + "/keep.txt", "keep");
  fs::create_symlink(outside + "/keep.txt", root + "/link.txt");

  SECTION("a symlink at a file's name is replaced, not written through") {
    REQUIRE(Materialize(f.files, root, f.cache).ok());
    CHECK(!fs::is_symlink(root + "/link.txt"));
    CHECK(ReadBytes(root + "/link.txt") == "b");
    CHECK(ReadBytes(outside + "/keep.txt") == "keep");
  }
  SECTION("a directory that is a symlink is refused") {
    fs::create_directory_symlink(outside, root + "/sub");
    absl::Status status = Materialize(f.files, root, f.cache).status();
    CHECK(absl::IsInvalidArgument(status));
    CHECK_THAT(std::string(status.message()), Catch::Contains("is a symlink"));
    CHECK(!fs::exists(outside + "/a.txt"));
  }
  SECTION("an entry path that climbs out is refused") {
    f.Add("../escape.txt", "e");
    CHECK(absl::IsInvalidArgument(Materialize(f.files, root, f.cache).status()));
    CHECK(!fs::exists(f.tmp.File("escape.txt")));
  }
}

TEST_CASE("verify: names the files that are missing or differ") {
  Fixture f;
  f.Add("a.txt", "a");
  f.Add("b.txt", "b");
  const std::string root = f.tmp.File("out");
  REQUIRE(Materialize(f.files, root, f.cache).ok());
  WriteBytes(root + "/extra.txt", "extra files are allowed");
  CHECK(Verify(f.files, root).ok());
  WriteBytes(root + "/a.txt", "A");
  fs::remove(root + "/b.txt");
  absl::Status status = Verify(f.files, root);
  CHECK(absl::IsDataLoss(status));
  CHECK_THAT(std::string(status.message()), Catch::Contains("2 file(s)") &&
                                                Catch::Contains("a.txt has MD5") &&
                                                Catch::Contains("b.txt is missing"));
}

TEST_CASE("the default download root is ./artifacts/<name>:<version> or WANDB_ARTIFACT_DIR's") {
  unsetenv("WANDB_ARTIFACT_DIR");
  CHECK(DefaultDownloadRoot("model", "v3") == "./artifacts/model:v3");
  setenv("WANDB_ARTIFACT_DIR", "/data/arts", 1);
  CHECK(DefaultDownloadRoot("model", "v3") == "/data/arts/model:v3");
  unsetenv("WANDB_ARTIFACT_DIR");
}

}  // namespace
}  // namespace wandb::artifact
