// wandb_manifest.json read back (what Manifest::ToJson writes, and what a W&B server hands out
// for a version): manifest version 1 with wandb's storage policy. Every entry is checked as a
// logged one is (a path inside the artifact, a base64 MD5 for a stored file, a URI for a
// reference), since the text comes from a server.
#ifndef WANDB_COMMON_ARTIFACT_MANIFEST_JSON_H_
#define WANDB_COMMON_ARTIFACT_MANIFEST_JSON_H_

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "common/artifact/manifest.h"

namespace wandb::artifact {

// InvalidArgument naming what is wrong: not JSON, another manifest version or storage policy,
// or a bad entry.
absl::StatusOr<Manifest> ParseManifestJson(absl::string_view text);

}  // namespace wandb::artifact

#endif  // WANDB_COMMON_ARTIFACT_MANIFEST_JSON_H_
