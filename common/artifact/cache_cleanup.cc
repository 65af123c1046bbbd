#include "common/artifact/cache_cleanup.h"

#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <filesystem>
#include <vector>

#include "absl/strings/str_cat.h"

namespace wandb::artifact {
namespace {
namespace fs = std::filesystem;

// A temporary file this old belongs to a copy that will never finish.
constexpr absl::Duration kStaleTemporary = absl::Hours(1);

struct CachedObject {
  std::string path;
  int64_t size = 0;
  absl::Time accessed;  // which objects were used least recently
  absl::Time modified;  // whether a temporary file is still being written
};

// The regular files under `dir` (none when it does not exist).
absl::StatusOr<std::vector<CachedObject>> FilesUnder(const std::string& dir) {
  std::vector<CachedObject> files;
  std::error_code ec;
  if (!fs::exists(dir, ec)) return files;
  for (auto it = fs::recursive_directory_iterator(dir, ec);
       !ec && it != fs::recursive_directory_iterator(); it.increment(ec)) {
    struct stat st;
    if (lstat(it->path().c_str(), &st) != 0 || !S_ISREG(st.st_mode)) continue;
    files.push_back({it->path().string(), static_cast<int64_t>(st.st_size),
                     absl::TimeFromTimespec(st.st_atim), absl::TimeFromTimespec(st.st_mtim)});
  }
  if (ec) return absl::InternalError(absl::StrCat("cannot read ", dir, ": ", ec.message()));
  return files;
}

int64_t TotalSize(const std::vector<CachedObject>& files) {
  int64_t total = 0;
  for (const CachedObject& f : files) total += f.size;
  return total;
}

}  // namespace

absl::StatusOr<CacheCleanup> CleanUpCache(const std::string& cache_root, int64_t target_bytes,
                                          absl::Time now) {
  if (target_bytes < 0) return absl::InvalidArgumentError("the target size is negative");
  absl::StatusOr<std::vector<CachedObject>> objects = FilesUnder(cache_root + "/obj/md5");
  if (!objects.ok()) return objects.status();
  absl::StatusOr<std::vector<CachedObject>> temporaries = FilesUnder(cache_root + "/obj/tmp");
  if (!temporaries.ok()) return temporaries.status();

  CacheCleanup result;
  result.bytes_before = TotalSize(*objects) + TotalSize(*temporaries);
  int64_t total = result.bytes_before;
  auto remove = [&](const CachedObject& f) {
    // Gone already (another cleanup, a refill) counts as removed: the space is free.
    if (unlink(f.path.c_str()) == 0 || errno == ENOENT) {
      total -= f.size;
      ++result.files_removed;
    }
  };
  for (const CachedObject& t : *temporaries) {
    if (now - t.modified >= kStaleTemporary) remove(t);
  }
  std::sort(objects->begin(), objects->end(),
            [](const CachedObject& a, const CachedObject& b) { return a.accessed < b.accessed; });
  for (const CachedObject& object : *objects) {
    if (total <= target_bytes) break;
    remove(object);
  }
  result.bytes_after = total;
  return result;
}

}  // namespace wandb::artifact
