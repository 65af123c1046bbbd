// `wandb-cpp artifact cache cleanup SIZE`: shrinks the per-user artifact cache
// (artifact_cache.h) as wandb's `wandb artifact cache cleanup` does: the least recently used
// objects (by access time) are deleted until the cache holds at most the target. A deleted
// object costs only a copy: a later download takes it from the store again.
//
// Temporary files of copies into the cache (obj/tmp) an hour old belong to a process that
// died and are deleted too; younger ones may be a copy under way and are left alone (wandb
// deletes them all). An object a daemon is about to read for a commit can be deleted under
// it, as with wandb: the commit then fails and says so; clean up while no run is logging
// artifacts.
#ifndef WANDB_COMMON_ARTIFACT_CACHE_CLEANUP_H_
#define WANDB_COMMON_ARTIFACT_CACHE_CLEANUP_H_

#include <cstdint>
#include <string>

#include "absl/status/statusor.h"
#include "absl/time/time.h"

namespace wandb::artifact {

struct CacheCleanup {
  int64_t bytes_before = 0;  // objects and temporary files found
  int64_t bytes_after = 0;
  int64_t files_removed = 0;
};

// `cache_root` is an ArtifactCache's root; a cache that does not exist is empty.
absl::StatusOr<CacheCleanup> CleanUpCache(const std::string& cache_root, int64_t target_bytes,
                                          absl::Time now = absl::Now());

}  // namespace wandb::artifact

#endif  // WANDB_COMMON_ARTIFACT_CACHE_CLEANUP_H_
