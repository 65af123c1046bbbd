#include "cli/sync_clean.h"

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <optional>

#include "absl/strings/ascii.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "cli/output.h"
#include "service/recovery/offline_run.h"
#include "service/recovery/wandb_sync.h"

namespace wandb::cli {
namespace {
namespace fs = std::filesystem;

struct Candidate {
  std::string dir;
  bool named = false;  // given as an argument itself: no age limit
  std::optional<absl::Time> started;
};

// The start time in a run directory's name (run-YYYYMMDD_HHMMSS-<id>, or offline-run-...),
// in local time as the daemon wrote it; nullopt for another name.
std::optional<absl::Time> StartedAt(const std::string& dir) {
  std::string name = fs::path(dir).filename().string();
  if (name.starts_with("offline-")) name = name.substr(8);
  if (!name.starts_with("run-") || name.size() < 4 + 15) return std::nullopt;
  // By hand: absl::ParseTime's %Y would take every digit of YYYYMMDD as the year.
  const std::string stamp = name.substr(4, 15);
  int field[6];
  const size_t at[6][2] = {{0, 4}, {4, 2}, {6, 2}, {9, 2}, {11, 2}, {13, 2}};
  if (stamp[8] != '_') return std::nullopt;
  for (int i = 0; i < 6; ++i) {
    std::string digits = stamp.substr(at[i][0], at[i][1]);
    if (!std::all_of(digits.begin(), digits.end(), absl::ascii_isdigit) ||
        !absl::SimpleAtoi(digits, &field[i])) {
      return std::nullopt;
    }
  }
  return absl::FromCivil(
      absl::CivilSecond(field[0], field[1], field[2], field[3], field[4], field[5]),
      absl::LocalTimeZone());
}

bool IsRunName(const std::string& name) {
  return name.starts_with("run-") || name.starts_with("offline-run-");
}

// The run directories `arg` names: itself, or the run-*/offline-run-* ones it holds.
absl::StatusOr<std::vector<Candidate>> CandidatesIn(const std::string& arg) {
  std::error_code ec;
  if (!fs::is_directory(arg, ec))
    return absl::NotFoundError(absl::StrCat(arg, " is not a directory"));
  if (service::IsRunDirectory(arg)) return std::vector<Candidate>{{arg, true, StartedAt(arg)}};
  std::vector<Candidate> runs;
  for (fs::directory_iterator it(arg, ec), end; !ec && it != end; it.increment(ec)) {
    std::error_code type_ec;
    if (IsRunName(it->path().filename().string()) && !it->is_symlink(type_ec) &&
        it->is_directory(type_ec) && service::IsRunDirectory(it->path())) {
      runs.push_back({it->path().string(), false, StartedAt(it->path().string())});
    }
  }
  if (ec) return absl::InternalError(absl::StrCat("cannot list ", arg, ": ", ec.message()));
  std::sort(runs.begin(), runs.end(),
            [](const Candidate& a, const Candidate& b) { return a.dir < b.dir; });
  return runs;
}

bool IsSynced(const std::string& dir) {
  absl::StatusOr<std::string> log = service::FindRunLog(dir);
  std::error_code ec;
  return log.ok() && fs::exists(service::SyncedMarkPath(*log), ec);
}

std::string DefaultDir() {
  const char* dir = std::getenv("WANDB_DIR");
  return dir != nullptr && *dir != '\0' ? absl::StrCat(dir, "/wandb") : std::string("wandb");
}

bool Confirmed(size_t count, std::istream& in, std::ostream& out) {
  out << "Are you sure you want to remove " << count << (count == 1 ? " run" : " runs")
      << "? [y/N]: " << std::flush;
  std::string answer;
  if (!std::getline(in, answer)) {
    out << "\n";
    return false;
  }
  answer = absl::AsciiStrToLower(absl::StripAsciiWhitespace(answer));
  return answer == "y" || answer == "yes";
}

}  // namespace

int RunSyncClean(const SyncCleanOptions& options, absl::Time now, std::istream& in,
                 std::ostream& out, std::ostream& err) {
  if (options.old_hours < 0) {
    err << "wandb-cpp sync: --clean-old-hours must be 0 or more\n";
    return kExitUsage;
  }
  const absl::Time before = now - absl::Hours(options.old_hours);
  std::vector<std::string> args = options.dirs;
  const bool default_dir = args.empty();
  if (default_dir) args.push_back(DefaultDir());
  int failures = 0;
  size_t found = 0;
  std::vector<std::string> doomed;
  for (const std::string& arg : args) {
    absl::StatusOr<std::vector<Candidate>> runs = CandidatesIn(arg);
    if (!runs.ok()) {
      if (default_dir && absl::IsNotFound(runs.status())) continue;  // no ./wandb: no runs
      err << "wandb-cpp sync: " << runs.status().message() << "\n";
      ++failures;
      continue;
    }
    for (const Candidate& run : *runs) {
      if (!IsSynced(run.dir)) {
        if (run.named) out << "not synced, kept: " << run.dir << "\n";
        continue;
      }
      ++found;
      if (run.named || (run.started.has_value() && *run.started < before)) {
        doomed.push_back(run.dir);
      }
    }
  }
  if (doomed.empty()) {
    out << "No synced runs older than " << options.old_hours << " hours found\n";
    return failures == 0 ? kExitOk : kExitFailure;
  }
  out << "Found " << found << " synced " << (found == 1 ? "run" : "runs") << ", " << doomed.size()
      << " older than " << options.old_hours << " hours or named:\n";
  for (const std::string& dir : doomed) out << dir << "\n";
  if (!options.force && !Confirmed(doomed.size(), in, out)) {
    err << "wandb-cpp sync: aborted; nothing was removed\n";
    return kExitFailure;
  }
  size_t removed = 0;
  for (const std::string& dir : doomed) {
    // A daemon writing the run (resumed since its sync) keeps it.
    absl::StatusOr<std::optional<FileLock>> lock =
        service::LockEndedRun(dir, /*log_has_exit=*/true, dir);
    if (!lock.ok()) {
      err << "wandb-cpp sync: kept " << dir << ": " << lock.status().message() << "\n";
      ++failures;
      continue;
    }
    std::error_code ec;
    fs::remove_all(dir, ec);
    if (ec) {
      err << "wandb-cpp sync: cannot remove " << dir << ": " << ec.message() << "\n";
      ++failures;
      continue;
    }
    ++removed;
  }
  out << "Removed " << removed << (removed == 1 ? " run" : " runs") << "\n";
  return failures == 0 ? kExitOk : kExitFailure;
}

}  // namespace wandb::cli
