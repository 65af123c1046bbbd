#include "ui/server/artifact_reader.h"

#include <utility>

#include "service/store/schema.h"
#include "ui/server/store_reader.h"

namespace wandb::ui {

absl::StatusOr<std::unique_ptr<ArtifactReader>> ArtifactReader::Open(const std::string& store_dir) {
  absl::StatusOr<store::Database> db = OpenReadOnly(store_dir + "/store.db");
  if (!db.ok()) return db.status();
  absl::StatusOr<int> version = store::ReadSchemaVersion(*db);
  if (!version.ok()) return version.status();
  // Schema 3 added the artifact tables; the UI reads an older store without migrating it.
  return std::unique_ptr<ArtifactReader>(
      new ArtifactReader(store_dir, *std::move(db), *version >= 3));
}

ArtifactReader::ArtifactReader(const std::string& store_dir, store::Database db, bool available)
    : connection_(store_dir, std::move(db)),
      blobs_(store::BlobStore::ForReading(store_dir + "/blobs")),
      artifacts_(connection_, blobs_),
      available_(available) {}

}  // namespace wandb::ui
