#include "service/files/file_tree.h"

#include <unistd.h>

#include <catch2/catch.hpp>
#include <filesystem>

#include "tests/unit/files/files_test_support.h"

namespace wandb::files {
namespace {

using testing::TempDir;
using testing::WriteFileAt;

std::vector<std::string> Names(const std::vector<TreeEntry>& entries) {
  std::vector<std::string> names;
  for (const TreeEntry& entry : entries) names.push_back(entry.save_name);
  return names;
}

TEST_CASE("ListTree: files and file symlinks, recursively and sorted", "[files][file_tree]") {
  TempDir dir;
  TempDir user;
  std::filesystem::create_directories(dir.File("b/c"));
  std::filesystem::create_directories(user.File("linked_dir"));
  WriteFileAt(dir.File("z.txt"), "z", 10);
  WriteFileAt(dir.File("b/c/deep.txt"), "deep", 20);
  WriteFileAt(user.File("target"), "target!", 30);
  WriteFileAt(user.File("linked_dir/inside"), "x", 30);
  REQUIRE(symlink(user.File("target").c_str(), dir.File("a_link").c_str()) == 0);
  REQUIRE(symlink(user.File("linked_dir").c_str(), dir.File("dir_link").c_str()) == 0);
  REQUIRE(symlink(user.File("missing").c_str(), dir.File("dangling").c_str()) == 0);
  REQUIRE(mkfifo(dir.File("fifo").c_str(), 0600) == 0);

  std::vector<TreeEntry> entries = ListTree(dir.path());
  REQUIRE(Names(entries) == std::vector<std::string>{"a_link", "b/c/deep.txt", "z.txt"});
  CHECK(entries[0].is_symlink);
  CHECK(entries[0].stamp.version ==
        FileVersion{.size = 7, .mtime = absl::FromUnixSeconds(30)});  // the target's
  CHECK_FALSE(entries[1].is_symlink);
  CHECK(entries[1].stamp.version.size == 4);
  CHECK(entries[2].stamp.inode != 0);
}

TEST_CASE("ListTree: skip prunes directories and files", "[files][file_tree]") {
  TempDir dir;
  std::filesystem::create_directories(dir.File("keep"));
  std::filesystem::create_directories(dir.File("drop/deeper"));
  WriteFileAt(dir.File("keep/a"), "a", 1);
  WriteFileAt(dir.File("keep/b"), "b", 1);
  WriteFileAt(dir.File("drop/deeper/c"), "c", 1);
  auto skip = [](absl::string_view name) { return name == "drop" || name == "keep/b"; };
  CHECK(Names(ListTree(dir.path(), skip)) == std::vector<std::string>{"keep/a"});
}

TEST_CASE("StatFile and StampOf", "[files][file_tree]") {
  TempDir dir;
  WriteFileAt(dir.File("f"), "12345", 77);
  absl::StatusOr<FileVersion> version = StatFile(dir.File("f"));
  REQUIRE(version.ok());
  CHECK(*version == FileVersion{.size = 5, .mtime = absl::FromUnixSeconds(77)});
  CHECK(StatFile(dir.File("missing")).status().code() == absl::StatusCode::kNotFound);
  CHECK(StatFile(dir.path()).status().code() == absl::StatusCode::kFailedPrecondition);
  CHECK(StampOf(dir.File("f")).has_value());
  CHECK_FALSE(StampOf(dir.path()).has_value());
  CHECK(JoinPath("", "a") == "a");
  CHECK(JoinPath("a/b", "c") == "a/b/c");
}

}  // namespace
}  // namespace wandb::files
