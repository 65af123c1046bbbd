#include "service/recovery/resume.h"

#include <filesystem>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "common/value/json.h"
#include "service/replay/log_replayer.h"

namespace wandb::service {
namespace {
namespace fs = std::filesystem;

// Takes what a replay of an earlier run directory's log gives a backend, and keeps the end.
class SnapshotBackend final : public DiscardingBackend {
 public:
  absl::Status ReplaceConfig(absl::string_view config_json) override {
    point.config_json = std::string(config_json);
    return absl::OkStatus();
  }
  absl::Status ReplaceSummary(absl::string_view summary_json) override {
    point.summary_json = std::string(summary_json);
    return absl::OkStatus();
  }
  absl::Status AppendHistory(absl::Span<const store::HistoryRow> rows) override {
    for (const store::HistoryRow& row : rows) {
      point.starting_step = std::max(point.starting_step, row.step + 1);
    }
    return absl::OkStatus();
  }

  ResumePoint point;
};

// The runtime a summary records (_runtime of the last row), or zero.
absl::Duration SummaryRuntime(const std::string& summary_json) {
  absl::StatusOr<Value> summary = json::Parse(summary_json);
  if (!summary.ok() || !summary->is_map()) return absl::ZeroDuration();
  const Value* runtime = summary->find("_runtime");
  if (runtime == nullptr || !runtime->is_number()) return absl::ZeroDuration();
  return absl::Seconds(runtime->as_double());
}

// The newest earlier run directory of `id` under `root_dir`/wandb, with its log, if any.
std::optional<fs::path> PreviousRunDir(const std::string& root_dir, const std::string& id) {
  std::optional<fs::path> newest;
  std::string newest_stamp;
  std::error_code ec;
  for (const char* wandb : {"wandb", ".wandb"}) {
    for (const fs::directory_entry& entry :
         fs::directory_iterator(fs::path(root_dir) / wandb, ec)) {
      std::string name = entry.path().filename().string();
      if (!absl::EndsWith(name, "-" + id)) continue;
      if (!fs::exists(entry.path() / absl::StrCat("run-", id, ".wandb"), ec)) continue;
      // "offline-run-STAMP-id" and "run-STAMP-id": the stamp orders them.
      std::string stamp = name.substr(name.find("run-") + 4);
      if (!newest.has_value() || stamp > newest_stamp) {
        newest = entry.path();
        newest_stamp = stamp;
      }
    }
  }
  return newest;
}

absl::StatusOr<std::optional<ResumePoint>> FromStore(const StartRunRequest& request,
                                                     BackendFactory& backends) {
  absl::StatusOr<std::shared_ptr<store::LocalStore>> store = backends.Store(request.store_dir());
  if (!store.ok()) return store.status();
  absl::StatusOr<store::RunRow> run = (*store)->runs().Get(RunKeyOf(request));
  if (absl::IsNotFound(run.status())) return std::optional<ResumePoint>();
  if (!run.ok()) return run.status();
  ResumePoint point;
  point.starting_step = run->last_step.has_value() ? *run->last_step + 1 : 0;
  point.config_json = run->config_json;
  point.summary_json = run->summary_json;
  point.runtime = std::max(run->runtime, SummaryRuntime(run->summary_json));
  return std::optional<ResumePoint>(point);
}

absl::StatusOr<std::optional<ResumePoint>> FromRunDirectory(const StartRunRequest& request) {
  const std::string& id = request.run().run_id();
  std::optional<fs::path> dir = PreviousRunDir(request.root_dir(), id);
  if (!dir.has_value()) return std::optional<ResumePoint>();
  SnapshotBackend snapshot;
  LogReplayer replayer((*dir / absl::StrCat("run-", id, ".wandb")).string(), dir->string(),
                       &snapshot, /*on_files=*/nullptr);
  absl::Status replayed = replayer.CatchUp();
  if (replayed.ok()) replayed = replayer.SendSummary();
  if (!replayed.ok()) {
    return absl::DataLossError(
        absl::StrCat("cannot resume run ", id, " from ", dir->string(), ": ", replayed.message()));
  }
  snapshot.point.runtime = replayer.exit_runtime().has_value()
                               ? absl::Seconds(*replayer.exit_runtime())
                               : SummaryRuntime(snapshot.point.summary_json);
  return std::optional<ResumePoint>(snapshot.point);
}

}  // namespace

absl::StatusOr<std::optional<ResumePoint>> FindResumePoint(const StartRunRequest& request,
                                                           BackendFactory& backends) {
  absl::StatusOr<std::optional<ResumePoint>> found =
      UsesLocalStore(request.mode()) ? FromStore(request, backends) : FromRunDirectory(request);
  if (!found.ok()) return found;
  const std::string& id = request.run().run_id();
  switch (request.resume()) {
    case RESUME_MUST:
      if (!found->has_value()) {
        return absl::NotFoundError(absl::StrCat("resume='must' but run (", id, ") doesn't exist"));
      }
      return found;
    case RESUME_ALLOW:
      return found;
    case RESUME_NEVER:
      if (found->has_value()) {
        return absl::AlreadyExistsError(absl::StrCat("resume='never' but run (", id, ") exists"));
      }
      return found;
    default:
      // No resume setting: a new run. Appending to an existing one would mix two runs' steps.
      if (found->has_value() && UsesLocalStore(request.mode())) {
        return absl::AlreadyExistsError(absl::StrCat(
            "run ", id, " already exists in the local store; pass resume='allow' to continue ",
            "it, or choose another id"));
      }
      return std::optional<ResumePoint>();
  }
}

absl::Status ApplyResume(const ResumePoint& point, records::RunRecord* run) {
  run->set_resumed(true);
  run->set_starting_step(point.starting_step);
  run->set_runtime(static_cast<int32_t>(absl::ToInt64Seconds(point.runtime)));
  absl::Time start = absl::FromUnixSeconds(run->start_time().seconds()) +
                     absl::Nanoseconds(run->start_time().nanos()) - point.runtime;
  run->mutable_start_time()->set_seconds(absl::ToUnixSeconds(start));
  run->mutable_start_time()->set_nanos(static_cast<int32_t>(
      absl::ToInt64Nanoseconds(start - absl::FromUnixSeconds(absl::ToUnixSeconds(start)))));

  absl::StatusOr<Value> config = json::Parse(point.config_json);
  absl::StatusOr<Value> summary = json::Parse(point.summary_json);
  if (!config.ok() || !config->is_map() || !summary.ok() || !summary->is_map()) {
    return absl::DataLossError("the stored config or summary is not a JSON object");
  }
  // The stored config goes first; the new run's own keys, after it, win.
  records::ConfigRecord merged;
  for (const auto& [key, value] : config->as_map()) {
    bool overridden = false;
    for (const records::ConfigItem& item : run->config().update()) overridden |= item.key() == key;
    if (overridden) continue;
    records::ConfigItem* item = merged.add_update();
    item->set_key(key);
    item->set_value_json(json::Encode(value));
  }
  for (const records::ConfigItem& item : run->config().update()) *merged.add_update() = item;
  *run->mutable_config() = std::move(merged);
  for (const auto& [key, value] : summary->as_map()) {
    records::SummaryItem* item = run->mutable_summary()->add_update();
    item->set_key(key);
    item->set_value_json(json::Encode(value));
  }
  return absl::OkStatus();
}

}  // namespace wandb::service
