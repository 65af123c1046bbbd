#include "common/run/run_id.h"

#include "absl/random/random.h"
#include "absl/strings/str_cat.h"
#include "common/value/validation.h"

namespace wandb {

std::string GenerateRunId() {
  static constexpr absl::string_view kAlphabet = "0123456789abcdefghijklmnopqrstuvwxyz";
  thread_local absl::BitGen gen;
  std::string id(8, '0');
  for (char& c : id) c = kAlphabet[absl::Uniform<size_t>(gen, 0, kAlphabet.size())];
  return id;
}

absl::Status ValidateRunId(absl::string_view id) {
  if (id.empty() || id.size() > 64) {
    return absl::InvalidArgumentError(
        absl::StrCat("run id ", validation::Quoted(id, 80), " must have 1 to 64 characters"));
  }
  if (id == "." || id == "..") {
    return absl::InvalidArgumentError(absl::StrCat("run id '", id, "' is not allowed"));
  }
  for (char c : id) {
    bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
              c == '_' || c == '-' || c == '.';
    if (!ok) {
      return absl::InvalidArgumentError(
          absl::StrCat("run id ", validation::Quoted(id, 80),
                       " may only contain letters, digits, '_', '-' and '.'"));
    }
  }
  return absl::OkStatus();
}

}  // namespace wandb
