#include "common/run/run_fields.h"

#include "absl/strings/str_cat.h"
#include "common/run/run_id.h"
#include "common/value/validation.h"

namespace wandb {

absl::Status CheckName(absl::string_view what, absl::string_view value) {
  if (value.size() > kMaxProjectBytes || !validation::IsValidUtf8(value) ||
      value.find('/') != absl::string_view::npos) {
    return absl::InvalidArgumentError(absl::StrCat(what, " ", validation::Quoted(value),
                                                   " must be valid UTF-8, at most ",
                                                   kMaxProjectBytes, " bytes, without '/'"));
  }
  return absl::OkStatus();
}

absl::Status CheckText(absl::string_view what, absl::string_view value, size_t max_bytes) {
  if (value.size() > max_bytes || !validation::IsValidUtf8(value)) {
    return absl::InvalidArgumentError(absl::StrCat(what, " ", validation::Quoted(value),
                                                   " must be valid UTF-8 of at most ", max_bytes,
                                                   " bytes"));
  }
  return absl::OkStatus();
}

absl::Status CheckTag(absl::string_view tag) {
  if (tag.empty() || tag.size() > kMaxTagBytes || !validation::IsValidUtf8(tag)) {
    return absl::InvalidArgumentError(absl::StrCat("tag ", validation::Quoted(tag, 80),
                                                   " must be 1 to ", kMaxTagBytes,
                                                   " bytes of valid UTF-8"));
  }
  return absl::OkStatus();
}

absl::Status CheckRunFields(const records::RunRecord& run) {
  if (absl::Status s = ValidateRunId(run.run_id()); !s.ok()) return s;
  if (absl::Status s = CheckName("project", run.project()); !s.ok()) return s;
  if (absl::Status s = CheckName("entity", run.entity()); !s.ok()) return s;
  if (absl::Status s = CheckText("name", run.display_name(), kMaxNameBytes); !s.ok()) return s;
  if (absl::Status s = CheckText("group", run.run_group(), kMaxGroupBytes); !s.ok()) return s;
  if (absl::Status s = CheckText("job_type", run.job_type(), kMaxGroupBytes); !s.ok()) return s;
  if (absl::Status s = CheckText("notes", run.notes(), kMaxNotesBytes); !s.ok()) return s;
  if (run.tags_size() > static_cast<int>(kMaxTags)) {
    return absl::InvalidArgumentError(absl::StrCat(run.tags_size(), " tags; at most ", kMaxTags));
  }
  for (const std::string& tag : run.tags()) {
    if (absl::Status s = CheckTag(tag); !s.ok()) return s;
  }
  return absl::OkStatus();
}

}  // namespace wandb
