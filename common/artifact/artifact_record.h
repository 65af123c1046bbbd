// An artifact as it travels in the run's log (records::ArtifactRecord, wandb's field numbers):
// the manifest to and from its message form, and the checks the daemon makes on a record a
// client sent before anything is stored from it.
#ifndef WANDB_COMMON_ARTIFACT_ARTIFACT_RECORD_H_
#define WANDB_COMMON_ARTIFACT_ARTIFACT_RECORD_H_

#include "absl/status/statusor.h"
#include "common/artifact/manifest.h"
#include "wandb/records.pb.h"

namespace wandb::artifact {

// Most entries one artifact may have, and most aliases one log_artifact may give.
inline constexpr int kMaxEntries = 1'000'000;
inline constexpr int kMaxAliases = 64;
// Longest description and metadata (JSON) we take.
inline constexpr size_t kMaxTextBytes = 1 << 20;
// Largest serialized record: one record travels in one gRPC message (64 MiB at most), so an
// artifact of more entries than fit (about 200,000 files) is refused when logged.
inline constexpr size_t kMaxRecordBytes = 32 << 20;

void ManifestToProto(const Manifest& manifest, records::ArtifactManifest* out);
// The manifest a record carries, every entry checked: a valid path, and for a stored file a
// base64 MD5 digest, a size and a local path; for a reference a URI we take.
absl::StatusOr<Manifest> ManifestFromProto(const records::ArtifactManifest& proto);

// Everything in `record`: name, type, aliases, description, metadata (a JSON object or
// nothing), the manifest, and a digest that is the manifest's. Returns the manifest.
absl::StatusOr<Manifest> CheckArtifactRecord(const records::ArtifactRecord& record);

}  // namespace wandb::artifact

#endif  // WANDB_COMMON_ARTIFACT_ARTIFACT_RECORD_H_
