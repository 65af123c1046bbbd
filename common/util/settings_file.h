// wandb's settings files: INI text that Python's configparser reads, whose [default] section
// holds settings such as base_url, mode, entity and project. wandb 0.12 reads two: the global
// one, $WANDB_CONFIG_DIR/settings (default ~/.config/wandb/settings), which `wandb login
// --host` writes, and the workspace's, <WANDB_DIR or cwd>/wandb/settings, which `wandb init`
// and `wandb offline` write and which wins over the global one.
//
// The reader follows configparser's defaults exactly where wandb's files can differ: `#` and
// `;` start comment lines only (not inline), a key is `name = value` or `name: value`, keys
// are case-insensitive (kept lowercased), sections are case-sensitive, indented lines continue
// the value before them, [DEFAULT]'s keys show through every section, `%%` is a `%` and
// `%(name)s` another key's value. What configparser refuses (a key before any section, a line
// that is neither, a key or section given twice, a stray `%`) is an error naming the line.
// (inih, Debian's INI library, strips inline `;` comments and cannot edit a file in place, so
// it would read some files differently from wandb and not serve `login --host`.)
#ifndef WANDB_COMMON_UTIL_SETTINGS_FILE_H_
#define WANDB_COMMON_UTIL_SETTINGS_FILE_H_

#include <map>
#include <optional>
#include <string>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace wandb::settings_file {

inline constexpr char kDefaultSection[] = "default";

// Key -> value of one section.
using Section = std::map<std::string, std::string>;

// $WANDB_CONFIG_DIR/settings when set, else $HOME/.config/wandb/settings; empty when neither
// is known.
std::string GlobalPath(const char* config_dir_env, const char* home_env);

// <root_dir>/wandb/settings: the workspace's file for runs under `root_dir`.
std::string WorkspacePath(absl::string_view root_dir);

// The keys of `section` in INI `text` (with [DEFAULT]'s beneath them); a section the text does
// not have is empty. InvalidArgument "line N: ..." for text configparser would refuse.
absl::StatusOr<Section> Parse(absl::string_view text, absl::string_view section);

// Parse() of the file at `path`: a missing file (or an empty path) is an empty section; an
// unreadable or malformed one is an error naming the file.
absl::StatusOr<Section> Read(const std::string& path, absl::string_view section);

// The [default] section as wandb sees it: the global file's keys, with the workspace file's
// over them. Either path may be empty (not read).
absl::StatusOr<Section> ReadDefaults(const std::string& global_path,
                                     const std::string& workspace_path);

// `text` with `key = value` in `section`: an existing line of the key (and its continuation
// lines) is replaced where it stands, else the line is added after the section's last line,
// else the section is added at the end. Every other line is kept as it was. The value is
// written so that configparser reads it back as given (a `%` doubled). Text Parse() refuses
// is refused.
absl::StatusOr<std::string> SetInText(absl::string_view text, absl::string_view section,
                                      absl::string_view key, absl::string_view value);

// `text` without `key` in `section` (its line and continuation lines); the rest as it was.
absl::StatusOr<std::string> RemoveInText(absl::string_view text, absl::string_view section,
                                         absl::string_view key);

// SetInText / RemoveInText on the file at `path`, written whole under a temporary name first.
// Set creates the file's directory as wandb does and a new file with mode 0600 (an existing
// file keeps its mode); Remove leaves a missing file missing.
absl::Status Set(const std::string& path, absl::string_view section, absl::string_view key,
                 absl::string_view value);
absl::Status Remove(const std::string& path, absl::string_view section, absl::string_view key);

}  // namespace wandb::settings_file

#endif  // WANDB_COMMON_UTIL_SETTINGS_FILE_H_
