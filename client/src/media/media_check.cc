#include "client/src/media/media_check.h"

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "wandb/media.h"
#include "wandb/plot.h"

namespace wandb::internal {
namespace {

absl::Status CheckName(absl::string_view key, absl::string_view name) {
  for (absl::string_view part : absl::StrSplit(name, '/')) {
    if (part.empty() || part == "." || part == "..") {
      return absl::InvalidArgumentError(
          absl::StrCat("key '", key,
                       "': a media value's key names its file, so its '/'-separated parts "
                       "must not be empty, '.' or '..'"));
    }
  }
  return absl::OkStatus();
}

// `key` is the top-level key for messages; `name` the one that names the files.
absl::Status Check(absl::string_view key, const std::string& name, bool summary, const Value& value,
                   size_t* bytes) {
  if (value.is_media()) {
    const Media& media = *value.as_media();
    if (dynamic_cast<const CustomChart*>(&media) != nullptr) {
      // log() has taken a row's top-level charts already: this one is elsewhere.
      return absl::InvalidArgumentError(absl::StrCat(
          "key '", key, "': a chart goes at the top level of a row in log(), as wandb takes it"));
    }
    if (!media.problem().empty()) {
      return absl::InvalidArgumentError(absl::StrCat("key '", key, "': ", media.problem()));
    }
    *bytes += media.payload_bytes();
    return CheckName(key, name);
  }
  if (value.is_map()) {
    for (const auto& [k, item] : value.as_map()) {
      if (!item.holds_media()) continue;
      std::string inner = summary ? absl::StrCat(name, ".", k) : k;
      if (absl::Status s = Check(key, inner, summary, item, bytes); !s.ok()) return s;
    }
  } else if (value.is_list()) {
    for (const Value& item : value.as_list()) {
      if (!item.holds_media()) continue;
      if (absl::Status s = Check(key, name, summary, item, bytes); !s.ok()) return s;
    }
  }
  return absl::OkStatus();
}

}  // namespace

absl::StatusOr<MediaLoad> CheckMediaRow(const Value::Map& row) {
  MediaLoad load;
  for (const auto& [key, value] : row) {
    if (!value.holds_media()) continue;
    load.present = true;
    if (absl::Status s = Check(key, key, false, value, &load.bytes); !s.ok()) return s;
  }
  return load;
}

absl::StatusOr<MediaLoad> CheckMediaSummary(const std::vector<std::string>& path,
                                            const Value& value) {
  MediaLoad load;
  if (!value.holds_media()) return load;
  load.present = true;
  std::string name = absl::StrJoin(path, ".");
  if (absl::Status s = Check(path.empty() ? "" : path[0], name, true, value, &load.bytes);
      !s.ok()) {
    return s;
  }
  return load;
}

}  // namespace wandb::internal
