// Limits on a run's names and free text, shared by libwandb (init() refuses them with a clear
// error) and the daemon (which refuses a StartRun breaking them whatever the client checked).
#ifndef WANDB_COMMON_RUN_RUN_FIELDS_H_
#define WANDB_COMMON_RUN_RUN_FIELDS_H_

#include <cstddef>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "wandb/records.pb.h"

namespace wandb {

inline constexpr size_t kMaxProjectBytes = 128;  // project and entity
inline constexpr size_t kMaxNameBytes = 1024;    // display name
inline constexpr size_t kMaxGroupBytes = 128;    // group and job type
inline constexpr size_t kMaxNotesBytes = 64 << 10;
inline constexpr size_t kMaxTagBytes = 64;
inline constexpr size_t kMaxTags = 1000;

// A project or entity: valid UTF-8, at most kMaxProjectBytes, no '/' (it names a path).
// `what` names the field in the message, which quotes the value cut short.
absl::Status CheckName(absl::string_view what, absl::string_view value);

// Free text: valid UTF-8 (every protobuf string must be) of at most `max_bytes`.
absl::Status CheckText(absl::string_view what, absl::string_view value, size_t max_bytes);

// A tag: 1 to kMaxTagBytes of valid UTF-8.
absl::Status CheckTag(absl::string_view tag);

// Every field above of a run as StartRun carries it, and its id (ValidateRunId).
absl::Status CheckRunFields(const records::RunRecord& run);

}  // namespace wandb

#endif  // WANDB_COMMON_RUN_RUN_FIELDS_H_
