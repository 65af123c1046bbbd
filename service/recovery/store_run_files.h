// Storing a run directory's files after the fact, as the live run's finish would have: every
// file the log's save() calls name, and everything else under files/ (config.yaml,
// wandb-summary.json, wandb-metadata.json...). Import (`wandb-cpp import`) and orphan recovery
// both end a run this way.
#ifndef WANDB_SERVICE_RECOVERY_STORE_RUN_FILES_H_
#define WANDB_SERVICE_RECOVERY_STORE_RUN_FILES_H_

#include <cstdint>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "service/backend/backend.h"
#include "wandb/records.pb.h"

namespace wandb::service {

struct StoredRunFiles {
  int64_t stored = 0;     // files whose content became a new version
  int64_t unchanged = 0;  // files whose content the backend already had as latest
  int64_t failed = 0;     // files that could not be stored (see warnings)
  int64_t bytes = 0;      // bytes of the new versions
  std::vector<std::string> warnings;
  // The first file that failed because the store's disk is full (also counted in `failed`):
  // unlike a file that cannot be read, storing it again once space is freed will work, so
  // the run must not be ended as if its files were all there.
  absl::Status no_room;
};

// Stores every file under `files_dir` through `backend`, with the policy the log's `saves`
// gave it (end when none did). Transaction logs (*.wandb) are never stored.
StoredRunFiles StoreRunFiles(const std::string& files_dir,
                             const std::vector<records::FilesRecord>& saves, Backend& backend);

}  // namespace wandb::service

#endif  // WANDB_SERVICE_RECOVERY_STORE_RUN_FILES_H_
