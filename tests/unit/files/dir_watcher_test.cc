#include "service/files/dir_watcher.h"

#include <fcntl.h>
#include <unistd.h>

#include <catch2/catch.hpp>
#include <cstdio>
#include <filesystem>
#include <mutex>
#include <set>
#include <string>
#include <thread>

#include "tests/unit/files/files_test_support.h"

namespace wandb::files {
namespace {

using testing::AppendFile;
using testing::TempDir;
using testing::WaitUntil;
using testing::WriteFile;

// Collects what the watcher reports (on its thread; no Catch2 assertions there).
class Reports {
 public:
  DirWatcher::ChangeFn Callback() {
    return [this](const std::string& name) {
      std::lock_guard<std::mutex> lock(mu_);
      names_.insert(name);
    };
  }
  bool Has(const std::string& name) const {
    std::lock_guard<std::mutex> lock(mu_);
    return names_.count(name) > 0;
  }
  // Waits (up to 5 s) for `name` to be reported.
  bool Await(const std::string& name) const {
    return WaitUntil([&] { return Has(name); });
  }
  void Clear() {
    std::lock_guard<std::mutex> lock(mu_);
    names_.clear();
  }
  std::set<std::string> names() const {
    std::lock_guard<std::mutex> lock(mu_);
    return names_;
  }

