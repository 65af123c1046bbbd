#include "common/artifact/artifact_cache.h"

#include <stdlib.h>
#include <unistd.h>

#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>
#include <string>

namespace wandb::artifact {
namespace {

TEST_CASE("the cache keeps a file under obj/md5 by its hex MD5 and hashes what it copies") {
  char dir_template[] = "/tmp/artifact-cache-XXXXXX";
  const std::string dir = mkdtemp(dir_template);
  const std::string source = dir + "/a.txt";
  std::ofstream(source) << "hello\n";
  ArtifactCache cache(dir + "/cache");
  absl::StatusOr<CachedFile> put = cache.PutFile(source);
  REQUIRE(put.ok());
  CHECK(ToBase64(put->md5) == "sZRqySSS0jR8YjW00mERhA==");  // base64 of md5(b"hello\n")
  CHECK(put->size == 6);
  CHECK(put->path == dir + "/cache/obj/md5/b1/946ac92492d2347c6235b4d2611184");
  std::ifstream in(put->path);
  std::string copied((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  CHECK(copied == "hello\n");
  // The source may change now: the cached copy keeps what was added.
  std::ofstream(source) << "changed";
  CHECK(cache.PutFile(source)->path != put->path);
  CHECK(std::filesystem::is_empty(dir + "/cache/obj/tmp"));

  CHECK(absl::IsNotFound(cache.PutFile(dir + "/missing").status()));
  CHECK(absl::IsInvalidArgument(cache.PutFile(dir).status()));
  std::filesystem::remove_all(dir);
}

}  // namespace
}  // namespace wandb::artifact
