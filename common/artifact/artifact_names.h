// The rules for what names an artifact and its parts (wandb 0.12.21's, plus bounds of ours):
// every check returns InvalidArgument with a message that names the bad input and the rule.
// The client checks before anything is queued; the daemon checks again (it trusts no client).
#ifndef WANDB_COMMON_ARTIFACT_ARTIFACT_NAMES_H_
#define WANDB_COMMON_ARTIFACT_ARTIFACT_NAMES_H_

#include "absl/status/status.h"
#include "absl/strings/string_view.h"

namespace wandb::artifact {

// Longest name, type or alias we take (wandb's server has its own limits; ours keep every
// message and store row small).
inline constexpr size_t kMaxNameBytes = 128;
// Longest entry path inside an artifact.
inline constexpr size_t kMaxPathBytes = 4096;

// wandb's pattern ^[a-zA-Z0-9_\-.]+$.
absl::Status ValidateArtifactName(absl::string_view name);
// The same characters as a name (a type is a word such as "dataset" or "model").
absl::Status ValidateArtifactType(absl::string_view type);
// Not empty, no '/' or ':' (wandb's rule: they would read as a project or a version).
absl::Status ValidateAlias(absl::string_view alias);
// A path inside the artifact: relative, '/'-separated, valid UTF-8, no empty, '.' or '..'
// part and no NUL, so no entry can name a place outside the artifact's root.
absl::Status ValidateEntryPath(absl::string_view path);
// A reference: a URI with one of the schemes we take (file, http, https, s3, gs).
absl::Status ValidateReferenceUri(absl::string_view uri);
// The scheme of a URI ("s3" for "s3://bucket/key"); empty when it has none.
absl::string_view UriScheme(absl::string_view uri);

}  // namespace wandb::artifact

#endif  // WANDB_COMMON_ARTIFACT_ARTIFACT_NAMES_H_
