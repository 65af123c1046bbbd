#include "common/artifact/artifact_ref.h"

#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "common/artifact/artifact_names.h"
#include "common/value/validation.h"

namespace wandb::artifact {
namespace {

constexpr absl::string_view kForms =
    "name:alias, name:vN, project/name:alias, entity/project/name:alias or a 32-digit digest";

absl::Status Bad(absl::string_view text, absl::string_view why) {
  return absl::InvalidArgumentError(
      absl::StrCat("artifact '", validation::ReplaceInvalidUtf8(text.substr(0, 200)), "' ", why,
                   " (forms: ", kForms, ")"));
}

bool IsHexDigest(absl::string_view text) {
  if (text.size() != 32) return false;
  for (char c : text) {
    if (!absl::ascii_isxdigit(static_cast<unsigned char>(c))) return false;
  }
  return true;
}

// A project or entity: the characters of a name (wandb's project names are the same words).
absl::Status CheckPathPart(absl::string_view text, absl::string_view part, absl::string_view what) {
  if (absl::Status s = ValidateArtifactName(part); !s.ok()) {
    return Bad(text, absl::StrCat("has a bad ", what, ": ", s.message()));
  }
  return absl::OkStatus();
}

}  // namespace

bool IsVersionName(absl::string_view text, int* version) {
  if (text.size() < 2 || text.size() > 10 || text.front() != 'v') return false;
  for (char c : text.substr(1)) {
    if (!absl::ascii_isdigit(static_cast<unsigned char>(c))) return false;
  }
  return absl::SimpleAtoi(text.substr(1), version);
}

std::string ArtifactRef::ToString() const {
  std::string out;
  if (!entity.empty()) absl::StrAppend(&out, entity, "/");
  if (!project.empty()) absl::StrAppend(&out, project, "/");
  if (!digest.empty()) return absl::StrCat(out, digest);
  absl::StrAppend(&out, name, ":");
  if (version.has_value()) return absl::StrCat(out, "v", *version);
  return absl::StrCat(out, alias);
}

absl::StatusOr<ArtifactRef> ParseArtifactRef(absl::string_view text) {
  if (text.empty()) return Bad(text, "is empty");
  std::vector<absl::string_view> parts = absl::StrSplit(text, '/');
  if (parts.size() > 3) return Bad(text, "has more than three '/'-separated parts");
  ArtifactRef ref;
  if (parts.size() == 3) {
    if (absl::Status s = CheckPathPart(text, parts[0], "entity"); !s.ok()) return s;
    ref.entity = std::string(parts[0]);
  }
  if (parts.size() >= 2) {
    if (absl::Status s = CheckPathPart(text, parts[parts.size() - 2], "project"); !s.ok()) {
      return s;
    }
    ref.project = std::string(parts[parts.size() - 2]);
  }
  absl::string_view last = parts.back();
  const size_t colon = last.find(':');
  if (colon == absl::string_view::npos) {
    if (IsHexDigest(last)) {
      ref.digest = absl::AsciiStrToLower(last);
      return ref;
    }
    return Bad(text, "names no version or alias: write name:latest, name:v0, ...");
  }
  absl::string_view name = last.substr(0, colon);
  absl::string_view tag = last.substr(colon + 1);
  if (absl::Status s = ValidateArtifactName(name); !s.ok()) {
    return Bad(text, absl::StrCat("has a bad name: ", s.message()));
  }
  ref.name = std::string(name);
  int version = 0;
  if (IsVersionName(tag, &version)) {
    ref.version = version;
    return ref;
  }
  if (absl::Status s = ValidateAlias(tag); !s.ok()) {
    return Bad(text, absl::StrCat("has a bad alias: ", s.message()));
  }
  ref.alias = std::string(tag);
  return ref;
}

}  // namespace wandb::artifact
