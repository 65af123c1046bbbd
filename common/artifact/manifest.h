// An artifact's manifest as wandb 0.12.21 writes it (ArtifactManifestV1): its entries keyed by
// path, each a stored file (base64 MD5 digest and size, content at `local_path` until the
// store has it) or a reference (a URI and its checksum); the artifact digest computed from
// them; and the JSON of wandb_manifest.json. docs/formats.md, "Artifacts", gives the rules.
#ifndef WANDB_COMMON_ARTIFACT_MANIFEST_H_
#define WANDB_COMMON_ARTIFACT_MANIFEST_H_

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/status.h"

namespace wandb::artifact {

inline constexpr int kManifestVersion = 1;
inline constexpr char kStoragePolicy[] = "wandb-storage-policy-v1";
inline constexpr char kStorageLayout[] = "V2";
// The first line hashed into every artifact digest.
inline constexpr char kDigestPrefix[] = "wandb-artifact-manifest-v1\n";

struct ManifestEntry {
  std::string path;    // inside the artifact, '/'-separated (artifact_names.h)
  std::string digest;  // base64 MD5 of the content; a reference's checksum (an ETag, the URI)
  std::string ref;     // a reference's URI; empty for a file stored with the artifact
  std::optional<int64_t> size;
  std::string birth_artifact_id;
  // A reference's extra facts (etag, versionID), each value as JSON text.
  std::vector<std::pair<std::string, std::string>> extra;
  // Where a stored file's content is now; never part of the manifest's JSON or digest.
  std::string local_path;

  bool is_reference() const { return !ref.empty(); }
};

class Manifest {
 public:
  // Adds `entry`. A second entry at the same path replaces the first when the digests agree
  // and is refused (InvalidArgument naming the path) when they differ, as wandb does.
  absl::Status Add(ManifestEntry entry);

  const std::map<std::string, ManifestEntry>& entries() const { return entries_; }
  const ManifestEntry* Find(const std::string& path) const;
  // Bytes of the entries that have a size.
  int64_t TotalSize() const;

  // The artifact digest: hex MD5 over kDigestPrefix, then "<path>:<digest>\n" for each entry
  // in path order.
  std::string Digest() const;
  // wandb_manifest.json as wandb writes it (json.dump with indent=4).
  std::string ToJson() const;

 private:
  // std::map orders by bytes, which for UTF-8 is Python's code-point order.
  std::map<std::string, ManifestEntry> entries_;
};

}  // namespace wandb::artifact

#endif  // WANDB_COMMON_ARTIFACT_MANIFEST_H_
