// Which files under a run's files/ directory wandb leaves alone, and the glob matching that
// decides it (Python's fnmatch).
#ifndef WANDB_SERVICE_FILES_IGNORE_RULES_H_
#define WANDB_SERVICE_FILES_IGNORE_RULES_H_

#include <string>
#include <vector>

#include "absl/strings/string_view.h"

namespace wandb::files {

// Python's fnmatch.fnmatchcase: '*' and '?' also match '/' and a leading '.', and a
// backslash is an ordinary character (fnmatch(3) with FNM_NOESCAPE, without FNM_PATHNAME
// or FNM_PERIOD).
bool FnMatch(absl::string_view pattern, absl::string_view name);

// True when `glob` has a character glob treats specially ('*', '?', '['), as Python's
// glob.has_magic; a glob without one names a single file.
bool HasGlobMagic(absl::string_view glob);

// True when some '/'-separated component of `save_name` starts with '.'.
bool HasDotComponent(absl::string_view save_name);

class IgnoreRules {
 public:
  // `user_globs` is wandb's `ignore_globs` setting, matched against save names.
  explicit IgnoreRules(std::vector<std::string> user_globs = {});

  // The watcher's filter (wandb's DirWatcher ignore patterns): `*.tmp`, `*.wandb` (at any
  // depth), the run's own `wandb-summary.json` (top level only: the file stream carries it),
  // any dot-file or anything inside a dot-directory, plus the user's globs.
  bool IgnoredByWatcher(absl::string_view save_name) const;

  // The finish scan's filter: only the user's globs. wandb's final os.walk uploads every
  // other file, wandb-summary.json and dot-files included.
  bool IgnoredAtFinish(absl::string_view save_name) const;

 private:
  bool MatchesUserGlob(absl::string_view save_name) const;

  std::vector<std::string> user_globs_;
};

}  // namespace wandb::files

#endif  // WANDB_SERVICE_FILES_IGNORE_RULES_H_
