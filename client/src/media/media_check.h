// log()'s and the summary's checks of the media values they are given, on the caller's
// thread before anything is queued: each value's own problem (Media::problem()), and the
// keys that will name its files (a key's '/'-separated parts become folders under
// files/media/<kind>/, so none may be empty, "." or "..").
#ifndef WANDB_CLIENT_SRC_MEDIA_MEDIA_CHECK_H_
#define WANDB_CLIENT_SRC_MEDIA_MEDIA_CHECK_H_

#include <cstddef>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "wandb/value.h"

namespace wandb::internal {

struct MediaLoad {
  bool present = false;  // the value holds media
  size_t bytes = 0;      // the bytes its media hold
};

// The row's media, or InvalidArgument naming the key and the problem.
absl::StatusOr<MediaLoad> CheckMediaRow(const Value::Map& row);
// The same for a summary value set at `path`.
absl::StatusOr<MediaLoad> CheckMediaSummary(const std::vector<std::string>& path,
                                            const Value& value);

}  // namespace wandb::internal

#endif  // WANDB_CLIENT_SRC_MEDIA_MEDIA_CHECK_H_
