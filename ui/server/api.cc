#include "ui/server/api.h"

#include <httplib.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <fstream>
#include <memory>
#include <thread>

#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/time/clock.h"
#include "common/protocol.h"
#include "common/value/json.h"
#include "service/store/local_store.h"
#include "ui/server/blob_response.h"
#include "ui/server/json_out.h"
#include "ui/server/media_lookup.h"
#include "ui/server/series_reducer.h"

namespace wandb::ui {
namespace {

constexpr char kRunPath[] = R"(/api/runs/([^/]+)/([^/]+)/([^/]+))";
constexpr int kMaxBuckets = 20000;
constexpr int64_t kMaxConsoleLines = 10000;
constexpr int64_t kMaxHistoryRows = 100000;
// The most values of a media key one request reads (a histogram heat map's columns).
constexpr int64_t kMaxMediaValues = 2000;
constexpr int64_t kMetadataMaxBytes = 4 << 20;
// How often a live-update stream looks at its run, and how often it proves it is alive.
constexpr auto kPulseInterval = std::chrono::milliseconds(250);
constexpr auto kKeepAliveInterval = std::chrono::seconds(15);

absl::StatusOr<int64_t> IntParam(const httplib::Request& request, const std::string& name,
                                 int64_t fallback, int64_t min, int64_t max) {
  if (!request.has_param(name)) return fallback;
  int64_t value;
  if (!absl::SimpleAtoi(request.get_param_value(name), &value) || value < min || value > max) {
    return absl::InvalidArgumentError(
        absl::StrCat("parameter '", name, "' must be an integer from ", min, " to ", max));
  }
  return value;
}

absl::StatusOr<std::optional<double>> DoubleParam(const httplib::Request& request,
                                                  const std::string& name) {
  if (!request.has_param(name) || request.get_param_value(name).empty()) return std::nullopt;
  double value;
  if (!absl::SimpleAtod(request.get_param_value(name), &value) || !std::isfinite(value)) {
    return absl::InvalidArgumentError(absl::StrCat("parameter '", name, "' must be a number"));
  }
  return value;
}

std::vector<std::string> ListParam(const httplib::Request& request, const std::string& name) {
  std::vector<std::string> items;
  if (!request.has_param(name)) return items;
  for (absl::string_view item : absl::StrSplit(request.get_param_value(name), ',')) {
    if (!item.empty()) items.emplace_back(item);
  }
  return items;
}

nlohmann::json Optional(const std::optional<double>& value) {
  return value.has_value() ? NumberJson(*value) : nlohmann::json();
}
nlohmann::json Optional(const std::optional<int64_t>& value) {
  return value.has_value() ? nlohmann::json(*value) : nlohmann::json();
}

nlohmann::json RunHeader(const RunInfo& run) {
  return {{"entity", run.entity},
          {"project", run.project},
          {"id", run.id},
          {"path", run.path()},
          {"name", run.name.empty() ? run.id : run.name},
          {"notes", run.notes},
          {"group", run.group},
          {"job_type", run.job_type},
          {"tags", nlohmann::json::parse(run.tags_json, nullptr, false)},
          {"state", run.state},
          {"exit_code", Optional(run.exit_code)},
          {"created", run.start_time},
          {"heartbeat", run.heartbeat_time},
          {"ended", Optional(run.end_time)},
          {"runtime", run.runtime_seconds()},
          {"host", run.host},
          {"program", run.program},
          {"last_step", Optional(run.last_step)},
          {"stop_requested", run.stop_requested}};
}

nlohmann::json PointsJson(const SeriesPoints& points) {
  nlohmann::json x = nlohmann::json::array(), y = nlohmann::json::array();
  for (double v : points.x) x.push_back(v);
  for (double v : points.y) y.push_back(v);
  return {{"x", std::move(x)}, {"y", std::move(y)}};
}

nlohmann::json ReductionJson(const Reduction& r) {
  nlohmann::json json = {{"exact", r.exact},
                         {"points_in_range", r.points_in_range},
                         {"x_range", {r.x_lo, r.x_hi}},
                         {"line", PointsJson(r.line)}};
  if (!r.exact) {
    json["buckets"] = {
        {"x", r.bucket_x}, {"min", r.bucket_min}, {"max", r.bucket_max}, {"last", r.bucket_last}};
  }
  return json;
}

nlohmann::json PulseJson(const RunPulse& pulse) {
  return {{"state", pulse.state},
          {"heartbeat", pulse.heartbeat_time},
          {"last_step", Optional(pulse.last_step)},
          {"stop_requested", pulse.stop_requested},
          {"console_last_id", pulse.console_last_id},
          {"system_last_time", pulse.system_last_time},
          {"file_versions", pulse.file_versions}};
}

// json[key] when `json` is an object and that an object, else {}.
nlohmann::json ObjectAt(const nlohmann::json& json, const char* key) {
  auto it = json.find(key);
  return it != json.end() && it->is_object() ? *it : nlohmann::json::object();
}

void AppendCsvNumber(double v, std::string* out) {
  if (std::isfinite(v) && v == std::trunc(v) && std::fabs(v) < 1e15) {
    absl::StrAppend(out, static_cast<int64_t>(v));
  } else {
    json::AppendDouble(v, out);
  }
}

void AppendCsvField(absl::string_view text, std::string* out) {
  if (text.find_first_of(",\"\n\r") == absl::string_view::npos) {
    out->append(text.data(), text.size());
    return;
  }
  out->push_back('"');
  for (char c : text) {
    if (c == '"') out->push_back('"');
    out->push_back(c);
  }
  out->push_back('"');
}

}  // namespace

Api::Api(StoreReader* reader, ArtifactReader* artifacts, const AccessGuard* guard)
    : reader_(reader),
      guard_(guard),
      runs_table_(reader),
      history_(reader),
      blobs_(reader->dir()),
      artifact_api_(reader, artifacts, &blobs_) {}

void Api::Register(httplib::Server& server) {
  auto bind = [this](void (Api::*method)(const Request&, Response&)) {
    return [this, method](const Request& request, Response& response) {
      (this->*method)(request, response);
    };
  };
  server.Get("/api/session", bind(&Api::Session));
  server.Get("/api/projects", bind(&Api::Projects));
  server.Get(R"(/api/projects/([^/]+)/([^/]+)/runs)", bind(&Api::Runs));
  server.Get(kRunPath, bind(&Api::Run));
  server.Get(absl::StrCat(kRunPath, "/keys"), bind(&Api::Keys));
  server.Get(absl::StrCat(kRunPath, "/series"), bind(&Api::Series));
  server.Get(absl::StrCat(kRunPath, "/history"), bind(&Api::History));
  server.Get(absl::StrCat(kRunPath, "/history.csv"), bind(&Api::HistoryCsv));
  server.Get(absl::StrCat(kRunPath, "/media"), bind(&Api::Media));
  server.Get(absl::StrCat(kRunPath, "/system"), bind(&Api::System));
  server.Get(absl::StrCat(kRunPath, "/console"), bind(&Api::Console));
  server.Get(absl::StrCat(kRunPath, "/files"), bind(&Api::Files));
  server.Get(absl::StrCat(kRunPath, "/file"), bind(&Api::File));
  server.Post(absl::StrCat(kRunPath, "/stop"), bind(&Api::Stop));
  server.Get(absl::StrCat(kRunPath, "/events"), bind(&Api::Events));
  artifact_api_.Register(server, kRunPath);
}

absl::StatusOr<RunInfo> Api::RunOf(const Request& request) {
  return reader_->Run(request.matches[1].str(), request.matches[2].str(), request.matches[3].str());
}

void Api::Session(const Request&, Response& response) {
  SendJson(response, {{"version", std::string(kVersion)},
                      {"store", reader_->dir()},
                      {"csrf", guard_->csrf()},
                      {"token_required", !guard_->token().empty()}});
}

void Api::Projects(const Request&, Response& response) {
  absl::StatusOr<std::vector<ProjectInfo>> projects = reader_->Projects();
  if (!projects.ok()) return SendError(response, projects.status());
  nlohmann::json list = nlohmann::json::array();
  for (const ProjectInfo& p : *projects) {
    list.push_back({{"entity", p.entity},
                    {"name", p.name},
                    {"runs", p.runs},
                    {"running", p.running},
                    {"last_activity", p.last_activity}});
  }
  SendJson(response, {{"projects", std::move(list)}});
}

void Api::Runs(const Request& request, Response& response) {
  RunsQuery query;
  query.states = ListParam(request, "state");
  if (request.has_param("tag")) query.tag = request.get_param_value("tag");
  if (request.has_param("q")) query.text = request.get_param_value("q");
  if (request.has_param("sort")) query.sort = request.get_param_value("sort");
  // range=COLUMN:MIN:MAX, either bound may be empty; repeatable.
  for (size_t i = 0; i < request.get_param_value_count("range"); ++i) {
    std::vector<std::string> parts = absl::StrSplit(request.get_param_value("range", i), ':');
    if (parts.size() != 3 || parts[0].empty()) {
      return SendError(response, absl::InvalidArgumentError(
                                     "parameter 'range' must be COLUMN:MIN:MAX (a bound may be "
                                     "empty)"));
    }
    RunsQuery::Range range{parts[0], std::nullopt, std::nullopt};
    double bound;
    if (!parts[1].empty()) {
      if (!absl::SimpleAtod(parts[1], &bound)) {
        return SendError(response, absl::InvalidArgumentError("range: MIN is not a number"));
      }
      range.min = bound;
    }
    if (!parts[2].empty()) {
      if (!absl::SimpleAtod(parts[2], &bound)) {
        return SendError(response, absl::InvalidArgumentError("range: MAX is not a number"));
      }
      range.max = bound;
    }
    query.ranges.push_back(std::move(range));
  }
  absl::StatusOr<int64_t> offset = IntParam(request, "offset", 0, 0, INT64_MAX / 2);
  absl::StatusOr<int64_t> limit = IntParam(request, "limit", 100, 0, 10000);
  if (!offset.ok()) return SendError(response, offset.status());
  if (!limit.ok()) return SendError(response, limit.status());
  query.offset = *offset;
  query.limit = *limit;
  const std::vector<std::string> columns = ListParam(request, "columns");

  absl::StatusOr<RunsPage> page =
      runs_table_.Query(request.matches[1].str(), request.matches[2].str(), query);
  if (!page.ok()) return SendError(response, page.status());
  nlohmann::json runs = nlohmann::json::array();
  for (const auto& run : page->runs) {
    nlohmann::json row = RunHeader(run->info);
    nlohmann::json values = nlohmann::json::object();
    for (const std::string& column : columns) {
      values[column] = ToJson(RunColumnValue(*run, column));
    }
    row["values"] = std::move(values);
    runs.push_back(std::move(row));
  }
  SendJson(response, {{"total", page->total},
                      {"offset", query.offset},
                      {"runs", std::move(runs)},
                      {"columns", page->columns},
                      {"tags", page->tags}});
}

nlohmann::json Api::Metadata(const RunInfo& run) {
  std::string text;
  absl::StatusOr<FileVersionInfo> stored = reader_->File(run.row_id, "wandb-metadata.json", 0);
  if (stored.ok() && stored->size <= kMetadataMaxBytes) {
    absl::StatusOr<OpenBlob> blob = blobs_.Open(stored->md5);
    if (blob.ok()) {
      text.resize(blob->size());
      absl::StatusOr<size_t> n = blob->ReadAt(0, text.data(), text.size());
      text.resize(n.ok() ? *n : 0);
    }
  }
  if (text.empty() && !run.run_dir.empty()) {
    // Not stored yet (files reach the store at finish): the run directory has it.
    std::ifstream in(run.run_dir + "/files/wandb-metadata.json", std::ios::binary);
    text.assign(std::istreambuf_iterator<char>(in), {});
    if (text.size() > static_cast<size_t>(kMetadataMaxBytes)) text.clear();
  }
  nlohmann::json metadata = nlohmann::json::parse(text, nullptr, false);
  return metadata.is_object() ? metadata : nlohmann::json::object();
}

void Api::Run(const Request& request, Response& response) {
  absl::StatusOr<RunInfo> run = RunOf(request);
  if (!run.ok()) return SendError(response, run.status());
  nlohmann::json json = RunHeader(*run);
  nlohmann::json config = DialectToJson(run->config_json);
  const nlohmann::json internal = ObjectAt(config, "_wandb");
  if (config.is_object()) config.erase("_wandb");
  json["config"] = std::move(config);
  // The custom charts the run logged (plot_table and wandb.plot.*, and the older
  // wandb.visualize): their panels sit in the config under _wandb (docs/formats.md).
  json["charts"] = ObjectAt(internal, "visualize");
  json["visualizations"] = ObjectAt(internal, "viz");
  // The names of the classes of images' boxes and masks, by "<key>_wandb_delimeter_<group>",
  // also under _wandb: the image panel labels the boxes and masks with them.
  json["class_labels"] = {{"boxes", ObjectAt(internal, "bounding_box/class_labels")},
                          {"masks", ObjectAt(internal, "mask/class_labels")}};
  json["summary"] = DialectToJson(run->summary_json);
  json["metadata"] = Metadata(*run);
  json["run_dir"] = run->run_dir;
  SendJson(response, json);
}

void Api::Keys(const Request& request, Response& response) {
  absl::StatusOr<RunInfo> run = RunOf(request);
  if (!run.ok()) return SendError(response, run.status());
  nlohmann::json json;
  absl::Status status = history_.With(run->row_id, [&](const RunHistory& history) {
    json = {{"rows", history.row_count()},
            {"last_step", history.last_step()},
            {"keys", history.NumericKeys()},
            {"media", history.media_keys()}};
  });
  if (!status.ok()) return SendError(response, status);
  SendJson(response, json);
}

void Api::Series(const Request& request, Response& response) {
  absl::StatusOr<RunInfo> run = RunOf(request);
  if (!run.ok()) return SendError(response, run.status());
  if (!request.has_param("key")) {
    return SendError(response, absl::InvalidArgumentError("parameter 'key' is missing"));
  }
  const std::string key = request.get_param_value("key");
  const std::string x = request.has_param("x") ? request.get_param_value("x") : "_step";
  absl::StatusOr<int64_t> buckets = IntParam(request, "buckets", 1000, 1, kMaxBuckets);
  absl::StatusOr<std::optional<double>> min = DoubleParam(request, "min");
  absl::StatusOr<std::optional<double>> max = DoubleParam(request, "max");
  absl::StatusOr<std::optional<double>> smoothing = DoubleParam(request, "smoothing");
  for (const absl::Status& s : {buckets.status(), min.status(), max.status(), smoothing.status()}) {
    if (!s.ok()) return SendError(response, s);
  }
  const double weight = smoothing->value_or(0);
  if (weight < 0 || weight >= 1) {
    return SendError(response,
                     absl::InvalidArgumentError("parameter 'smoothing' must be in [0, 1)"));
  }
  ReduceOptions options{static_cast<int>(*buckets), *min, *max};

  nlohmann::json json;
  absl::Status found = absl::OkStatus();
  absl::Status status = history_.With(run->row_id, [&](const RunHistory& history) {
    absl::StatusOr<RunHistory::Series> points = history.Points(key, x);
    if (!points.ok()) {
      found = points.status();
      return;
    }
    json = ReductionJson(ReduceSeries(points->x, points->y, options));
    json["key"] = key;
    json["x_key"] = x;
    json["total_points"] = points->x.size();
    if (weight > 0) {
      // Smoothed over every point, then reduced: zooming in shows the same curve.
      std::vector<double> smooth = SmoothEma(points->y, weight);
      json["smoothed"] = PointsJson(ReduceSeries(points->x, smooth, options).line);
    }
  });
  if (!status.ok()) return SendError(response, status);
  if (!found.ok()) return SendError(response, found);
  SendJson(response, json);
}

void Api::History(const Request& request, Response& response) {
  absl::StatusOr<RunInfo> run = RunOf(request);
  if (!run.ok()) return SendError(response, run.status());
  absl::StatusOr<int64_t> from = IntParam(request, "from_step", 0, 0, INT64_MAX);
  absl::StatusOr<int64_t> limit = IntParam(request, "limit", 1000, 1, kMaxHistoryRows);
  if (!from.ok()) return SendError(response, from.status());
  if (!limit.ok()) return SendError(response, limit.status());
  absl::StatusOr<std::vector<HistoryRowText>> rows = reader_->History(run->row_id, *from, *limit);
  if (!rows.ok()) return SendError(response, rows.status());
  nlohmann::json list = nlohmann::json::array();
  for (const HistoryRowText& row : *rows) list.push_back(DialectToJson(row.row_json));
  nlohmann::json json = {{"rows", std::move(list)}};
  if (static_cast<int64_t>(rows->size()) == *limit) json["next_from_step"] = rows->back().step + 1;
  SendJson(response, json);
}

void Api::Media(const Request& request, Response& response) {
  absl::StatusOr<RunInfo> run = RunOf(request);
  if (!run.ok()) return SendError(response, run.status());
  if (!request.has_param("key")) {
    return SendError(response, absl::InvalidArgumentError("parameter 'key' is missing"));
  }
  const std::string key = request.get_param_value("key");
  absl::StatusOr<int64_t> step = IntParam(request, "step", -1, 0, INT64_MAX);
  absl::StatusOr<int64_t> sample = IntParam(request, "sample", 0, 1, kMaxMediaValues);
  if (!step.ok()) return SendError(response, step.status());
  if (!sample.ok()) return SendError(response, sample.status());

  std::string type;
  std::vector<int64_t> steps;
  absl::Status status = history_.With(run->row_id, [&](const RunHistory& history) {
    const std::vector<int64_t>* found = history.MediaSteps(key);
    if (found == nullptr) return;
    type = history.media_keys().at(key);
    if (*step >= 0) {
      if (std::binary_search(found->begin(), found->end(), *step)) steps = {*step};
    } else {
      steps = *sample > 0 ? SpreadSteps(*found, static_cast<size_t>(*sample)) : *found;
    }
  });
  if (!status.ok()) return SendError(response, status);
  if (type.empty()) {
    return SendError(response, absl::NotFoundError(
                                   absl::StrCat("the run's history has no media key '", key, "'")));
  }
  if (*step >= 0 && steps.empty()) {
    return SendError(response, absl::NotFoundError(absl::StrCat("the run's history has no '", key,
                                                                "' at step ", *step)));
  }
  nlohmann::json json = {{"key", key}, {"type", type}, {"steps", steps}};
  if (*step < 0 && *sample == 0) return SendJson(response, json);

  absl::StatusOr<nlohmann::json> values = MediaValues(run->row_id, key, steps);
  if (!values.ok()) return SendError(response, values.status());
  if (*step >= 0) {
    json.erase("steps");
    json["step"] = *step;
    json["value"] = std::move((*values)[0]);
  } else {
    json["values"] = *std::move(values);
  }
  SendJson(response, json);
}

absl::StatusOr<nlohmann::json> Api::MediaValues(int64_t run_row, const std::string& key,
                                                const std::vector<int64_t>& steps) {
  // One indexed read of each step's row: a few hundred at most, not a scan of the history.
  nlohmann::json values = nlohmann::json::array();
  for (int64_t at : steps) {
    absl::StatusOr<std::vector<HistoryRowText>> rows = reader_->History(run_row, at, 1);
    if (!rows.ok()) return rows.status();
    const bool here = !rows->empty() && rows->front().step == at;
    values.push_back(here ? ValueAtKey(DialectToJson(rows->front().row_json), key) : nullptr);
  }
  return values;
}

void Api::HistoryCsv(const Request& request, Response& response) {
  absl::StatusOr<RunInfo> run = RunOf(request);
  if (!run.ok()) return SendError(response, run.status());
  std::vector<std::string> keys = ListParam(request, "keys");
  std::string csv;
  absl::Status status = history_.With(run->row_id, [&](const RunHistory& history) {
    if (keys.empty()) {
      for (const auto& [key, count] : history.NumericKeys()) {
        if (key != "_step") keys.push_back(key);
      }
    }
    csv = "_step";
    std::vector<const RunHistory::Column*> columns;
    for (const std::string& key : keys) {
      csv.push_back(',');
      AppendCsvField(key, &csv);
      columns.push_back(history.Find(key));
    }
    csv.push_back('\n');
    std::vector<size_t> next(columns.size(), 0);  // each column's cursor
    const std::vector<int64_t>& steps = history.steps();
    for (size_t row = 0; row < steps.size(); ++row) {
      absl::StrAppend(&csv, steps[row]);
      for (size_t c = 0; c < columns.size(); ++c) {
        csv.push_back(',');
        const RunHistory::Column* column = columns[c];
        if (column == nullptr) continue;
        const double step = static_cast<double>(steps[row]);
        if (next[c] < column->steps.size() && column->steps[next[c]] == step) {
          AppendCsvNumber(column->values[next[c]++], &csv);
        }
      }
      csv.push_back('\n');
    }
  });
  if (!status.ok()) return SendError(response, status);
  response.set_header("Content-Disposition", absl::StrCat("attachment; filename*=UTF-8''",
                                                          AttachmentName(run->id), "-history.csv"));
  response.set_content(std::move(csv), "text/csv; charset=utf-8");
}

void Api::System(const Request& request, Response& response) {
  absl::StatusOr<RunInfo> run = RunOf(request);
  if (!run.ok()) return SendError(response, run.status());
  absl::StatusOr<std::vector<SystemRowText>> rows = reader_->SystemMetrics(run->row_id);
  if (!rows.ok()) return SendError(response, rows.status());
  // Columns by key; a sample without a key leaves null in that key's column.
  std::map<std::string, nlohmann::json> columns;
  nlohmann::json times = nlohmann::json::array();
  for (size_t i = 0; i < rows->size(); ++i) {
    times.push_back((*rows)[i].timestamp - run->start_time);
    absl::StatusOr<Value> sample = json::Parse((*rows)[i].row_json);
    if (!sample.ok() || !sample->is_map()) continue;
    for (const auto& [key, value] : sample->as_map()) {
      if (!value.is_number()) continue;
      nlohmann::json& column = columns[key];
      if (column.is_null()) column = nlohmann::json::array();
      while (column.size() < i) column.push_back(nullptr);
      column.push_back(NumberJson(value.as_double()));
    }
  }
  for (auto& [key, column] : columns) {
    while (column.size() < rows->size()) column.push_back(nullptr);
  }
  SendJson(response, {{"t", std::move(times)}, {"series", columns}});
}

void Api::Console(const Request& request, Response& response) {
  absl::StatusOr<RunInfo> run = RunOf(request);
  if (!run.ok()) return SendError(response, run.status());
  absl::StatusOr<int64_t> after = IntParam(request, "after", 0, 0, INT64_MAX);
  absl::StatusOr<int64_t> limit = IntParam(request, "limit", 1000, 1, kMaxConsoleLines);
  if (!after.ok()) return SendError(response, after.status());
  if (!limit.ok()) return SendError(response, limit.status());
  const std::string q = request.has_param("q") ? request.get_param_value("q") : "";
  absl::StatusOr<std::vector<ConsoleRow>> lines =
      request.has_param("tail") && q.empty() ? reader_->ConsoleTail(run->row_id, *limit)
                                             : reader_->Console(run->row_id, *after, *limit, q);
  if (!lines.ok()) return SendError(response, lines.status());
  nlohmann::json list = nlohmann::json::array();
  for (const ConsoleRow& line : *lines) {
    list.push_back({{"id", line.id},
                    {"t", static_cast<double>(line.timestamp_ns) / 1e9},
                    {"stream", line.is_stderr ? "stderr" : "stdout"},
                    {"text", line.line}});
  }
  SendJson(response, {{"lines", std::move(list)}});
}

void Api::Files(const Request& request, Response& response) {
  absl::StatusOr<RunInfo> run = RunOf(request);
  if (!run.ok()) return SendError(response, run.status());
  absl::StatusOr<std::vector<FileVersionInfo>> versions = reader_->Files(run->row_id);
  if (!versions.ok()) return SendError(response, versions.status());
  nlohmann::json files = nlohmann::json::array();
  for (const FileVersionInfo& v : *versions) {
    nlohmann::json version = {{"version", v.version},
                              {"md5", v.md5},
                              {"size", v.size},
                              {"created", v.created_at},
                              {"policy", v.policy}};
    if (files.empty() || files.back()["path"] != v.path) {
      files.push_back({{"path", v.path}, {"versions", nlohmann::json::array()}});
    }
    files.back()["versions"].push_back(std::move(version));
  }
  SendJson(response, {{"files", std::move(files)}});
}

void Api::File(const Request& request, Response& response) {
  absl::StatusOr<RunInfo> run = RunOf(request);
  if (!run.ok()) return SendError(response, run.status());
  if (!request.has_param("path")) {
    return SendError(response, absl::InvalidArgumentError("parameter 'path' is missing"));
  }
  const std::string path = request.get_param_value("path");
  absl::StatusOr<int64_t> version = IntParam(request, "version", 0, 0, INT32_MAX);
  if (!version.ok()) return SendError(response, version.status());
  // The path only names a row of the store; the bytes come from the blob its MD5 names.
  absl::StatusOr<FileVersionInfo> file = reader_->File(run->row_id, path, *version);
  if (!file.ok()) return SendError(response, file.status());
  absl::StatusOr<OpenBlob> blob = blobs_.Open(file->md5);
  if (!blob.ok()) return SendError(response, blob.status());
  response.set_header("X-File-Version", std::to_string(file->version));
  SendBlob(response, *std::move(blob), path, request.has_param("inline"));
}

void Api::Stop(const Request& request, Response& response) {
  if (absl::Status s = guard_->CheckWrite(request); !s.ok()) return SendError(response, s);
  absl::StatusOr<RunInfo> run = RunOf(request);
  if (!run.ok()) return SendError(response, run.status());
  if (!run->running()) {
    return SendError(
        response, absl::FailedPreconditionError(absl::StrCat(
                      "run ", run->path(), " is ", run->state, "; only a running run can stop")));
  }
  const bool already = run->stop_requested;
  if (!already) {
    // The one write the UI makes, through the store's own API, as `wandb-cpp stop` does.
    absl::StatusOr<std::unique_ptr<store::LocalStore>> store =
        store::LocalStore::Open(reader_->dir());
    if (!store.ok()) return SendError(response, store.status());
    absl::Status status = (*store)->runs().RequestStop({run->entity, run->project, run->id});
    if (!status.ok()) return SendError(response, status);
  }
  SendJson(response,
           {{"run", run->path()}, {"stop_requested", true}, {"already_requested", already}});
}

void Api::Events(const Request& request, Response& response) {
  absl::StatusOr<RunInfo> run = RunOf(request);
  if (!run.ok()) return SendError(response, run.status());
  struct StreamState {
    std::optional<RunPulse> last;
    std::chrono::steady_clock::time_point last_write;
  };
  auto state = std::make_shared<StreamState>();
  const int64_t run_row = run->row_id;
  response.set_header("Cache-Control", "no-cache");
  response.set_chunked_content_provider(
      "text/event-stream", [this, state, run_row](size_t, httplib::DataSink& sink) {
        if (state->last.has_value()) {
          // Wait one interval, in slices, so a stopping server is not held up.
          const auto until = std::chrono::steady_clock::now() + kPulseInterval;
          while (std::chrono::steady_clock::now() < until) {
            if (stopping_) return false;
            std::this_thread::sleep_for(std::chrono::milliseconds(25));
          }
        }
        if (stopping_ || !sink.is_writable()) return false;
        absl::StatusOr<RunPulse> pulse = reader_->Pulse(run_row);
        if (!pulse.ok()) {
          sink.done();
          return true;
        }
        const auto now = std::chrono::steady_clock::now();
        std::string event;
        if (!state->last.has_value() || *state->last != *pulse) {
          event = absl::StrCat("event: pulse\ndata: ", Dump(PulseJson(*pulse)), "\n\n");
          state->last = *pulse;
        } else if (now - state->last_write >= kKeepAliveInterval) {
          event = ": keep-alive\n\n";
        }
        if (!event.empty()) {
          if (!sink.write(event.data(), event.size())) return false;
          state->last_write = now;
        }
        return true;
      });
}

}  // namespace wandb::ui
