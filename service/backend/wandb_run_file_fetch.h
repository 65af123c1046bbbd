// wandb::restore() of an online run: the latest version of one of a run's files on W&B
// (wandb-backend-api.md section 5: the RunFiles query, then a GET of the file's URL),
// downloaded into the local store's blobs (blob_download.h), from which the client copies it.
#ifndef WANDB_SERVICE_BACKEND_WANDB_RUN_FILE_FETCH_H_
#define WANDB_SERVICE_BACKEND_WANDB_RUN_FILE_FETCH_H_

#include <cstdint>
#include <string>

#include "absl/status/statusor.h"
#include "service/backend/blob_download.h"
#include "service/backend/wandb_api.h"
#include "service/store/blob_store.h"

namespace wandb::service {

struct FetchedRunFile {
  std::string blob_path;  // read it, never write it
  std::string md5_hex;
  int64_t size = 0;
  std::string run_path;  // entity/project/id, as the server names the run
};

// `run_path`: "id", "project/id" or "entity/project/id"; the entity defaults to the key's own
// (the viewer's), the project to wandb's "uncategorized". NotFound when the server has no
// such run, or the run no such file; InvalidArgument for a malformed run path.
absl::StatusOr<FetchedRunFile> FetchWandbRunFile(WandbApi& api, const store::BlobStore& blobs,
                                                 const std::string& run_path,
                                                 const std::string& name,
                                                 const RetryPolicy& retry = {});

}  // namespace wandb::service

#endif  // WANDB_SERVICE_BACKEND_WANDB_RUN_FILE_FETCH_H_
