#include "service/store/blob_store.h"

#include <fcntl.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <catch2/catch.hpp>
#include <set>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "tests/unit/store/store_test_support.h"

namespace wandb::store {
namespace {

using testing::CountFiles;
using testing::ReadBytes;
using testing::TempDir;
using testing::WriteBytes;

// Known MD5s (RFC 1321 test suite and `printf hello | md5sum`).
constexpr char kMd5Empty[] = "d41d8cd98f00b204e9800998ecf8427e";
constexpr char kMd5Hello[] = "5d41402abc4b2a76b9719d911017c592";
constexpr char kMd5Abc[] = "900150983cd24fb0d6963f7d28e17f72";

BlobStore OpenBlobs(const std::string& root) {
  absl::StatusOr<BlobStore> blobs = BlobStore::Open(root);
  INFO(blobs.status().ToString());
  REQUIRE(blobs.ok());
  return *std::move(blobs);
}

BlobInfo PutBytesOk(const BlobStore& blobs, const std::string& bytes) {
  absl::StatusOr<BlobInfo> info = blobs.PutBytes(bytes);
  INFO(info.status().ToString());
  REQUIRE(info.ok());
  return *info;
}

mode_t Mode(const std::string& path) {
  struct stat st;
  REQUIRE(stat(path.c_str(), &st) == 0);
  return st.st_mode & 0777;
}

std::string Bytes(size_t size) {
  std::string bytes(size, '\0');
  for (size_t i = 0; i < size; ++i) bytes[i] = static_cast<char>((i * 131 + i / 7) & 0xff);
  return bytes;
}

TEST_CASE("store/BlobStore: Open makes private md5/ and tmp/ directories", "[store][blob_store]") {
  TempDir tmp;
  std::string root = tmp.File("a/b/blobs");
  BlobStore blobs = OpenBlobs(root);
  CHECK(blobs.root() == root);
  CHECK(Mode(root) == 0700);
  CHECK(Mode(root + "/md5") == 0700);
  CHECK(Mode(root + "/tmp") == 0700);
  CHECK(blobs.temp_dir() == root + "/tmp");
  OpenBlobs(root);  // opening again is fine

  WriteBytes(tmp.File("file"), "x");
  absl::StatusOr<BlobStore> on_file = BlobStore::Open(tmp.File("file"));
  REQUIRE_FALSE(on_file.ok());
  CHECK_THAT(std::string(on_file.status().message()),
             Catch::Contains(tmp.File("file") + " exists and is not a directory"));
}

TEST_CASE("store/BlobStore: a blob lives at md5/<hex[0:2]>/<hex[2:]>", "[store][blob_store]") {
  TempDir tmp;
  BlobStore blobs = OpenBlobs(tmp.File("blobs"));
  BlobInfo info = PutBytesOk(blobs, "hello");
  CHECK(info.md5 == kMd5Hello);
  CHECK(info.size == 5);
  CHECK(info.created);
  std::string expected = tmp.File("blobs/md5/5d/41402abc4b2a76b9719d911017c592");
  absl::StatusOr<std::string> path = blobs.Path(kMd5Hello);
  REQUIRE(path.ok());
  CHECK(*path == expected);
  CHECK(ReadBytes(expected) == "hello");
  CHECK(Mode(expected) == 0600);
  CHECK(blobs.Exists(kMd5Hello).value_or(false));
  CHECK_FALSE(blobs.Exists(kMd5Abc).value_or(true));

  BlobInfo empty = PutBytesOk(blobs, "");
  CHECK(empty.md5 == kMd5Empty);
  CHECK(empty.size == 0);
  CHECK(ReadBytes(*blobs.Path(kMd5Empty)).empty());
  CHECK(CountFiles(blobs.temp_dir()) == 0);
}

TEST_CASE("store/BlobStore: the same content stored twice is kept once", "[store][blob_store]") {
  TempDir tmp;
  BlobStore blobs = OpenBlobs(tmp.File("blobs"));
  BlobInfo first = PutBytesOk(blobs, "abc");
  CHECK(first.created);

  WriteBytes(tmp.File("copy.txt"), "abc");
  absl::StatusOr<BlobInfo> second = blobs.PutFile(tmp.File("copy.txt"));
  REQUIRE(second.ok());
  CHECK(second->md5 == kMd5Abc);
  CHECK(second->size == 3);
  CHECK_FALSE(second->created);
  BlobInfo third = PutBytesOk(blobs, "abc");
  CHECK_FALSE(third.created);

  CHECK(CountFiles(tmp.File("blobs/md5")) == 1);
  CHECK(CountFiles(blobs.temp_dir()) == 0);  // the redundant copies were removed
}

TEST_CASE("store/BlobStore: a file larger than the copy buffer is streamed and hashed whole",
          "[store][blob_store]") {
  TempDir tmp;
  BlobStore blobs = OpenBlobs(tmp.File("blobs"));
  std::string content = Bytes(3 * 256 * 1024 + 17);
  WriteBytes(tmp.File("big.bin"), content);
  absl::StatusOr<BlobInfo> info = blobs.PutFile(tmp.File("big.bin"));
  REQUIRE(info.ok());
  absl::StatusOr<std::string> expected = BlobStore::Md5OfBytes(content);
  REQUIRE(expected.ok());
  CHECK(info->md5 == *expected);
  CHECK(info->size == static_cast<int64_t>(content.size()));
  CHECK(ReadBytes(*blobs.Path(info->md5)) == content);
  CHECK(BlobStore::Md5OfFile(tmp.File("big.bin")).value_or("") == *expected);
  CHECK(blobs.Verify(info->md5).ok());
}

TEST_CASE("store/BlobStore: a symlinked source is stored by its content", "[store][blob_store]") {
  TempDir tmp;
  BlobStore blobs = OpenBlobs(tmp.File("blobs"));
  WriteBytes(tmp.File("target"), "hello");
  REQUIRE(symlink(tmp.File("target").c_str(), tmp.File("link").c_str()) == 0);
  absl::StatusOr<BlobInfo> info = blobs.PutFile(tmp.File("link"));
  REQUIRE(info.ok());
  CHECK(info->md5 == kMd5Hello);
}

TEST_CASE("store/BlobStore: Verify re-hashes and reports missing or corrupt blobs",
          "[store][blob_store]") {
  TempDir tmp;
  BlobStore blobs = OpenBlobs(tmp.File("blobs"));
  BlobInfo info = PutBytesOk(blobs, "hello");
  CHECK(blobs.Verify(info.md5).ok());

  std::string path = *blobs.Path(info.md5);
  WriteBytes(path, "jello");  // same size, different bytes
  absl::Status corrupt = blobs.Verify(info.md5);
  CHECK(corrupt.code() == absl::StatusCode::kDataLoss);
  CHECK_THAT(std::string(corrupt.message()), Catch::Contains(path + " is corrupt"));

  absl::Status missing = blobs.Verify(kMd5Abc);
  CHECK(missing.code() == absl::StatusCode::kNotFound);
  CHECK_THAT(std::string(missing.message()), Catch::Contains(kMd5Abc));
}

TEST_CASE("store/BlobStore: a damaged blob of the wrong size is replaced by the next put",
          "[store][blob_store]") {
  TempDir tmp;
  BlobStore blobs = OpenBlobs(tmp.File("blobs"));
  BlobInfo info = PutBytesOk(blobs, "hello");
  std::string path = *blobs.Path(info.md5);
  WriteBytes(path, "hel");  // truncated by something outside the store
  BlobInfo again = PutBytesOk(blobs, "hello");
  CHECK(again.created);
  CHECK(ReadBytes(path) == "hello");
  CHECK(blobs.Verify(info.md5).ok());
}

TEST_CASE("store/BlobStore: MD5 names are checked before they become paths",
          "[store][blob_store]") {
  TempDir tmp;
  BlobStore blobs = OpenBlobs(tmp.File("blobs"));
  for (const char* bad : {"", "../../../../etc/passwd", "5D41402ABC4B2A76B9719D911017C592",
                          "5d41402abc4b2a76b9719d911017c59", "5d41402abc4b2a76b9719d911017c5922",
                          "5d41402abc4b2a76b9719d911017c59g"}) {
    INFO(bad);
    CHECK_FALSE(BlobStore::IsValidMd5(bad));
    CHECK(blobs.Path(bad).status().code() == absl::StatusCode::kInvalidArgument);
    CHECK(blobs.Exists(bad).status().code() == absl::StatusCode::kInvalidArgument);
    CHECK(blobs.Verify(bad).code() == absl::StatusCode::kInvalidArgument);
  }
  CHECK(BlobStore::IsValidMd5(kMd5Hello));
}

TEST_CASE("store/BlobStore: sources that are missing or not regular files are refused",
          "[store][blob_store]") {
  TempDir tmp;
  BlobStore blobs = OpenBlobs(tmp.File("blobs"));

  absl::StatusOr<BlobInfo> missing = blobs.PutFile(tmp.File("nope.txt"));
  CHECK(missing.status().code() == absl::StatusCode::kNotFound);
  CHECK(std::string(missing.status().message()) ==
        "cannot open " + tmp.File("nope.txt") + ": No such file or directory");

  absl::StatusOr<BlobInfo> dir = blobs.PutFile(tmp.path());
  CHECK(dir.status().code() == absl::StatusCode::kInvalidArgument);
  CHECK(std::string(dir.status().message()) == tmp.path() + " is not a regular file");

  // A FIFO with no writer would block a plain open(); it is refused at once.
  REQUIRE(mkfifo(tmp.File("fifo").c_str(), 0600) == 0);
  absl::StatusOr<BlobInfo> fifo = blobs.PutFile(tmp.File("fifo"));
  CHECK(fifo.status().code() == absl::StatusCode::kInvalidArgument);

  CHECK(CountFiles(tmp.File("blobs")) == 0);
}

TEST_CASE("store/BlobStore: stale temporary files are swept, ones held by a live put are kept",
          "[store][blob_store]") {
  TempDir tmp;
  std::string root = tmp.File("blobs");
  BlobStore blobs = OpenBlobs(root);

  // Left by a killed process: nobody holds a lock on it.
  WriteBytes(root + "/tmp/put-stale1", "half a file");
  WriteBytes(root + "/tmp/put-stale2", "");
  // A put in flight (in this or another process) holds an flock on its temporary file.
  WriteBytes(root + "/tmp/put-live", "in progress");
  int live = open((root + "/tmp/put-live").c_str(), O_RDONLY | O_CLOEXEC);
  REQUIRE(live >= 0);
  REQUIRE(flock(live, LOCK_EX) == 0);

  OpenBlobs(root);  // Open sweeps
  CHECK_FALSE(std::filesystem::exists(root + "/tmp/put-stale1"));
  CHECK_FALSE(std::filesystem::exists(root + "/tmp/put-stale2"));
  CHECK(std::filesystem::exists(root + "/tmp/put-live"));

  absl::StatusOr<int> swept = blobs.SweepTemps();
  REQUIRE(swept.ok());
  CHECK(*swept == 0);

  close(live);  // its writer died
  swept = blobs.SweepTemps();
  REQUIRE(swept.ok());
  CHECK(*swept == 1);
  CHECK(CountFiles(root + "/tmp") == 0);
}

TEST_CASE("store/BlobStore: a put and a sweep in another process do not disturb each other",
          "[store][blob_store]") {
  TempDir tmp;
  std::string root = tmp.File("blobs");
  BlobStore blobs = OpenBlobs(root);
  // A child sweeps over and over while this process stores 200 blobs: every put must
  // succeed and every blob must be whole.
  int ready[2];
  REQUIRE(pipe(ready) == 0);
  pid_t sweeper = fork();
  REQUIRE(sweeper >= 0);
  if (sweeper == 0) {
    close(ready[0]);
    absl::StatusOr<BlobStore> mine = BlobStore::Open(root);
    if (!mine.ok()) _exit(1);
    (void)!write(ready[1], "r", 1);
    while (true) {
      if (!mine->SweepTemps().ok()) _exit(2);
    }
  }
  close(ready[1]);
  char byte;
  REQUIRE(read(ready[0], &byte, 1) == 1);
  close(ready[0]);
  std::vector<std::string> md5s;
  for (int i = 0; i < 200; ++i) {
    absl::StatusOr<BlobInfo> info = blobs.PutBytes(Bytes(1000 + i));
    INFO(info.status().ToString());
    REQUIRE(info.ok());
    md5s.push_back(info->md5);
  }
  kill(sweeper, SIGKILL);
  int status = 0;
  REQUIRE(waitpid(sweeper, &status, 0) == sweeper);
  CHECK(WIFSIGNALED(status));  // it never failed (an exit would mean a failed sweep)
  for (const std::string& md5 : md5s) CHECK(blobs.Verify(md5).ok());
  CHECK(CountFiles(root + "/md5") == 200);
}

TEST_CASE("store/BlobStore: concurrent puts of the same content leave one whole blob",
          "[store][blob_store]") {
  TempDir tmp;
  BlobStore blobs = OpenBlobs(tmp.File("blobs"));
  std::string content = Bytes(300000);
  std::vector<absl::StatusOr<BlobInfo>> results(8, absl::UnknownError("not run"));
  std::vector<std::thread> threads;
  for (size_t i = 0; i < results.size(); ++i) {
    threads.emplace_back([&, i] { results[i] = blobs.PutBytes(content); });
  }
  for (std::thread& t : threads) t.join();
  std::set<std::string> md5s;
  int created = 0;
  for (const absl::StatusOr<BlobInfo>& r : results) {
    INFO(r.status().ToString());
    REQUIRE(r.ok());
    md5s.insert(r->md5);
    if (r->created) ++created;
  }
  CHECK(md5s.size() == 1);
  CHECK(created >= 1);
  CHECK(CountFiles(tmp.File("blobs/md5")) == 1);
  CHECK(CountFiles(blobs.temp_dir()) == 0);
  CHECK(blobs.Verify(*md5s.begin()).ok());
}

}  // namespace
}  // namespace wandb::store
