// The store's artifacts as the UI reads them: through the store's own queries
// (store::Artifacts, which `wandb-cpp artifact` uses too), over a read-only connection of
// their own, so the UI keeps no second copy of that SQL and cannot write.
#ifndef WANDB_UI_SERVER_ARTIFACT_READER_H_
#define WANDB_UI_SERVER_ARTIFACT_READER_H_

#include <memory>
#include <string>

#include "absl/status/statusor.h"
#include "service/store/artifacts.h"
#include "service/store/blob_store.h"
#include "service/store/connection.h"

namespace wandb::ui {

class ArtifactReader {
 public:
  // Opens `store_dir`/store.db read-only; the caller has checked that it is a store.
  static absl::StatusOr<std::unique_ptr<ArtifactReader>> Open(const std::string& store_dir);

  ArtifactReader(const ArtifactReader&) = delete;
  ArtifactReader& operator=(const ArtifactReader&) = delete;

  // False for a store older than artifacts (schema version 2): it has none to show, and its
  // tables to ask are missing.
  bool available() const { return available_; }
  store::Artifacts& artifacts() { return artifacts_; }

 private:
  ArtifactReader(const std::string& store_dir, store::Database db, bool available);

  store::Connection connection_;  // serializes the queries: artifact pages are few
  const store::BlobStore blobs_;
  store::Artifacts artifacts_;
  const bool available_;
};

}  // namespace wandb::ui

#endif  // WANDB_UI_SERVER_ARTIFACT_READER_H_
