#include "cli/run_directories.h"

#include <algorithm>
#include <filesystem>

#include "absl/strings/str_cat.h"
#include "cli/output.h"
#include "service/recovery/run_sync.h"

namespace wandb::cli {
namespace fs = std::filesystem;

absl::StatusOr<std::vector<std::string>> RunDirectoriesIn(const std::string& dir) {
  std::error_code ec;
  if (!fs::is_directory(dir, ec)) {
    return absl::NotFoundError(absl::StrCat(dir, " is not a directory"));
  }
  if (service::IsRunDirectory(dir)) return std::vector<std::string>{dir};
  std::vector<std::string> runs;
  for (fs::directory_iterator it(dir, ec), end; !ec && it != end; it.increment(ec)) {
    std::string name = it->path().filename();
    std::error_code type_ec;
    if (name.starts_with("offline-run-") && it->is_directory(type_ec) &&
        service::IsRunDirectory(it->path())) {
      runs.push_back(it->path());
    }
  }
  if (runs.empty()) {
    return absl::NotFoundError(absl::StrCat(
        dir,
        " is not a run directory (it holds no run-<id>.wandb) and holds no offline-run-* "
        "directories"));
  }
  std::sort(runs.begin(), runs.end());
  return runs;
}

void ReportRunFailure(const std::string& command, bool json, const std::string& what,
                      absl::string_view message, std::ostream& out, std::ostream& err) {
  err << "wandb-cpp " << command << ": " << message << "\n";
  if (json) {
    out << JsonLine({{"dir", what}, {"outcome", "failed"}, {"error", std::string(message)}})
        << "\n";
  }
}

int ForEachRunDirectory(const std::vector<std::string>& args, const std::string& command, bool json,
                        std::ostream& out, std::ostream& err,
                        const std::function<absl::Status(const std::string& run_dir)>& each) {
  int failures = 0;
  auto failed = [&](const std::string& what, absl::string_view message) {
    ++failures;
    ReportRunFailure(command, json, what, message, out, err);
  };
  for (const std::string& arg : args) {
    absl::StatusOr<std::vector<std::string>> runs = RunDirectoriesIn(arg);
    if (!runs.ok()) {
      failed(arg, runs.status().message());
      continue;
    }
    for (const std::string& run_dir : *runs) {
      if (absl::Status s = each(run_dir); !s.ok()) failed(run_dir, s.message());
    }
  }
  return failures;
}

}  // namespace wandb::cli
