// Artifact::add_reference: the manifest entries of a reference URI, as wandb makes them.
// file:// names a file or a directory on this machine, hashed with MD5 (or named by its size
// when `checksum` is false); http(s)://, s3:// and gs:// are recorded, not fetched: the
// entry's checksum is the URI itself (wandb's form for an unchecked reference).
#ifndef WANDB_CLIENT_SRC_ARTIFACT_REFERENCES_H_
#define WANDB_CLIENT_SRC_ARTIFACT_REFERENCES_H_

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "common/artifact/manifest.h"

namespace wandb::internal {

// `name`: the entry's path (for a directory, the prefix of its entries); empty means the
// URI's base name (for a directory, no prefix).
absl::StatusOr<std::vector<artifact::ManifestEntry>> ReferenceEntries(const std::string& uri,
                                                                      const std::string& name,
                                                                      bool checksum);

}  // namespace wandb::internal

#endif  // WANDB_CLIENT_SRC_ARTIFACT_REFERENCES_H_
