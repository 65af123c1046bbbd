#include "ui/server/runs_table.h"

#include <algorithm>
#include <cmath>
#include <set>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "common/value/json.h"
#include "nlohmann/json.hpp"

namespace wandb::ui {
namespace {

// The columns list offered to the column chooser stops here: a project whose runs log
// thousands of distinct keys still answers quickly.
constexpr size_t kMaxColumns = 5000;

void Flatten(const Value& value, const std::string& name, std::map<std::string, Value>* out) {
  if (value.is_map() && !value.as_map().empty()) {
    for (const auto& [key, inner] : value.as_map()) {
      Flatten(inner, absl::StrCat(name, ".", key), out);
    }
    return;
  }
  out->emplace(name, value);
}

// config or summary JSON text into "prefix.KEY" values; wandb's own "_wandb" entry is not a
// user's value and is left out.
void AddValues(const std::string& text, const std::string& prefix,
               std::map<std::string, Value>* out) {
  absl::StatusOr<Value> parsed = json::Parse(text);
  if (!parsed.ok() || !parsed->is_map()) return;
  for (const auto& [key, value] : parsed->as_map()) {
    if (key == "_wandb") continue;
    Flatten(value, absl::StrCat(prefix, ".", key), out);
  }
}

bool ContainsCaseless(absl::string_view haystack, absl::string_view needle) {
  return absl::StrContains(absl::AsciiStrToLower(haystack), needle);
}

bool Matches(const RunEntry& run, const RunsQuery& query, const std::string& text_lower) {
  const RunInfo& info = run.info;
  if (!query.states.empty() &&
      std::find(query.states.begin(), query.states.end(), info.state) == query.states.end()) {
    return false;
  }
  if (!query.tag.empty() &&
      std::find(run.tags.begin(), run.tags.end(), query.tag) == run.tags.end()) {
    return false;
  }
  if (!text_lower.empty()) {
    bool found = ContainsCaseless(info.id, text_lower) || ContainsCaseless(info.name, text_lower) ||
                 ContainsCaseless(info.group, text_lower) ||
                 ContainsCaseless(info.job_type, text_lower) ||
                 ContainsCaseless(info.notes, text_lower);
    for (const std::string& tag : run.tags) found = found || ContainsCaseless(tag, text_lower);
    if (!found) return false;
  }
  for (const RunsQuery::Range& range : query.ranges) {
    Value value = RunColumnValue(run, range.column);
    if (!value.is_number()) return false;
    const double v = value.as_double();
    if (std::isnan(v)) return false;
    if (range.min.has_value() && v < *range.min) return false;
    if (range.max.has_value() && v > *range.max) return false;
  }
  return true;
}

// Sort order of values: numbers (NaN last among them), then strings, then the rest; a run
// without the value sorts after every run with one, whichever the direction.
int Rank(const Value& v) {
  if (v.is_number()) return std::isnan(v.as_double()) ? 1 : 0;
  if (v.is_bool()) return 0;
  if (v.is_string()) return 2;
  if (v.is_null()) return 4;
  return 3;
}

// -1, 0, 1 as a < b, a == b, a > b, for two values of the same rank.
int CompareSameRank(const Value& a, const Value& b) {
  if (a.is_number() || a.is_bool()) {
    double x = a.is_bool() ? a.as_bool() : a.as_double();
    double y = b.is_bool() ? b.as_bool() : b.as_double();
    if (std::isnan(x) || std::isnan(y)) return 0;
    return x < y ? -1 : (x > y ? 1 : 0);
  }
  if (a.is_string()) {
    const int c = a.as_string().compare(b.as_string());
    return c < 0 ? -1 : (c > 0 ? 1 : 0);
  }
  return 0;
}

}  // namespace

Value RunColumnValue(const RunEntry& run, const std::string& column) {
  const RunInfo& info = run.info;
  if (column == "state") return info.state;
  if (column == "name") return info.name.empty() ? info.id : info.name;
  if (column == "id") return info.id;
  if (column == "group") return info.group;
  if (column == "job_type") return info.job_type;
  if (column == "host") return info.host;
  if (column == "created") return info.start_time;
  if (column == "heartbeat") return info.heartbeat_time;
  if (column == "runtime") return info.runtime_seconds();
  if (column == "last_step") return info.last_step.has_value() ? Value(*info.last_step) : Value();
  if (column == "exit_code") return info.exit_code.has_value() ? Value(*info.exit_code) : Value();
  auto it = run.values.find(column);
  return it == run.values.end() ? Value() : it->second;
}

std::shared_ptr<RunEntry> RunsTable::Parse(RunInfo info) {
  auto entry = std::make_shared<RunEntry>();
  nlohmann::json tags = nlohmann::json::parse(info.tags_json, nullptr, false);
  if (tags.is_array()) {
    for (const nlohmann::json& tag : tags) {
      if (tag.is_string()) entry->tags.push_back(tag.get<std::string>());
    }
  }
  AddValues(info.config_json, "config", &entry->values);
  AddValues(info.summary_json, "summary", &entry->values);
  info.config_json.clear();
  info.summary_json.clear();
  entry->info = std::move(info);
  return entry;
}

absl::Status RunsTable::Refresh(const std::string& entity, const std::string& project,
                                Project& cached) {
  absl::StatusOr<StoreReader::ProjectDigest> digest = reader_->Digest(entity, project);
  if (!digest.ok()) return digest.status();
  if (cached.digest == *digest) return absl::OkStatus();
  absl::StatusOr<std::vector<StoreReader::RunVersion>> versions =
      reader_->RunVersions(entity, project);
  if (!versions.ok()) return versions.status();
  absl::flat_hash_map<int64_t, std::shared_ptr<const RunEntry>> known;
  for (const auto& run : cached.runs) known[run->info.row_id] = run;
  absl::flat_hash_map<int64_t, const StoreReader::RunVersion*> old_versions;
  for (const StoreReader::RunVersion& v : cached.versions) old_versions[v.row_id] = &v;

  std::vector<int64_t> changed;
  for (const StoreReader::RunVersion& v : *versions) {
    auto old = old_versions.find(v.row_id);
    if (old == old_versions.end() || old->second->heartbeat_time != v.heartbeat_time ||
        old->second->state != v.state || old->second->stop_requested != v.stop_requested) {
      changed.push_back(v.row_id);
    }
  }
  if (changed.empty() && versions->size() == cached.versions.size()) {
    cached.digest = *digest;
    return absl::OkStatus();
  }

  absl::StatusOr<std::vector<RunInfo>> fresh = reader_->RunsById(changed);
  if (!fresh.ok()) return fresh.status();
  for (RunInfo& info : *fresh) {
    const int64_t row = info.row_id;
    known[row] = Parse(std::move(info));
  }
  std::vector<std::shared_ptr<const RunEntry>> runs;
  std::set<std::string> columns, tags;
  for (const StoreReader::RunVersion& v : *versions) {
    auto it = known.find(v.row_id);
    if (it == known.end()) continue;  // deleted between the two reads
    runs.push_back(it->second);
    for (const auto& [key, value] : it->second->values) {
      if (columns.size() < kMaxColumns) columns.insert(key);
    }
    tags.insert(it->second->tags.begin(), it->second->tags.end());
  }
  cached.runs = std::move(runs);
  cached.versions = *std::move(versions);
  // Taken before the versions were read: a write in between is seen by the next query.
  cached.digest = *digest;
  cached.columns.assign(columns.begin(), columns.end());
  cached.tags.assign(tags.begin(), tags.end());
  return absl::OkStatus();
}

absl::StatusOr<RunsPage> RunsTable::Query(const std::string& entity, const std::string& project,
                                          const RunsQuery& query) {
  Project* cached;
  {
    absl::MutexLock lock(&mu_);
    std::unique_ptr<Project>& slot = projects_[absl::StrCat(entity, "/", project)];
    if (slot == nullptr) slot = std::make_unique<Project>();
    cached = slot.get();
  }
  RunsPage page;
  std::vector<std::shared_ptr<const RunEntry>> matching;
  std::vector<std::shared_ptr<const RunEntry>> runs;
  {
    // The lock covers the refresh and a copy of the list; queries filter and sort their own
    // copy in parallel (the entries themselves are never changed, only replaced).
    absl::MutexLock lock(&cached->mu);
    if (absl::Status s = Refresh(entity, project, *cached); !s.ok()) return s;
    runs = cached->runs;
    page.columns = cached->columns;
    page.tags = cached->tags;
  }
  const std::string text = absl::AsciiStrToLower(query.text);
  for (const auto& run : runs) {
    if (Matches(*run, query, text)) matching.push_back(run);
  }
  if (matching.empty()) {
    // An unknown project is an error, not an empty table.
    absl::StatusOr<std::vector<ProjectInfo>> projects = reader_->Projects();
    if (!projects.ok()) return projects.status();
    bool exists = std::any_of(projects->begin(), projects->end(), [&](const ProjectInfo& p) {
      return p.entity == entity && p.name == project;
    });
    if (!exists) {
      return absl::NotFoundError(
          absl::StrCat("no project ", entity, "/", project, " in the store"));
    }
  }

  const bool descending = absl::StartsWith(query.sort, "-");
  const std::string column = descending ? query.sort.substr(1) : query.sort;
  // Each run's sort value is looked up once, not once per comparison.
  std::vector<std::pair<Value, size_t>> keyed;
  keyed.reserve(matching.size());
  for (size_t i = 0; i < matching.size(); ++i) {
    keyed.emplace_back(RunColumnValue(*matching[i], column), i);
  }
  std::stable_sort(keyed.begin(), keyed.end(), [descending](const auto& a, const auto& b) {
    const int ra = Rank(a.first), rb = Rank(b.first);
    if (ra != rb) return ra < rb;
    const int c = CompareSameRank(a.first, b.first);
    return descending ? c > 0 : c < 0;
  });
  page.total = static_cast<int64_t>(keyed.size());
  const int64_t begin = std::clamp<int64_t>(query.offset, 0, page.total);
  const int64_t end = std::clamp<int64_t>(begin + std::max<int64_t>(query.limit, 0), 0, page.total);
  for (int64_t i = begin; i < end; ++i) page.runs.push_back(matching[keyed[i].second]);
  return page;
}

}  // namespace wandb::ui
