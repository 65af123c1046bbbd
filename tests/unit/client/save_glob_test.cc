#include "client/src/save_glob.h"

#include <unistd.h>

#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>

namespace wandb::internal {
namespace {
namespace fs = std::filesystem;

class TempTree {
 public:
  TempTree() {
    char tmpl[] = "/tmp/saveglob-XXXXXX";
    root_ = mkdtemp(tmpl);
    fs::create_directories(root_ + "/work/ckpt/sub");
    fs::create_directories(root_ + "/files");
  }
  ~TempTree() { fs::remove_all(root_); }
  void Write(const std::string& relative) {
    std::ofstream(root_ + "/work/" + relative) << relative;
  }
  std::string cwd() const { return root_ + "/work"; }
  std::string files() const { return root_ + "/files"; }

 private:
  std::string root_;
};

}  // namespace

TEST_CASE("save: a relative glob links matches under their relative names") {
  TempTree t;
  t.Write("ckpt/a.pt");
  t.Write("ckpt/b.pt");
  t.Write("ckpt/notes.txt");
  t.Write("ckpt/.hidden.pt");
  absl::StatusOr<SaveLinks> links = LinkForSave("ckpt/*.pt", std::nullopt, t.cwd(), t.files());
  REQUIRE(links.ok());
  CHECK(links->files_glob == "ckpt/*.pt");
  CHECK(links->linked == std::vector<std::string>{"ckpt/a.pt", "ckpt/b.pt"});
  CHECK_FALSE(links->warning.has_value());
  CHECK(fs::read_symlink(t.files() + "/ckpt/a.pt") == t.cwd() + "/ckpt/a.pt");

  SECTION("saving again keeps the links, and picks up new files") {
    t.Write("ckpt/c.pt");
    links = LinkForSave("ckpt/*.pt", std::nullopt, t.cwd(), t.files());
    REQUIRE(links.ok());
    CHECK(links->linked.size() == 3);
  }
}

TEST_CASE("save: base_path sets the names, and an absolute glob flattens with a warning") {
  TempTree t;
  t.Write("ckpt/sub/m.pt");
  absl::StatusOr<SaveLinks> based =
      LinkForSave("ckpt/sub/*.pt", std::string("ckpt"), t.cwd(), t.files());
  REQUIRE(based.ok());
  CHECK(based->files_glob == "sub/*.pt");
  CHECK(based->linked == std::vector<std::string>{"sub/m.pt"});

  absl::StatusOr<SaveLinks> absolute =
      LinkForSave(t.cwd() + "/ckpt/sub/*.pt", std::nullopt, "/", t.files());
  REQUIRE(absolute.ok());
  CHECK(absolute->files_glob == "*.pt");
  CHECK(absolute->linked == std::vector<std::string>{"m.pt"});
  CHECK(absolute->warning.has_value());
}

TEST_CASE("save: cloud paths and globs that climb above the base are refused") {
  TempTree t;
  for (const char* bad : {"s3://bucket/x", "gs://bucket/*.pt", "https://host/x"}) {
    absl::StatusOr<SaveLinks> links = LinkForSave(bad, std::nullopt, t.cwd(), t.files());
    INFO(bad);
    REQUIRE_FALSE(links.ok());
    CHECK(absl::IsInvalidArgument(links.status()));
  }
  absl::StatusOr<SaveLinks> up = LinkForSave("../*.pt", std::nullopt, t.cwd(), t.files());
  REQUIRE_FALSE(up.ok());
  CHECK_THAT(std::string(up.status().message()), Catch::Contains("climbs above"));
  absl::StatusOr<SaveLinks> based =
      LinkForSave("ckpt/*.pt", std::string("ckpt/sub"), t.cwd(), t.files());
  CHECK_FALSE(based.ok());
  CHECK_FALSE(LinkForSave("", std::nullopt, t.cwd(), t.files()).ok());
}

TEST_CASE("save: a glob that matches nothing yet is still saved, for files that come later") {
  TempTree t;
  absl::StatusOr<SaveLinks> links = LinkForSave("later/*.log", std::nullopt, t.cwd(), t.files());
  REQUIRE(links.ok());
  CHECK(links->files_glob == "later/*.log");
  CHECK(links->linked.empty());
}

}  // namespace wandb::internal
