#include "common/util/settings_file.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <set>
#include <utility>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_replace.h"
#include "absl/strings/str_split.h"
#include "common/util/read_file.h"

namespace wandb::settings_file {
namespace {

// configparser's own name for the section whose keys every other section sees.
constexpr absl::string_view kIniDefaults = "DEFAULT";
// configparser's limit on %(name)s within %(name)s.
constexpr int kMaxInterpolationDepth = 10;

// One line of the text as configparser's reader classes it.
struct Line {
  enum Kind { kBlank, kComment, kSection, kKey, kContinuation };
  Kind kind = kBlank;
  std::string section;  // the section the line is in (kSection: the one it opens)
  std::string key;      // kKey and kContinuation: the key (lowercased)
  std::string value;    // kKey: the value after the delimiter; kContinuation: the line
  absl::string_view text;
};

bool IsComment(absl::string_view stripped) {
  return !stripped.empty() && (stripped.front() == '#' || stripped.front() == ';');
}

absl::Status LineError(size_t number, absl::string_view why, absl::string_view text) {
  return absl::InvalidArgumentError(
      absl::StrCat("line ", number, ": ", why, ": '", absl::StripAsciiWhitespace(text), "'"));
}

// The lines of `text`, classed by configparser's reading rules (strict mode, its default).
absl::StatusOr<std::vector<Line>> Lines(absl::string_view text) {
  std::vector<Line> lines;
  std::vector<absl::string_view> raw = absl::StrSplit(text, '\n');
  if (!raw.empty() && raw.back().empty()) raw.pop_back();  // the text's last newline
  bool in_section = false;
  std::string section;
  std::string key;  // the key whose value a more indented line continues; "" after a header
  size_t indent_level = 0;
  std::set<std::string> sections_seen;
  std::set<std::pair<std::string, std::string>> keys_seen;
  for (size_t i = 0; i < raw.size(); ++i) {
    Line line;
    line.text = raw[i];
    absl::string_view stripped = absl::StripAsciiWhitespace(raw[i]);
    line.section = section;
    if (stripped.empty() || IsComment(stripped)) {
      // Neither ends a value: a blank line inside one is part of it, a comment is skipped.
      line.kind = stripped.empty() ? Line::kBlank : Line::kComment;
      line.key = key;
      lines.push_back(std::move(line));
      continue;
    }
    size_t indent = raw[i].find_first_not_of(" \t\r\f\v");
    if (in_section && !key.empty() && indent > indent_level) {
      line.kind = Line::kContinuation;
      line.key = key;
      line.value = std::string(stripped);
      lines.push_back(std::move(line));
      continue;
    }
    indent_level = indent;
    if (stripped.front() == '[' && stripped.find(']') != absl::string_view::npos &&
        stripped.rfind(']') > 1) {
      section = std::string(stripped.substr(1, stripped.rfind(']') - 1));
      if (section != kIniDefaults && !sections_seen.insert(section).second) {
        return LineError(i + 1, absl::StrCat("section [", section, "] given twice"), raw[i]);
      }
      in_section = true;
      key.clear();
      line.kind = Line::kSection;
      line.section = section;
      lines.push_back(std::move(line));
      continue;
    }
    if (!in_section) return LineError(i + 1, "a setting before any [section]", raw[i]);
    size_t delimiter = stripped.find_first_of("=:");
    if (delimiter == absl::string_view::npos) {
      return LineError(i + 1, "neither a [section] nor name = value", raw[i]);
    }
    std::string name =
        absl::AsciiStrToLower(absl::StripTrailingAsciiWhitespace(stripped.substr(0, delimiter)));
    if (name.empty()) return LineError(i + 1, "a value without a name", raw[i]);
    if (!keys_seen.emplace(section, name).second) {
      return LineError(i + 1, absl::StrCat("'", name, "' given twice in [", section, "]"), raw[i]);
    }
    key = name;
    line.kind = Line::kKey;
    line.key = name;
    line.value = std::string(absl::StripAsciiWhitespace(stripped.substr(delimiter + 1)));
    lines.push_back(std::move(line));
  }
  return lines;
}

// Every section's keys, with their raw (not yet interpolated) values, as configparser joins
// them: continuation lines and blank lines within a value with '\n', trailing blanks dropped.
std::map<std::string, Section> RawSections(const std::vector<Line>& lines) {
  std::map<std::string, Section> sections;
  for (const Line& line : lines) {
    switch (line.kind) {
      case Line::kKey:
        sections[line.section][line.key] = line.value;
        break;
      case Line::kContinuation:
        absl::StrAppend(&sections[line.section][line.key], "\n", line.value);
        break;
      case Line::kBlank:
        if (!line.key.empty()) absl::StrAppend(&sections[line.section][line.key], "\n");
        break;
      case Line::kSection:
        sections[line.section];
        break;
      case Line::kComment:
        break;
    }
  }
  for (auto& [name, keys] : sections) {
    for (auto& [key, value] : keys) {
      value = std::string(absl::StripTrailingAsciiWhitespace(value));
    }
  }
  return sections;
}

// configparser's BasicInterpolation: "%%" is "%", "%(name)s" the value of `name` in the same
// section; any other '%' is an error.
absl::StatusOr<std::string> Interpolate(absl::string_view key, absl::string_view value,
                                        const Section& section, int depth) {
  if (depth > kMaxInterpolationDepth) {
    return absl::InvalidArgumentError(
        absl::StrCat("'", key, "': %(name)s references nest deeper than ", kMaxInterpolationDepth));
  }
  std::string out;
  while (!value.empty()) {
    size_t percent = value.find('%');
    absl::StrAppend(&out, value.substr(0, percent));
    if (percent == absl::string_view::npos) break;
    value.remove_prefix(percent);
    if (absl::StartsWith(value, "%%")) {
      out.push_back('%');
      value.remove_prefix(2);
      continue;
    }
    size_t close = value.find(")s");
    if (!absl::StartsWith(value, "%(") || close == absl::string_view::npos || close == 2 ||
        value.substr(2, close - 2).find(')') != absl::string_view::npos) {
      return absl::InvalidArgumentError(absl::StrCat(
          "'", key, "': a '%' must be followed by '%' or '(name)s' (write %% for a %)"));
    }
    std::string name = absl::AsciiStrToLower(value.substr(2, close - 2));
    value.remove_prefix(close + 2);
    auto it = section.find(name);
    if (it == section.end()) {
      return absl::InvalidArgumentError(
          absl::StrCat("'", key, "' refers to %(", name, ")s, which is not set"));
    }
    absl::StatusOr<std::string> inner = Interpolate(key, it->second, section, depth + 1);
    if (!inner.ok()) return inner.status();
    out.append(*inner);
  }
  return out;
}

// A value as configparser writes it, so that it reads back as given.
std::string Escape(absl::string_view value) {
  return absl::StrReplaceAll(value, {{"%", "%%"}, {"\n", "\n\t"}});
}

// The text of `lines` again, one '\n' after each.
std::string Join(const std::vector<absl::string_view>& lines) {
  std::string out;
  for (absl::string_view line : lines) absl::StrAppend(&out, line, "\n");
  return out;
}

// Edits `text`: the lines of `key` in `section` give way to `replacement` (nullopt: removed).
// A key the section lacks goes after the section's last line; a missing section is added.
absl::StatusOr<std::string> Edit(absl::string_view text, absl::string_view section,
                                 absl::string_view key,
                                 const std::optional<std::string>& replacement) {
  absl::StatusOr<std::vector<Line>> lines = Lines(text);
  if (!lines.ok()) return lines.status();
  const std::string name = absl::AsciiStrToLower(key);
  std::vector<absl::string_view> out;
  bool placed = false;
  std::optional<size_t> section_end;  // in `out`: after the section's last non-blank line
  for (const Line& line : *lines) {
    bool ours = line.section == section && line.kind != Line::kSection;
    if (ours && line.key == name && line.kind == Line::kKey) {
      if (replacement.has_value()) out.push_back(*replacement);
      placed = true;
      continue;
    }
    if (ours && line.key == name && line.kind == Line::kContinuation) continue;
    out.push_back(line.text);
    if ((line.kind == Line::kSection && line.section == section) ||
        (ours && line.kind != Line::kBlank)) {
      section_end = out.size();
    }
  }
  if (!placed && replacement.has_value()) {
    if (section_end.has_value()) {
      out.insert(out.begin() + static_cast<ptrdiff_t>(*section_end), *replacement);
    } else {
      std::string header = absl::StrCat("[", section, "]");
      if (!out.empty() && !absl::StripAsciiWhitespace(out.back()).empty()) out.push_back("");
      std::string joined = Join(out);
      return absl::StrCat(joined, header, "\n", *replacement, "\n");
    }
  }
  return Join(out);
}

// Writes `text` to `path` whole: under a temporary name, then renamed over it. A new file
// gets mode 0600; an existing one keeps its mode.
absl::Status WriteWhole(const std::string& path, const std::string& text) {
  mode_t mode = 0600;
  struct stat st {};
  if (::stat(path.c_str(), &st) == 0) mode = st.st_mode & 07777;
  std::string tmp = absl::StrCat(path, ".tmp");
  int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
  if (fd < 0) return absl::InternalError(absl::StrCat("cannot write ", tmp, ": ", strerror(errno)));
  bool ok = ::fchmod(fd, mode) == 0 &&
            ::write(fd, text.data(), text.size()) == static_cast<ssize_t>(text.size()) &&
            ::fsync(fd) == 0;
  int saved = errno;
  ::close(fd);
  if (!ok || ::rename(tmp.c_str(), path.c_str()) != 0) {
    if (ok) saved = errno;
    ::unlink(tmp.c_str());
    return absl::InternalError(absl::StrCat("cannot write ", path, ": ", strerror(saved)));
  }
  return absl::OkStatus();
}

// The file's text; "" for a missing file.
absl::StatusOr<std::string> ReadOrEmpty(const std::string& path) {
  absl::StatusOr<std::string> text = ReadFileToString(path);
  if (absl::IsNotFound(text.status())) return std::string();
  return text;  // an error names the file
}

absl::Status WithPath(const std::string& path, const absl::Status& status) {
  return absl::Status(status.code(), absl::StrCat(path, ": ", status.message()));
}

}  // namespace

std::string GlobalPath(const char* config_dir_env, const char* home_env) {
  if (config_dir_env != nullptr && *config_dir_env != '\0') {
    return absl::StrCat(config_dir_env, "/settings");
  }
  if (home_env != nullptr && *home_env != '\0') {
    return absl::StrCat(home_env, "/.config/wandb/settings");
  }
  return "";
}

std::string WorkspacePath(absl::string_view root_dir) {
  return absl::StrCat(root_dir, "/wandb/settings");
}

absl::StatusOr<Section> Parse(absl::string_view text, absl::string_view section) {
  absl::StatusOr<std::vector<Line>> lines = Lines(text);
  if (!lines.ok()) return lines.status();
  std::map<std::string, Section> raw = RawSections(*lines);
  Section merged = raw[std::string(kIniDefaults)];
  if (section != kIniDefaults) {
    for (auto& [key, value] : raw[std::string(section)]) merged[key] = value;
  }
  Section out;
  for (const auto& [key, value] : merged) {
    absl::StatusOr<std::string> interpolated = Interpolate(key, value, merged, 1);
    if (!interpolated.ok()) return interpolated.status();
    out[key] = *std::move(interpolated);
  }
  return out;
}

absl::StatusOr<Section> Read(const std::string& path, absl::string_view section) {
  if (path.empty()) return Section();
  absl::StatusOr<std::string> text = ReadOrEmpty(path);
  if (!text.ok()) return text.status();
  absl::StatusOr<Section> parsed = Parse(*text, section);
  if (!parsed.ok()) return WithPath(path, parsed.status());
  return parsed;
}

absl::StatusOr<Section> ReadDefaults(const std::string& global_path,
                                     const std::string& workspace_path) {
  absl::StatusOr<Section> merged = Read(global_path, kDefaultSection);
  if (!merged.ok()) return merged.status();
  absl::StatusOr<Section> workspace = Read(workspace_path, kDefaultSection);
  if (!workspace.ok()) return workspace.status();
  for (auto& [key, value] : *workspace) (*merged)[key] = std::move(value);
  return merged;
}

absl::StatusOr<std::string> SetInText(absl::string_view text, absl::string_view section,
                                      absl::string_view key, absl::string_view value) {
  return Edit(text, section, key, absl::StrCat(absl::AsciiStrToLower(key), " = ", Escape(value)));
}

absl::StatusOr<std::string> RemoveInText(absl::string_view text, absl::string_view section,
                                         absl::string_view key) {
  return Edit(text, section, key, std::nullopt);
}

absl::Status Set(const std::string& path, absl::string_view section, absl::string_view key,
                 absl::string_view value) {
  if (path.empty()) {
    return absl::FailedPreconditionError(
        "no settings file path (neither WANDB_CONFIG_DIR nor HOME)");
  }
  std::error_code ec;
  std::filesystem::path dir = std::filesystem::path(path).parent_path();
  if (!dir.empty()) std::filesystem::create_directories(dir, ec);
  if (ec)
    return absl::InternalError(absl::StrCat("cannot make ", dir.string(), ": ", ec.message()));
  absl::StatusOr<std::string> text = ReadOrEmpty(path);
  if (!text.ok()) return text.status();
  absl::StatusOr<std::string> edited = SetInText(*text, section, key, value);
  if (!edited.ok()) return WithPath(path, edited.status());
  return WriteWhole(path, *edited);
}

absl::Status Remove(const std::string& path, absl::string_view section, absl::string_view key) {
  if (path.empty()) return absl::OkStatus();
  absl::StatusOr<std::string> text = ReadFileToString(path);
  if (absl::IsNotFound(text.status())) return absl::OkStatus();
  if (!text.ok()) return text.status();
  absl::StatusOr<std::string> edited = RemoveInText(*text, section, key);
  if (!edited.ok()) return WithPath(path, edited.status());
  if (*edited == *text) return absl::OkStatus();
  return WriteWhole(path, *edited);
}

}  // namespace wandb::settings_file
