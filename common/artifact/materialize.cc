#include "common/artifact/materialize.h"

#include <fcntl.h>
#include <sys/stat.h>

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <thread>
#include <utility>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "absl/synchronization/mutex.h"
#include "common/artifact/artifact_names.h"
#include "common/artifact/file_io.h"

namespace wandb::artifact {
namespace {

// Makes each directory of `relative_dir` under `root`, refusing one that is a symlink (it
// could point anywhere) or not a directory.
absl::Status MakeDirs(const std::string& root, absl::string_view relative_dir) {
  std::string dir = root;
  for (absl::string_view part : absl::StrSplit(relative_dir, '/', absl::SkipEmpty())) {
    absl::StrAppend(&dir, "/", part);
    struct stat st;
    if (lstat(dir.c_str(), &st) == 0) {
      if (S_ISLNK(st.st_mode)) {
        return absl::InvalidArgumentError(
            absl::StrCat(dir,
                         " is a symlink: a download writes through none (it could point "
                         "outside ",
                         root, ")"));
      }
      if (!S_ISDIR(st.st_mode)) {
        return absl::FailedPreconditionError(absl::StrCat(dir, " is in the way: not a directory"));
      }
      continue;
    }
    if (mkdir(dir.c_str(), 0777) != 0 && errno != EEXIST) {
      return ErrnoError(errno, absl::StrCat("cannot create ", dir));
    }
  }
  return absl::OkStatus();
}

// Copies the cache object into a temporary file beside `target`; its hash.
absl::StatusOr<HashedCopy> CopyToTemp(const std::string& object, const std::string& target,
                                      TempPath* temp) {
  Fd in{open(object.c_str(), O_RDONLY | O_CLOEXEC)};
  if (in.fd < 0) return ErrnoError(errno, absl::StrCat("cannot open ", object));
  const std::filesystem::path path(target);
  absl::StatusOr<int> fd = MakeTempFile(
      absl::StrCat(path.parent_path().string(), "/.", path.filename().string(), ".tmp_XXXXXX"),
      temp);
  if (!fd.ok()) return fd.status();
  Fd out{*fd};
  absl::StatusOr<HashedCopy> copy = CopyHashing(in.fd, out.fd, object, temp->path);
  if (!copy.ok()) return copy;
  if (close(std::exchange(out.fd, -1)) != 0) {
    return ErrnoError(errno, absl::StrCat("cannot write ", temp->path));
  }
  return copy;
}

bool HasObject(const std::string& object, int64_t size) {
  struct stat st;
  return stat(object.c_str(), &st) == 0 && S_ISREG(st.st_mode) && st.st_size == size;
}

// One file: cache (filled from the blob when missing), then the target, checked.
absl::Status MaterializeOne(const StoredFile& file, const std::string& root,
                            const ArtifactCache& cache, MaterializeReport* report,
                            absl::Mutex* report_mu) {
  if (absl::Status s = ValidateEntryPath(file.path); !s.ok()) return s;
  const size_t slash = file.path.rfind('/');
  if (slash != std::string::npos) {
    if (absl::Status s = MakeDirs(root, file.path.substr(0, slash)); !s.ok()) return s;
  }
  const std::string target = absl::StrCat(root, "/", file.path);
  const std::string object = cache.ObjectPath(file.md5);
  bool hit = HasObject(object, file.size);
  bool repaired = false;
  auto refill = [&]() -> absl::Status {
    absl::StatusOr<CachedFile> filled = cache.Refill(file.blob_path, file.md5);
    if (filled.status().code() == absl::StatusCode::kDataLoss) {
      return absl::DataLossError(absl::StrCat("the store's copy of ", file.path,
                                              " is damaged: ", filled.status().message()));
    }
    return filled.status();
  };
  if (!hit) {
    if (absl::Status s = refill(); !s.ok()) return s;
  }
  TempPath temp;
  absl::StatusOr<HashedCopy> copy = CopyToTemp(object, target, &temp);
  if (copy.ok() && copy->md5 != file.md5) {
    // The cache object is damaged (its size was right): refilled from the store, copied again.
    repaired = true;
    unlink(std::exchange(temp.path, "").c_str());
    if (absl::Status s = refill(); !s.ok()) return s;
    copy = CopyToTemp(object, target, &temp);
    if (copy.ok() && copy->md5 != file.md5) {
      return absl::DataLossError(absl::StrCat(file.path, " changed in the cache as it was copied"));
    }
  }
  if (!copy.ok()) return copy.status();
  if (rename(temp.path.c_str(), target.c_str()) != 0) {
    return ErrnoError(errno, absl::StrCat("cannot write ", target));
  }
  temp.path.clear();
  absl::MutexLock lock(report_mu);
  report->files += 1;
  report->bytes += copy->size;
  report->cache_hits += hit && !repaired ? 1 : 0;
  report->cache_repaired += repaired ? 1 : 0;
  return absl::OkStatus();
}

// Calls `work(i)` for i in [0, n) on up to kMaterializeThreads threads; the first error.
template <typename Work>
absl::Status InParallel(size_t n, Work work) {
  std::atomic<size_t> next{0};
  absl::Mutex mu;
  absl::Status first;
  auto loop = [&] {
    for (size_t i = next.fetch_add(1); i < n; i = next.fetch_add(1)) {
      absl::Status s = work(i);
      if (s.ok()) continue;
      absl::MutexLock lock(&mu);
      if (first.ok()) first = s;
      next.store(n);  // the others stop after their current file
    }
  };
  std::vector<std::thread> threads;
  const size_t count = std::min<size_t>(n, kMaterializeThreads);
  for (size_t t = 1; t < count; ++t) threads.emplace_back(loop);
  loop();
  for (std::thread& thread : threads) thread.join();
  return first;
}

}  // namespace

absl::StatusOr<MaterializeReport> Materialize(const std::vector<StoredFile>& files,
                                              const std::string& root, const ArtifactCache& cache) {
  std::error_code ec;
  std::filesystem::create_directories(root, ec);
  if (ec) return absl::InternalError(absl::StrCat("cannot create ", root, ": ", ec.message()));
  MaterializeReport report;
  absl::Mutex report_mu;
  absl::Status status = InParallel(files.size(), [&](size_t i) {
    return MaterializeOne(files[i], root, cache, &report, &report_mu);
  });
  if (!status.ok()) return status;
  return report;
}

absl::Status Verify(const std::vector<StoredFile>& files, const std::string& root) {
  absl::Mutex mu;
  std::vector<std::string> bad;
  absl::Status status = InParallel(files.size(), [&](size_t i) -> absl::Status {
    const StoredFile& file = files[i];
    if (absl::Status s = ValidateEntryPath(file.path); !s.ok()) return s;
    const std::string target = absl::StrCat(root, "/", file.path);
    Fd in{open(target.c_str(), O_RDONLY | O_CLOEXEC | O_NOFOLLOW)};
    std::string problem;
    if (in.fd < 0) {
      problem = errno == ELOOP ? "is a symlink" : "is missing";
    } else if (absl::StatusOr<HashedCopy> hash = HashFd(in.fd, target); !hash.ok()) {
      return hash.status();
    } else if (hash->md5 != file.md5) {
      problem = absl::StrCat("has MD5 ", ToHex(hash->md5), ", not ", ToHex(file.md5));
    }
    if (problem.empty()) return absl::OkStatus();
    absl::MutexLock lock(&mu);
    bad.push_back(absl::StrCat(file.path, " ", problem));
    return absl::OkStatus();
  });
  if (!status.ok()) return status;
  if (bad.empty()) return absl::OkStatus();
  std::sort(bad.begin(), bad.end());
  const size_t shown = std::min<size_t>(bad.size(), 5);
  return absl::DataLossError(absl::StrCat(
      bad.size(), " file(s) under ", root, " differ from the artifact: ",
      absl::StrJoin(bad.begin(), bad.begin() + static_cast<std::ptrdiff_t>(shown), "; "),
      bad.size() > shown ? "; ..." : ""));
}

std::string DefaultDownloadRoot(const std::string& name, const std::string& version) {
  const char* dir = std::getenv("WANDB_ARTIFACT_DIR");
  const std::string base = dir != nullptr && dir[0] != '\0' ? dir : "./artifacts";
  return absl::StrCat(base, "/", name, ":", version);
}

}  // namespace wandb::artifact
