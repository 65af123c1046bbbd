// Materialises a stored artifact version as plain files under a root directory (download), and
// checks such a tree against the manifest (verify). Each file comes through the per-user
// cache, as wandb's downloads do: a cache object with the right size is used, else it is
// filled from the store's blob. Every byte written is hashed on the way: a cache object whose
// bytes are not its MD5 (damaged on disk, or by hand) is refilled from the blob and the file
// copied again; a blob that is damaged too is DataLoss, naming the file.
//
// No write leaves the root: the entry paths are checked again, a directory inside the root
// that is a symlink is refused, and each file is written to a temporary name and renamed over
// the target, so a symlink at the target's own name is replaced, never written through.
// Files are copied in parallel.
#ifndef WANDB_COMMON_ARTIFACT_MATERIALIZE_H_
#define WANDB_COMMON_ARTIFACT_MATERIALIZE_H_

#include <cstdint>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "common/artifact/artifact_cache.h"
#include "common/artifact/md5.h"

namespace wandb::artifact {

// One stored file of a version (references are not fetched).
struct StoredFile {
  std::string path;  // inside the artifact
  Md5Bytes md5{};
  int64_t size = 0;
  std::string blob_path;  // the store's copy: read, never written
};

struct MaterializeReport {
  int64_t files = 0;
  int64_t bytes = 0;
  int64_t cache_hits = 0;      // files whose cache object was there already
  int64_t cache_repaired = 0;  // damaged cache objects refilled from the store
};

// Threads that copy at once (wandb's download uses a pool too).
inline constexpr int kMaterializeThreads = 8;

absl::StatusOr<MaterializeReport> Materialize(const std::vector<StoredFile>& files,
                                              const std::string& root, const ArtifactCache& cache);

// OK when every file is under `root` with its MD5 (extra files are allowed); DataLoss naming
// the files that differ or are missing, and the count.
absl::Status Verify(const std::vector<StoredFile>& files, const std::string& root);

// wandb's default root of a download: ./artifacts/<name>:<version>, where ./artifacts is
// $WANDB_ARTIFACT_DIR when set (the variable later wandb versions read).
std::string DefaultDownloadRoot(const std::string& name, const std::string& version);

}  // namespace wandb::artifact

#endif  // WANDB_COMMON_ARTIFACT_MATERIALIZE_H_
