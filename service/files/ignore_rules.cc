#include "service/files/ignore_rules.h"

#include <fnmatch.h>

#include <utility>

#include "absl/strings/match.h"
#include "absl/strings/str_split.h"

namespace wandb::files {

bool FnMatch(absl::string_view pattern, absl::string_view name) {
  // fnmatch(3) needs NUL-terminated strings; a NUL inside either cannot match a path.
  std::string p(pattern);
  std::string n(name);
  return fnmatch(p.c_str(), n.c_str(), FNM_NOESCAPE) == 0;
}

bool HasGlobMagic(absl::string_view glob) {
  return glob.find_first_of("*?[") != absl::string_view::npos;
}

bool HasDotComponent(absl::string_view save_name) {
  for (absl::string_view part : absl::StrSplit(save_name, '/')) {
    if (absl::StartsWith(part, ".")) return true;
  }
  return false;
}

IgnoreRules::IgnoreRules(std::vector<std::string> user_globs)
    : user_globs_(std::move(user_globs)) {}

bool IgnoreRules::IgnoredByWatcher(absl::string_view save_name) const {
  return absl::EndsWith(save_name, ".tmp") || absl::EndsWith(save_name, ".wandb") ||
         save_name == "wandb-summary.json" || HasDotComponent(save_name) ||
         MatchesUserGlob(save_name);
}

bool IgnoreRules::IgnoredAtFinish(absl::string_view save_name) const {
  return MatchesUserGlob(save_name);
}

bool IgnoreRules::MatchesUserGlob(absl::string_view save_name) const {
  for (const std::string& glob : user_globs_) {
    if (FnMatch(glob, save_name)) return true;
  }
  return false;
}

}  // namespace wandb::files
