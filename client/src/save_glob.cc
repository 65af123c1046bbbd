#include "client/src/save_glob.h"

#include <glob.h>

#include <algorithm>
#include <filesystem>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"

namespace wandb::internal {
namespace fs = std::filesystem;
namespace {

// Every existing path `pattern` matches, as glob(3) (and Python's glob) finds them: '*' does
// not match a leading dot, and '**' is no more than '*'.
std::vector<std::string> Matches(const std::string& pattern) {
  glob_t found{};
  std::vector<std::string> out;
  if (glob(pattern.c_str(), 0, nullptr, &found) == 0) {
    for (size_t i = 0; i < found.gl_pathc; ++i) out.emplace_back(found.gl_pathv[i]);
  }
  globfree(&found);
  return out;
}

bool ClimbsAbove(const fs::path& relative) {
  for (const fs::path& part : relative) {
    if (part == "..") return true;
  }
  return false;
}

// Makes files/<name> a symlink to `target`, replacing what a previous save() left there.
absl::Status Link(const fs::path& target, const fs::path& link) {
  std::error_code ec;
  fs::create_directories(link.parent_path(), ec);
  if (ec)
    return absl::InternalError(
        absl::StrCat("cannot make ", link.parent_path().string(), ": ", ec.message()));
  if (fs::is_symlink(link, ec)) {
    if (fs::read_symlink(link, ec) == target) return absl::OkStatus();
    fs::remove(link, ec);
  }
  if (fs::exists(link, ec)) return absl::OkStatus();  // a file the run wrote there itself
  fs::create_symlink(target, link, ec);
  if (ec)
    return absl::InternalError(absl::StrCat("cannot link ", link.string(), ": ", ec.message()));
  return absl::OkStatus();
}

}  // namespace

absl::StatusOr<SaveLinks> LinkForSave(const std::string& glob,
                                      const std::optional<std::string>& base_path,
                                      const std::string& cwd, const std::string& files_dir) {
  if (glob.empty()) return absl::InvalidArgumentError("save(): the glob is empty");
  if (absl::StartsWith(glob, "s3://") || absl::StartsWith(glob, "gs://") ||
      absl::StrContains(glob, "://")) {
    return absl::InvalidArgumentError(absl::StrCat(
        "save('", glob, "'): cloud storage paths are not supported; save local files"));
  }
  SaveLinks result;
  fs::path pattern = fs::path(cwd) / glob;  // an absolute glob stays as it is
  fs::path base;
  if (base_path.has_value()) {
    base = fs::path(cwd) / *base_path;
  } else if (fs::path(glob).is_absolute()) {
    base = pattern.parent_path();
    result.warning = absl::StrCat("save('", glob, "'): an absolute glob without base_path keeps ",
                                  "only file names; pass base_path to keep sub-directories");
  } else {
    base = cwd;
  }
  base = base.lexically_normal();
  fs::path files_glob = pattern.lexically_normal().lexically_relative(base);
  if (files_glob.empty() || ClimbsAbove(files_glob)) {
    return absl::InvalidArgumentError(absl::StrCat("save('", glob, "'): the glob climbs above ",
                                                   "its base path ", base.string()));
  }
  result.files_glob = files_glob.generic_string();
  for (const std::string& match : Matches(pattern.string())) {
    std::error_code ec;
    if (!fs::is_regular_file(match, ec)) continue;
    fs::path source = fs::absolute(match, ec).lexically_normal();
    fs::path name = source.lexically_relative(base);
    if (name.empty() || ClimbsAbove(name)) continue;
    if (absl::Status s = Link(source, fs::path(files_dir) / name); !s.ok()) return s;
    result.linked.push_back(name.generic_string());
  }
  std::sort(result.linked.begin(), result.linked.end());
  return result;
}

}  // namespace wandb::internal
