#include "cli/artifact_cache_command.h"

#include "cli/output.h"
#include "common/artifact/artifact_cache.h"
#include "common/artifact/cache_cleanup.h"

namespace wandb::cli {

void AddArtifactCacheCommand(CLI::App* artifact, ArtifactOptions* options) {
  CLI::App* cache = artifact->add_subcommand("cache", "the per-user artifact cache");
  cache->require_subcommand(1);
  CLI::App* cleanup = cache->add_subcommand(
      "cleanup", "delete the least recently used files until the cache holds at most SIZE");
  cleanup->callback([options] { options->action = "cache cleanup"; });
  cleanup->add_option("SIZE", options->size, "e.g. 1GB, 500MiB, 0 (wandb's sizes)");
  cleanup->add_option("--size", options->size, "the same as SIZE");
  cleanup->add_flag("--json", options->json, "print one JSON object");
  cleanup->footer(
      "The cache is $WANDB_CACHE_DIR/artifacts, else ~/.cache/wandb/artifacts. A deleted file is "
      "copied from the store again when a download needs it. Run it while no run is logging "
      "artifacts: a commit reads its files from the cache.");
}

int RunArtifactCacheCleanup(const ArtifactOptions& options, std::ostream& out, std::ostream& err) {
  const char* prefix = "wandb-cpp artifact cache cleanup: ";
  if (options.size.empty()) {
    err << prefix << "give the size to shrink the cache to (e.g. 1GB)\n";
    return kExitUsage;
  }
  absl::StatusOr<int64_t> target = ParseByteSize(options.size);
  if (!target.ok()) {
    err << prefix << target.status().message() << "\n";
    return kExitUsage;
  }
  const std::string root = artifact::ArtifactCache::DefaultRoot();
  absl::StatusOr<artifact::CacheCleanup> done = artifact::CleanUpCache(root, *target);
  if (!done.ok()) {
    err << prefix << done.status().message() << "\n";
    return kExitFailure;
  }
  const int64_t reclaimed = done->bytes_before - done->bytes_after;
  if (options.json) {
    out << JsonLine({{"cache", root},
                     {"target_bytes", *target},
                     {"bytes_before", done->bytes_before},
                     {"bytes_after", done->bytes_after},
                     {"reclaimed_bytes", reclaimed},
                     {"files_removed", done->files_removed}})
        << "\n";
  } else {
    out << "Reclaimed " << FormatBytes(reclaimed) << " of space (" << done->files_removed
        << (done->files_removed == 1 ? " file" : " files") << "); " << root << " holds "
        << FormatBytes(done->bytes_after) << "\n";
  }
  return kExitOk;
}

}  // namespace wandb::cli