 private:
  mutable std::mutex mu_;
  std::set<std::string> names_;
};

DirWatcherOptions Options(bool force_polling) {
  DirWatcherOptions options;
  options.force_polling = force_polling;
  options.poll_interval = absl::Milliseconds(50);
  return options;
}

// A watcher over `dir` in the mode under test, started.
std::unique_ptr<DirWatcher> Watch(const TempDir& dir, Reports& reports, bool force_polling) {
  auto watcher =
      std::make_unique<DirWatcher>(dir.path(), reports.Callback(), Options(force_polling));
  REQUIRE(watcher->Start().ok());
  CHECK(watcher->polling() == force_polling);  // inotify works on the test machines
  return watcher;
}

TEST_CASE("DirWatcher: a new file is reported", "[files][dir_watcher]") {
  bool polling = GENERATE(false, true);
  INFO("polling = " << polling);
  TempDir dir;
  Reports reports;
  auto watcher = Watch(dir, reports, polling);
  WriteFile(dir.File("a.txt"), "hello");
  CHECK(reports.Await("a.txt"));
}

TEST_CASE("DirWatcher: a modified file is reported, files present at start are not",
          "[files][dir_watcher]") {
  bool polling = GENERATE(false, true);
  INFO("polling = " << polling);
  TempDir dir;
  WriteFile(dir.File("old.txt"), "1");
  WriteFile(dir.File("untouched.txt"), "1");
  Reports reports;
  auto watcher = Watch(dir, reports, polling);
  AppendFile(dir.File("old.txt"), "2");
  CHECK(reports.Await("old.txt"));
  CHECK_FALSE(reports.Has("untouched.txt"));
}

TEST_CASE("DirWatcher: files in new subdirectories are reported", "[files][dir_watcher]") {
  bool polling = GENERATE(false, true);
  INFO("polling = " << polling);
  TempDir dir;
  Reports reports;
  auto watcher = Watch(dir, reports, polling);
  std::filesystem::create_directory(dir.File("sub"));
  WriteFile(dir.File("sub/x.txt"), "x");
  CHECK(reports.Await("sub/x.txt"));
  // A whole chain made at once: the file may exist before its directory is watched.
  std::filesystem::create_directories(dir.File("a/b/c"));
  WriteFile(dir.File("a/b/c/deep.txt"), "deep");
  CHECK(reports.Await("a/b/c/deep.txt"));
  // And later writes in them are seen too.
  reports.Clear();
  AppendFile(dir.File("a/b/c/deep.txt"), "er");
  CHECK(reports.Await("a/b/c/deep.txt"));
}

TEST_CASE("DirWatcher: a file written while kept open is reported", "[files][dir_watcher]") {
  bool polling = GENERATE(false, true);
  INFO("polling = " << polling);
  TempDir dir;
  Reports reports;
  auto watcher = Watch(dir, reports, polling);
  int fd = open(dir.File("output.log").c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
  REQUIRE(fd >= 0);
  REQUIRE(write(fd, "line 1\n", 7) == 7);
  CHECK(reports.Await("output.log"));
  reports.Clear();
  REQUIRE(write(fd, "line 2\n", 7) == 7);
  CHECK(reports.Await("output.log"));
  close(fd);
}

TEST_CASE("DirWatcher: a change to a symlink's target is reported", "[files][dir_watcher]") {
  bool polling = GENERATE(false, true);
  INFO("polling = " << polling);
  TempDir dir;
  TempDir user;
  WriteFile(user.File("early.pt"), "v1");
  REQUIRE(symlink(user.File("early.pt").c_str(), dir.File("early.pt").c_str()) == 0);
  Reports reports;
  auto watcher = Watch(dir, reports, polling);

  AppendFile(user.File("early.pt"), "v2");  // in place
  CHECK(reports.Await("early.pt"));

  // A link made while watching (as save() does) is reported, then its target's changes.
  WriteFile(user.File("late.pt"), "v1");
  REQUIRE(symlink(user.File("late.pt").c_str(), dir.File("late.pt").c_str()) == 0);
  CHECK(reports.Await("late.pt"));
  reports.Clear();
  // The target replaced by rename, as careful checkpoint writers do.
  WriteFile(user.File("late.pt.partial"), "v2 bigger");
  REQUIRE(std::rename(user.File("late.pt.partial").c_str(), user.File("late.pt").c_str()) == 0);
  CHECK(reports.Await("late.pt"));
}

TEST_CASE("DirWatcher: a link to a missing file is reported once the file appears",
          "[files][dir_watcher]") {
  bool polling = GENERATE(false, true);
  INFO("polling = " << polling);
  TempDir dir;
  TempDir user;
  REQUIRE(symlink(user.File("later.bin").c_str(), dir.File("later.bin").c_str()) == 0);
  Reports reports;
  auto watcher = Watch(dir, reports, polling);
  WriteFile(user.File("later.bin"), "now here");
  CHECK(reports.Await("later.bin"));
}

TEST_CASE("DirWatcher: ignored names are never reported", "[files][dir_watcher]") {
  bool polling = GENERATE(false, true);
  INFO("polling = " << polling);
  TempDir dir;
  Reports reports;
  DirWatcherOptions options = Options(polling);
  options.ignore_globs = {"*.ckpt"};
  DirWatcher watcher(dir.path(), reports.Callback(), options);
  REQUIRE(watcher.Start().ok());
  std::filesystem::create_directories(dir.File(".git/objects"));
  std::filesystem::create_directories(dir.File("sub"));
  for (const char* name : {"x.tmp", "sub/y.tmp", "run-abc.wandb", "wandb-summary.json", ".hidden",
                           "sub/.hidden", ".git/objects/ab", "model.ckpt"}) {
    WriteFile(dir.File(name), "ignored");
  }
  // Events come in order (inotify) or in one scan (polling): once the marker is in, the
  // ignored files have had their chance.
  WriteFile(dir.File("marker.txt"), "seen");
  REQUIRE(reports.Await("marker.txt"));
  std::this_thread::sleep_for(std::chrono::milliseconds(150));
  CHECK(reports.names() == std::set<std::string>{"marker.txt"});
}

TEST_CASE("DirWatcher: files renamed or moved in are reported", "[files][dir_watcher]") {
  bool polling = GENERATE(false, true);
  INFO("polling = " << polling);
  TempDir dir;
  TempDir outside;
  Reports reports;
  auto watcher = Watch(dir, reports, polling);
  // The atomic-write pattern: a temporary name (ignored), then a rename.
  WriteFile(dir.File("model.bin.tmp"), "weights");
  REQUIRE(std::rename(dir.File("model.bin.tmp").c_str(), dir.File("model.bin").c_str()) == 0);
  CHECK(reports.Await("model.bin"));
  // A whole directory moved in from elsewhere on the same filesystem.
  std::filesystem::create_directories(outside.File("moved/inner"));
  WriteFile(outside.File("moved/inner/f.txt"), "f");
  REQUIRE(std::rename(outside.File("moved").c_str(), dir.File("moved").c_str()) == 0);
  CHECK(reports.Await("moved/inner/f.txt"));
  reports.Clear();
  AppendFile(dir.File("moved/inner/f.txt"), "g");
  CHECK(reports.Await("moved/inner/f.txt"));
}

TEST_CASE("DirWatcher: a directory moved within the tree is watched under its new name",
          "[files][dir_watcher]") {
  bool polling = GENERATE(false, true);
  INFO("polling = " << polling);
  TempDir dir;
  std::filesystem::create_directories(dir.File("before"));
  Reports reports;
  auto watcher = Watch(dir, reports, polling);
  REQUIRE(std::rename(dir.File("before").c_str(), dir.File("after").c_str()) == 0);
  WriteFile(dir.File("after/x.txt"), "x");
  CHECK(reports.Await("after/x.txt"));
  CHECK_FALSE(reports.Has("before/x.txt"));
}

TEST_CASE("DirWatcher: Start and Stop", "[files][dir_watcher]") {
  TempDir dir;
  Reports reports;
  SECTION("Stop before Start, and twice") {
    DirWatcher watcher(dir.path(), reports.Callback());
    watcher.Stop();
    watcher.Stop();
  }
  SECTION("Start twice is refused") {
    DirWatcher watcher(dir.path(), reports.Callback(), Options(false));
    REQUIRE(watcher.Start().ok());
    CHECK(watcher.Start().code() == absl::StatusCode::kFailedPrecondition);
    watcher.Stop();
    watcher.Stop();
  }
  SECTION("a missing directory is refused") {
    DirWatcher watcher(dir.File("missing"), reports.Callback());
    CHECK(watcher.Start().code() == absl::StatusCode::kNotFound);
  }
  SECTION("the destructor stops a running watcher") {
    auto watcher = std::make_unique<DirWatcher>(dir.path(), reports.Callback(), Options(true));
    REQUIRE(watcher->Start().ok());
    CHECK(watcher->polling());
    watcher.reset();
  }
  SECTION("nothing is reported after Stop") {
    DirWatcher watcher(dir.path(), reports.Callback(), Options(false));
    REQUIRE(watcher.Start().ok());
    watcher.Stop();
    WriteFile(dir.File("after_stop.txt"), "x");
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
    CHECK(reports.names().empty());
  }
}

}  // namespace
}  // namespace wandb::files
