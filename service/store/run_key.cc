#include "service/store/run_key.h"

#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"

namespace wandb::store {
namespace {

absl::Status ValidatePart(absl::string_view what, absl::string_view value) {
  if (value.empty()) return absl::InvalidArgumentError(absl::StrCat("run ", what, " is empty"));
  if (value.size() > 256) {
    return absl::InvalidArgumentError(
        absl::StrCat("run ", what, " '", value.substr(0, 32), "...' is over 256 bytes"));
  }
  for (char c : value) {
    if (c == '/' || static_cast<unsigned char>(c) < 0x20) {
      return absl::InvalidArgumentError(
          absl::StrCat("run ", what, " '", value, "' contains '/' or a control character"));
    }
  }
  return absl::OkStatus();
}

}  // namespace

std::string RunKey::ToString() const { return absl::StrCat(entity, "/", project, "/", id); }

absl::Status RunKey::Validate() const {
  absl::Status status = ValidatePart("entity", entity);
  if (status.ok()) status = ValidatePart("project", project);
  if (status.ok()) status = ValidatePart("id", id);
  return status;
}

}  // namespace wandb::store
