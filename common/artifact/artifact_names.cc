#include "common/artifact/artifact_names.h"

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "common/value/validation.h"

namespace wandb::artifact {
namespace {

bool IsNameChar(char c) {
  return absl::ascii_isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '-' || c == '.';
}

absl::Status ValidateWord(absl::string_view what, absl::string_view word) {
  if (word.empty()) return absl::InvalidArgumentError(absl::StrCat("artifact ", what, " is empty"));
  if (word.size() > kMaxNameBytes) {
    return absl::InvalidArgumentError(absl::StrCat("artifact ", what, " '", word.substr(0, 40),
                                                   "...' is over ", kMaxNameBytes, " bytes"));
  }
  for (char c : word) {
    if (!IsNameChar(c)) {
      return absl::InvalidArgumentError(
          absl::StrCat("artifact ", what, " '", validation::ReplaceInvalidUtf8(word),
                       "' may only contain letters, digits, '-', '_' and '.'"));
    }
  }
  return absl::OkStatus();
}

}  // namespace

absl::Status ValidateArtifactName(absl::string_view name) { return ValidateWord("name", name); }

absl::Status ValidateArtifactType(absl::string_view type) { return ValidateWord("type", type); }

absl::Status ValidateAlias(absl::string_view alias) {
  if (alias.empty()) return absl::InvalidArgumentError("artifact alias is empty");
  if (alias.size() > kMaxNameBytes || !validation::IsValidUtf8(alias)) {
    return absl::InvalidArgumentError(
        absl::StrCat("artifact alias '", validation::ReplaceInvalidUtf8(alias.substr(0, 40)),
                     "' is over ", kMaxNameBytes, " bytes or not valid UTF-8"));
  }
  if (alias.find_first_of("/:") != absl::string_view::npos) {
    return absl::InvalidArgumentError(
        absl::StrCat("artifact alias '", alias, "' may not contain '/' or ':'"));
  }
  return absl::OkStatus();
}

absl::Status ValidateEntryPath(absl::string_view path) {
  auto bad = [path](absl::string_view why) {
    return absl::InvalidArgumentError(absl::StrCat(
        "artifact entry path '", validation::ReplaceInvalidUtf8(path.substr(0, 200)), "' ", why));
  };
  if (path.empty()) return bad("is empty");
  if (path.size() > kMaxPathBytes) return bad(absl::StrCat("is over ", kMaxPathBytes, " bytes"));
  if (!validation::IsValidUtf8(path)) return bad("is not valid UTF-8");
  if (path.front() == '/') return bad("is absolute; it must be relative to the artifact's root");
  if (path.find('\0') != absl::string_view::npos) return bad("contains a NUL byte");
  if (path.find('\\') != absl::string_view::npos) return bad("contains a backslash");
  for (absl::string_view part : absl::StrSplit(path, '/')) {
    if (part.empty()) return bad("has an empty part");
    if (part == "." || part == "..") return bad("has a '.' or '..' part");
  }
  return absl::OkStatus();
}

absl::string_view UriScheme(absl::string_view uri) {
  const size_t colon = uri.find("://");
  if (colon == absl::string_view::npos || colon == 0) return "";
  absl::string_view scheme = uri.substr(0, colon);
  for (char c : scheme) {
    if (!absl::ascii_isalnum(static_cast<unsigned char>(c)) && c != '+' && c != '-' && c != '.') {
      return "";
    }
  }
  return scheme;
}

absl::Status ValidateReferenceUri(absl::string_view uri) {
  if (uri.size() > kMaxPathBytes || !validation::IsValidUtf8(uri)) {
    return absl::InvalidArgumentError(
        absl::StrCat("reference URI is over ", kMaxPathBytes, " bytes or not valid UTF-8"));
  }
  const absl::string_view scheme = UriScheme(uri);
  if (scheme.empty()) {
    return absl::InvalidArgumentError(absl::StrCat(
        "reference '", uri, "' is not a URI; to reference a local file, use file:///path"));
  }
  for (absl::string_view known : {"file", "http", "https", "s3", "gs"}) {
    if (scheme == known) return absl::OkStatus();
  }
  return absl::InvalidArgumentError(absl::StrCat("reference '", uri, "': scheme '", scheme,
                                                 "' is not one of file, http, https, s3, gs"));
}

}  // namespace wandb::artifact
