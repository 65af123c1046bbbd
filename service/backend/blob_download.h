// Files a W&B server hands out, downloaded into the local store's blobs: what a user's call
// that reads from W&B (use_artifact, restore) waits for. The blobs are named by content, so a
// file the store has already is not downloaded again, and a download whose bytes are not the
// ones the server named is refused rather than kept under a wrong name.
//
// The caller waits, so a request that fails in a way that may heal is tried again a few
// times, with doubling waits (or the server's Retry-After), before its error is returned.
#ifndef WANDB_SERVICE_BACKEND_BLOB_DOWNLOAD_H_
#define WANDB_SERVICE_BACKEND_BLOB_DOWNLOAD_H_

#include <algorithm>
#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "service/backend/wandb_api.h"
#include "service/store/blob_store.h"

namespace wandb::service {

struct RetryPolicy {
  absl::Duration first_wait = absl::Seconds(1);
  int max_attempts = 4;
};

inline const absl::Status& StatusOf(const absl::Status& status) { return status; }
template <typename T>
const absl::Status& StatusOf(const absl::StatusOr<T>& result) {
  return result.status();
}

// `attempt()` (a Status or StatusOr) again while it fails in a way that may heal, up to the
// policy's attempts.
template <typename Attempt>
auto Retrying(WandbApi& api, const RetryPolicy& policy, Attempt attempt) {
  absl::Duration wait = policy.first_wait;
  for (int tries = 1;; ++tries) {
    auto result = attempt();
    if (result.ok() || !IsRetryable(StatusOf(result)) || tries >= policy.max_attempts) {
      return result;
    }
    absl::SleepFor(api.retry_after().value_or(wait));
    wait = std::min(wait * 2, absl::Seconds(30));
  }
}

// The blob with MD5 `md5_hex`, downloaded from `url` unless the blobs have it; its path.
// DataLoss when the bytes received have another MD5; `what` names the file in errors.
absl::StatusOr<std::string> DownloadToBlob(WandbApi& api, const store::BlobStore& blobs,
                                           const std::string& url, const std::string& md5_hex,
                                           absl::string_view what, const RetryPolicy& policy);

}  // namespace wandb::service

#endif  // WANDB_SERVICE_BACKEND_BLOB_DOWNLOAD_H_
