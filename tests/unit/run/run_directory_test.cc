#include "common/run/run_directory.h"

#include <stdlib.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <atomic>
#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <mutex>
#include <optional>
#include <string>
#include <thread>

#include "tests/support/temp_dir.h"

namespace wandb {
namespace {

namespace fs = std::filesystem;

using ::wandb::testing::TempDir;

// Sets TZ for the lifetime of the object.
class ScopedTimeZone {
 public:
  explicit ScopedTimeZone(const char* tz) {
    if (const char* old = getenv("TZ")) old_ = old;
    setenv("TZ", tz, 1);
    tzset();
  }
  ~ScopedTimeZone() {
    if (old_.has_value()) {
      setenv("TZ", old_->c_str(), 1);
    } else {
      unsetenv("TZ");
    }
    tzset();
  }

 private:
  std::optional<std::string> old_;
};

std::string LocalStamp(time_t t) {
  struct tm tm;
  REQUIRE(localtime_r(&t, &tm) != nullptr);
  char buf[32];
  REQUIRE(strftime(buf, sizeof(buf), "%Y%m%d_%H%M%S", &tm) > 0);
  return buf;
}

std::string ReadFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

std::string ReadLink(const std::string& path) {
  std::error_code ec;
  fs::path target = fs::read_symlink(path, ec);
  INFO("readlink " << path << ": " << ec.message());
  REQUIRE_FALSE(ec);
  return target.string();
}

const time_t kStart = 1700000000;  // 2023-11-14 22:13:20 UTC

TEST_CASE("RunDirectory::For: offline run paths", "[run_directory]") {
  TempDir tmp;
  RunDirectory d = RunDirectory::For(tmp.path(), true, absl::FromTimeT(kStart), "abc123xy");
  std::string name = "offline-run-" + LocalStamp(kStart) + "-abc123xy";
  CHECK(d.wandb_dir == tmp.path() + "/wandb");
  CHECK(d.run_dir == tmp.path() + "/wandb/" + name);
  CHECK(d.files_dir == d.run_dir + "/files");
  CHECK(d.logs_dir == d.run_dir + "/logs");
  CHECK(d.log_path == d.run_dir + "/run-abc123xy.wandb");
  // Nothing is created by For.
  CHECK_FALSE(fs::exists(d.wandb_dir));
}

TEST_CASE("RunDirectory::For: online prefix", "[run_directory]") {
  TempDir tmp;
  RunDirectory d = RunDirectory::For(tmp.path(), false, absl::FromTimeT(kStart), "id1");
  CHECK(d.run_dir == tmp.path() + "/wandb/run-" + LocalStamp(kStart) + "-id1");
  CHECK(d.log_path == d.run_dir + "/run-id1.wandb");
}

TEST_CASE("RunDirectory::For: the timestamp is local time", "[run_directory]") {
  if (!fs::exists("/usr/share/zoneinfo/Asia/Kolkata")) {
    WARN("no tzdata; skipped");
    return;
  }
  TempDir tmp;
  {
    ScopedTimeZone tz("Asia/Kolkata");  // UTC+05:30, no daylight saving
    RunDirectory d = RunDirectory::For(tmp.path(), true, absl::FromTimeT(kStart), "x");
    CHECK(d.run_dir == tmp.path() + "/wandb/offline-run-20231115_034320-x");
  }
  {
    ScopedTimeZone tz("UTC");
    RunDirectory d = RunDirectory::For(tmp.path(), true, absl::FromTimeT(kStart), "x");
    CHECK(d.run_dir == tmp.path() + "/wandb/offline-run-20231114_221320-x");
  }
}

TEST_CASE("RunDirectory::For: .wandb is used when it exists", "[run_directory]") {
  TempDir tmp;
  REQUIRE(mkdir((tmp.path() + "/.wandb").c_str(), 0755) == 0);
  RunDirectory d = RunDirectory::For(tmp.path(), true, absl::FromTimeT(kStart), "id");
  CHECK(d.wandb_dir == tmp.path() + "/.wandb");
  CHECK(d.run_dir == tmp.path() + "/.wandb/offline-run-" + LocalStamp(kStart) + "-id");

  SECTION("a file named .wandb does not count") {
    TempDir other;
    std::ofstream(other.path() + "/.wandb") << "x";
    RunDirectory e = RunDirectory::For(other.path(), true, absl::FromTimeT(kStart), "id");
    CHECK(e.wandb_dir == other.path() + "/wandb");
  }
}

TEST_CASE("RunDirectory::Create makes the run, files and logs directories", "[run_directory]") {
  TempDir tmp;
  std::string root = tmp.path() + "/not/yet/there";
  RunDirectory d = RunDirectory::For(root, true, absl::FromTimeT(kStart), "abc");
  REQUIRE(d.Create().ok());
  CHECK(fs::is_directory(d.run_dir));
  CHECK(fs::is_directory(d.files_dir));
  CHECK(fs::is_directory(d.logs_dir));
  CHECK_FALSE(fs::exists(d.log_path));
  // Creating again is fine.
  CHECK(d.Create().ok());
}

TEST_CASE("RunDirectory::Create fails when a file is in the way", "[run_directory]") {
  TempDir tmp;
  std::ofstream(tmp.path() + "/wandb") << "not a directory";
  RunDirectory d = RunDirectory::For(tmp.path(), true, absl::FromTimeT(kStart), "abc");
  absl::Status s = d.Create();
  REQUIRE_FALSE(s.ok());
  CHECK_THAT(std::string(s.message()), Catch::Contains(tmp.path() + "/wandb"));
}

TEST_CASE("RunDirectory::LinkAsLatest makes relative symlinks and replaces old ones",
          "[run_directory]") {
  TempDir tmp;
  RunDirectory first = RunDirectory::For(tmp.path(), true, absl::FromTimeT(kStart), "first");
  RunDirectory second = RunDirectory::For(tmp.path(), true, absl::FromTimeT(kStart + 60), "second");
  REQUIRE(first.Create().ok());
  REQUIRE(second.Create().ok());
  std::string first_name = fs::path(first.run_dir).filename().string();
  std::string second_name = fs::path(second.run_dir).filename().string();

  REQUIRE(first.LinkAsLatest().ok());
  std::string w = tmp.path() + "/wandb";
  CHECK(ReadLink(w + "/latest-run") == first_name);
  CHECK(ReadLink(w + "/debug.log") == first_name + "/logs/debug.log");
  CHECK(ReadLink(w + "/debug-internal.log") == first_name + "/logs/debug-internal.log");
  CHECK(fs::equivalent(w + "/latest-run", first.run_dir));

  REQUIRE(second.LinkAsLatest().ok());
  CHECK(ReadLink(w + "/latest-run") == second_name);
  CHECK(ReadLink(w + "/debug.log") == second_name + "/logs/debug.log");
  CHECK(ReadLink(w + "/debug-internal.log") == second_name + "/logs/debug-internal.log");

  // Through the link, a log written in the run's logs/ is visible.
  std::ofstream(second.logs_dir + "/debug.log") << "hello";
  CHECK(ReadFile(w + "/debug.log") == "hello");

  // The links survive moving the whole tree, because they are relative.
  std::string moved = tmp.path() + "/moved";
  fs::rename(tmp.path() + "/wandb", moved);
  CHECK(fs::is_directory(moved + "/latest-run"));

  // No temporary links are left behind.
  for (const auto& entry : fs::directory_iterator(moved)) {
    std::string n = entry.path().filename().string();
    INFO(n);
    CHECK((n == "latest-run" || n == "debug.log" || n == "debug-internal.log" || n == first_name ||
           n == second_name));
  }
}

// The daemon opens streams on gRPC threads, and every stream links itself as latest. A
// temporary link named "<link>.<pid>" is the same name for two threads of one process: one
// thread could unlink or rename the other's temporary link, so LinkAsLatest failed
// ("symlink ...: File exists" / "rename ...: No such file or directory").
TEST_CASE("RunDirectory::LinkAsLatest is safe from two threads of one process", "[run_directory]") {
  TempDir tmp;
  RunDirectory a = RunDirectory::For(tmp.path(), true, absl::FromTimeT(kStart), "aaaa");
  RunDirectory b = RunDirectory::For(tmp.path(), true, absl::FromTimeT(kStart), "bbbb");
  REQUIRE(a.Create().ok());
  REQUIRE(b.Create().ok());
  std::atomic<int> failures{0};
  std::string first_error;
  std::mutex mu;
  auto hammer = [&](const RunDirectory& d) {
    for (int i = 0; i < 2000; ++i) {
      absl::Status s = d.LinkAsLatest();
      if (!s.ok()) {
        if (failures.fetch_add(1) == 0) {
          std::lock_guard<std::mutex> lock(mu);
          first_error = s.ToString();
        }
      }
    }
  };
  std::thread ta(hammer, std::cref(a));
  std::thread tb(hammer, std::cref(b));
  ta.join();
  tb.join();
  INFO("first error: " << first_error);
  CHECK(failures.load() == 0);
  // Each link points at one of the two runs, and no temporary link is left behind.
  std::string a_name = fs::path(a.run_dir).filename().string();
  std::string b_name = fs::path(b.run_dir).filename().string();
  std::string latest = ReadLink(a.wandb_dir + "/latest-run");
  CHECK((latest == a_name || latest == b_name));
  for (const char* log : {"debug.log", "debug-internal.log"}) {
    std::string target = ReadLink(a.wandb_dir + "/" + log);
    CHECK((target == a_name + "/logs/" + log || target == b_name + "/logs/" + log));
  }
  int entries = 0;
  for (const auto& entry : fs::directory_iterator(a.wandb_dir)) {
    INFO(entry.path().string());
    ++entries;
  }
  CHECK(entries == 5);
}

TEST_CASE("WriteFileAtomically is safe from several threads of one process", "[run_directory]") {
  TempDir tmp;
  std::string path = tmp.path() + "/out.json";
  std::atomic<int> failures{0};
  auto hammer = [&](char fill) {
    std::string contents(4096, fill);
    for (int i = 0; i < 500; ++i) {
      if (!WriteFileAtomically(path, contents).ok()) failures.fetch_add(1);
    }
  };
  std::thread ta(hammer, 'a');
  std::thread tb(hammer, 'b');
  ta.join();
  tb.join();
  CHECK(failures.load() == 0);
  std::string contents = ReadFile(path);
  CHECK((contents == std::string(4096, 'a') || contents == std::string(4096, 'b')));
  CHECK(std::distance(fs::directory_iterator(tmp.path()), fs::directory_iterator()) == 1);
}

TEST_CASE("RunDirectory::LinkAsLatest replaces a stale regular file", "[run_directory]") {
  TempDir tmp;
  RunDirectory d = RunDirectory::For(tmp.path(), true, absl::FromTimeT(kStart), "r");
  REQUIRE(d.Create().ok());
  std::ofstream(d.wandb_dir + "/debug.log") << "old";
  REQUIRE(d.LinkAsLatest().ok());
  CHECK(fs::is_symlink(d.wandb_dir + "/debug.log"));
}

TEST_CASE("MakeDirectories", "[run_directory]") {
  TempDir tmp;
  std::string deep = tmp.path() + "/a/b/c";
  REQUIRE(MakeDirectories(deep).ok());
  CHECK(fs::is_directory(deep));
  CHECK(MakeDirectories(deep).ok());
  CHECK(MakeDirectories(tmp.path() + "/a/b/c/").ok());

  SECTION("mode applies to the new directories") {
    mode_t old = umask(0);
    absl::Status s = MakeDirectories(tmp.path() + "/m/n", 0700);
    umask(old);
    REQUIRE(s.ok());
    struct stat st;
    REQUIRE(stat((tmp.path() + "/m/n").c_str(), &st) == 0);
    CHECK((st.st_mode & 0777) == 0700);
  }
  SECTION("a file in the way is an error naming the path") {
    std::ofstream(tmp.path() + "/file") << "x";
    absl::Status s = MakeDirectories(tmp.path() + "/file");
    REQUIRE_FALSE(s.ok());
    CHECK(std::string(s.message()) == tmp.path() + "/file is not a directory");
    absl::Status below = MakeDirectories(tmp.path() + "/file/sub");
    REQUIRE_FALSE(below.ok());
    CHECK_THAT(std::string(below.message()), Catch::Contains(tmp.path() + "/file/sub"));
  }
}

TEST_CASE("WriteFileAtomically", "[run_directory]") {
  TempDir tmp;
  std::string path = tmp.path() + "/out.json";

  REQUIRE(WriteFileAtomically(path, "first").ok());
  CHECK(ReadFile(path) == "first");

  SECTION("replaces existing contents entirely") {
    REQUIRE(WriteFileAtomically(path, "2").ok());
    CHECK(ReadFile(path) == "2");
  }
  SECTION("binary contents and empty files") {
    std::string bytes("a\0b\xff\n", 5);
    REQUIRE(WriteFileAtomically(path, bytes).ok());
    CHECK(ReadFile(path) == bytes);
    REQUIRE(WriteFileAtomically(path, "").ok());
    CHECK(fs::file_size(path) == 0);
  }
  SECTION("large contents") {
    std::string big(5 * 1024 * 1024, 'z');
    REQUIRE(WriteFileAtomically(path, big).ok());
    CHECK(fs::file_size(path) == big.size());
  }
  SECTION("replacing a file seen through an open descriptor leaves the old one intact") {
    std::ifstream old_reader(path);
    REQUIRE(WriteFileAtomically(path, "new contents").ok());
    std::string seen((std::istreambuf_iterator<char>(old_reader)),
                     std::istreambuf_iterator<char>());
    CHECK(seen == "first");
    CHECK(ReadFile(path) == "new contents");
  }
  // No temporary file is left next to the target.
  int count = 0;
  for (const auto& entry : fs::directory_iterator(tmp.path())) {
    INFO(entry.path().string());
    CHECK(entry.path().filename() == "out.json");
    ++count;
  }
  CHECK(count == 1);
}

TEST_CASE("WriteFileAtomically fails in a missing directory, naming the path", "[run_directory]") {
  TempDir tmp;
  absl::Status s = WriteFileAtomically(tmp.path() + "/missing/out.txt", "x");
  REQUIRE_FALSE(s.ok());
  CHECK_THAT(std::string(s.message()), Catch::Contains(tmp.path() + "/missing/out.txt"));
}

}  // namespace
}  // namespace wandb
