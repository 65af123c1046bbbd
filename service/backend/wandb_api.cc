#include "service/backend/wandb_api.h"

#include <nlohmann/json.hpp>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "common/value/json.h"
#include "service/backend/json_fields.h"

namespace wandb::service {
namespace {

constexpr absl::string_view kViewerQuery = "query Viewer { viewer { id entity username email } }";

constexpr absl::string_view kUpsertBucket =
    "mutation UpsertBucket($id: String, $name: String, $project: String, $entity: String, "
    "$groupName: String, $description: String, $displayName: String, $notes: String, "
    "$commit: String, $config: JSONString, $host: String, $debug: Boolean, $program: String, "
    "$repo: String, $jobType: String, $state: String, $sweep: String, $tags: [String!], "
    "$summaryMetrics: JSONString) { upsertBucket(input: {id: $id, name: $name, groupName: "
    "$groupName, modelName: $project, entityName: $entity, description: $description, "
    "displayName: $displayName, notes: $notes, config: $config, commit: $commit, host: $host, "
    "debug: $debug, jobProgram: $program, jobRepo: $repo, jobType: $jobType, state: $state, "
    "sweep: $sweep, tags: $tags, summaryMetrics: $summaryMetrics}) { bucket { id name "
    "displayName description config sweepName project { id name entity { id name } } } "
    "inserted } }";

constexpr absl::string_view kRunStoppedStatus =
    "query RunStoppedStatus($entityName: String, $projectName: String, $runId: String!) { "
    "project(name: $projectName, entityName: $entityName) { run(name: $runId) { stopped } } }";

constexpr absl::string_view kRunResumeStatus =
    "query RunResumeStatus($project: String, $entity: String, $name: String!) { "
    "model(name: $project, entityName: $entity) { id name entity { id name } "
    "bucket(name: $name, missingOk: true) { id name logLineCount historyLineCount "
    "eventsLineCount } } }";

constexpr absl::string_view kRunUploadUrls =
    "query RunUploadUrls($name: String!, $files: [String]!, $entity: String, $run: String!, "
    "$description: String) { model(name: $name, entityName: $entity) { bucket(name: $run, "
    "desc: $description) { id files(names: $files) { uploadHeaders edges { node { name "
    "url(upload: true) updatedAt } } } } } }";

// The server's own words from an error body, shortened: {"error": ...} or {"errors": [...]}.
std::string ServerMessage(absl::string_view body) {
  nlohmann::json parsed = nlohmann::json::parse(body, nullptr, /*allow_exceptions=*/false);
  std::string message;
  if (parsed.is_object()) {
    const nlohmann::json* error = nullptr;
    if (auto it = parsed.find("error"); it != parsed.end()) error = &*it;
    if (auto it = parsed.find("errors"); it != parsed.end() && it->is_array() && !it->empty()) {
      error = &(*it)[0];
    }
    if (error != nullptr && error->is_object() && error->contains("message")) {
      error = &(*error)["message"];
    }
    if (error != nullptr) message = error->is_string() ? error->get<std::string>() : error->dump();
  }
  if (message.empty()) message = std::string(body);
  if (message.size() > 200) message = absl::StrCat(message.substr(0, 200), "...");
  return message;
}

absl::Status StatusFor(long status, absl::string_view what, absl::string_view body) {
  std::string detail = absl::StrCat(what, ": HTTP ", status, " (", ServerMessage(body), ")");
  switch (status) {
    case 401:
      return absl::UnauthenticatedError(absl::StrCat(
          detail, "; the API key is not valid for this server: run `wandb-cpp login`"));
    case 403:
      return absl::PermissionDeniedError(detail);
    case 404:
      return absl::NotFoundError(detail);
    case 400:
    case 409:
    case 410:
    case 413:
    case 422:
    case 501:
      return absl::InvalidArgumentError(detail);
    case 429:
      return absl::ResourceExhaustedError(detail);
    default:
      return absl::UnavailableError(detail);
  }
}

void AddVariable(std::string* out, absl::string_view name, absl::string_view value) {
  if (value.empty()) return;
  if (out->size() > 1) out->push_back(',');
  json::AppendQuoted(name, out);
  out->push_back(':');
  json::AppendQuoted(value, out);
}

}  // namespace

bool IsRetryable(const absl::Status& status) {
  return absl::IsUnavailable(status) || absl::IsResourceExhausted(status) ||
         absl::IsDeadlineExceeded(status);
}

WandbApi::WandbApi(std::string base_url, std::string api_key, std::string ca_file)
    : base_url_(std::move(base_url)),
      http_(HttpClient::Options{.user_agent = absl::StrCat("wandb-cpp/", WANDB_CPP_VERSION),
                                .api_key = std::move(api_key),
                                .ca_file = std::move(ca_file)}) {}

absl::StatusOr<std::string> WandbApi::Post(const std::string& url, absl::string_view body,
                                           absl::string_view what) {
  retry_after_.reset();
  absl::StatusOr<HttpResponse> response = http_.PostJson(url, body);
  last_http_status_ = response.ok() ? response->status : 0;
  if (!response.ok()) {
    return absl::Status(response.status().code(),
                        absl::StrCat(what, ": ", response.status().message()));
  }
  if (response->status / 100 != 2) {
    retry_after_ = response->retry_after;
    return StatusFor(response->status, what, response->body);
  }
  return std::move(response->body);
}

absl::StatusOr<std::string> WandbApi::GraphQl(absl::string_view query,
                                              absl::string_view variables_json,
                                              absl::string_view what) {
  std::string body = "{\"query\":";
  json::AppendQuoted(query, &body);
  absl::StrAppend(&body, ",\"variables\":", variables_json, "}");
  absl::StatusOr<std::string> answer = Post(absl::StrCat(base_url_, "/graphql"), body, what);
  if (!answer.ok()) return answer.status();
  nlohmann::json parsed = nlohmann::json::parse(*answer, nullptr, /*allow_exceptions=*/false);
  if (!parsed.is_object()) {
    return absl::UnavailableError(absl::StrCat(what, ": the server's answer is not JSON"));
  }
  // A 200 with errors is the server's considered answer: not retried (as wandb).
  if (auto errors = parsed.find("errors"); errors != parsed.end() && !errors->empty()) {
    return absl::InvalidArgumentError(absl::StrCat(what, ": ", ServerMessage(*answer)));
  }
  auto data = parsed.find("data");
  if (data == parsed.end() || !data->is_object()) {
    return absl::UnavailableError(absl::StrCat(what, ": the server's answer has no data"));
  }
  return data->dump();
}

absl::StatusOr<Viewer> WandbApi::QueryViewer() {
  absl::StatusOr<std::string> data = GraphQl(kViewerQuery, "{}", "W&B viewer query");
  if (!data.ok()) return data.status();
  nlohmann::json parsed = nlohmann::json::parse(*data, nullptr, false);
  const nlohmann::json& viewer = parsed["viewer"];
  if (!viewer.is_object()) {
    return absl::UnauthenticatedError(
        absl::StrCat("W&B viewer query: ", base_url_,
                     " knows no account for this API key: run `wandb-cpp login`"));
  }
  return Viewer{json_fields::Text(viewer, "entity"), json_fields::Text(viewer, "username")};
}

absl::StatusOr<Bucket> WandbApi::UpsertBucket(const BucketFields& fields) {
  std::string variables = "{";
  AddVariable(&variables, "name", fields.name);
  AddVariable(&variables, "project", fields.project);
  AddVariable(&variables, "entity", fields.entity);
  AddVariable(&variables, "displayName", fields.display_name);
  AddVariable(&variables, "notes", fields.notes);
  AddVariable(&variables, "groupName", fields.group);
  AddVariable(&variables, "jobType", fields.job_type);
  AddVariable(&variables, "host", fields.host);
  AddVariable(&variables, "repo", fields.repo);
  AddVariable(&variables, "commit", fields.commit);
  if (fields.config.has_value()) AddVariable(&variables, "config", *fields.config);
  if (!fields.tags.empty()) {
    variables.append(",\"tags\":[");
    for (size_t i = 0; i < fields.tags.size(); ++i) {
      if (i > 0) variables.push_back(',');
      json::AppendQuoted(fields.tags[i], &variables);
    }
    variables.push_back(']');
  }
  variables.push_back('}');
  absl::StatusOr<std::string> data = GraphQl(kUpsertBucket, variables, "W&B UpsertBucket");
  if (!data.ok()) return data.status();
  nlohmann::json parsed = nlohmann::json::parse(*data, nullptr, false);
  nlohmann::json bucket = parsed["upsertBucket"]["bucket"];
  if (!bucket.is_object() || !bucket["project"].is_object()) {
    return absl::InvalidArgumentError("W&B UpsertBucket: the answer names no run");
  }
  Bucket out{.storage_id = json_fields::Text(bucket, "id"),
             .name = json_fields::Text(bucket, "name"),
             .display_name = json_fields::Text(bucket, "displayName"),
             .project = json_fields::Text(bucket["project"], "name"),
             .entity = json_fields::Text(bucket["project"]["entity"], "name")};
  if (out.name.empty()) out.name = fields.name;
  if (out.project.empty()) out.project = fields.project;
  if (out.entity.empty()) out.entity = fields.entity;
  return out;
}

absl::StatusOr<FileStreamReply> WandbApi::PostFileStream(const Bucket& run,
                                                         absl::string_view body) {
  std::string url = absl::StrCat(base_url_, "/files/", run.entity, "/", run.project, "/", run.name,
                                 "/file_stream");
  absl::StatusOr<std::string> answer = Post(url, body, "W&B file_stream");
  if (!answer.ok()) return answer.status();
  // The data was received: an answer that is not the JSON expected only carries no news.
  nlohmann::json parsed = nlohmann::json::parse(*answer, nullptr, /*allow_exceptions=*/false);
  FileStreamReply reply;
  if (parsed.is_object()) {
    auto stopped = parsed.find("stopped");
    reply.stopped = stopped != parsed.end() && stopped->is_boolean() && stopped->get<bool>();
  }
  return reply;
}

absl::StatusOr<bool> WandbApi::QueryRunStopped(const Bucket& run) {
  std::string variables = "{";
  AddVariable(&variables, "entityName", run.entity);
  AddVariable(&variables, "projectName", run.project);
  AddVariable(&variables, "runId", run.name);
  variables.push_back('}');
  absl::StatusOr<std::string> data = GraphQl(kRunStoppedStatus, variables, "W&B RunStoppedStatus");
  if (!data.ok()) return data.status();
  nlohmann::json parsed = nlohmann::json::parse(*data, nullptr, false);
  const nlohmann::json& project = parsed["project"];
  if (!project.is_object() || !project["run"].is_object()) return false;
  const nlohmann::json& stopped = project["run"]["stopped"];
  return stopped.is_boolean() && stopped.get<bool>();
}

absl::StatusOr<std::optional<ResumeOffsets>> WandbApi::QueryResumeStatus(const BucketFields& run) {
  std::string variables = "{";
  AddVariable(&variables, "project", run.project);
  AddVariable(&variables, "entity", run.entity);
  AddVariable(&variables, "name", run.name);
  variables.push_back('}');
  absl::StatusOr<std::string> data = GraphQl(kRunResumeStatus, variables, "W&B RunResumeStatus");
  if (!data.ok()) return data.status();
  nlohmann::json parsed = nlohmann::json::parse(*data, nullptr, false);
  const nlohmann::json& model = parsed["model"];
  if (!model.is_object() || !model["bucket"].is_object()) return std::nullopt;
  const nlohmann::json& bucket = model["bucket"];
  // A count the server leaves out (null) is a file it has no line of.
  auto count = [&bucket](const char* key) -> int64_t {
    const nlohmann::json& value = bucket[key];
    return value.is_number_integer() && value.get<int64_t>() > 0 ? value.get<int64_t>() : 0;
  };
  return ResumeOffsets{.history_lines = count("historyLineCount"),
                       .events_lines = count("eventsLineCount"),
                       .console_lines = count("logLineCount")};
}

absl::StatusOr<UploadUrls> WandbApi::QueryUploadUrls(const Bucket& run,
                                                     const std::vector<std::string>& names) {
  std::string variables = "{";
  AddVariable(&variables, "name", run.project);
  AddVariable(&variables, "entity", run.entity);
  AddVariable(&variables, "run", run.name);
  variables.append(",\"files\":[");
  for (size_t i = 0; i < names.size(); ++i) {
    if (i > 0) variables.push_back(',');
    json::AppendQuoted(names[i], &variables);
  }
  variables.append("]}");
  absl::StatusOr<std::string> data = GraphQl(kRunUploadUrls, variables, "W&B RunUploadUrls");
  if (!data.ok()) return data.status();
  nlohmann::json parsed = nlohmann::json::parse(*data, nullptr, false);
  const nlohmann::json& files = parsed["model"]["bucket"]["files"];
  if (!files.is_object()) {
    return absl::NotFoundError(absl::StrCat("W&B RunUploadUrls: the server has no run ", run.entity,
                                            "/", run.project, "/", run.name));
  }
  UploadUrls out;
  out.headers = json_fields::UploadHeaders(files["uploadHeaders"]);
  if (const nlohmann::json& edges = files["edges"]; edges.is_array()) {
    for (const nlohmann::json& edge : edges) {
      if (!edge.is_object() || !edge["node"].is_object()) continue;
      std::string name = json_fields::Text(edge["node"], "name");
      std::string url = json_fields::Text(edge["node"], "url");
      if (name.empty() || url.empty()) continue;
      // Storage that the server proxies itself answers with a path.
      if (url.front() == '/') url = absl::StrCat(base_url_, url);
      out.urls[name] = std::move(url);
    }
  }
  return out;
}

absl::Status WandbApi::Outcome(const absl::StatusOr<HttpResponse>& response, const std::string& url,
                               absl::string_view what) {
  last_http_status_ = response.ok() ? response->status : 0;
  if (!response.ok()) {
    // A signed URL carries its permission in its query: never repeated in a message.
    std::string reason(response.status().message());
    if (size_t at = reason.find(url); at != std::string::npos) {
      reason.replace(at, url.size(), "the storage URL");
    }
    return absl::Status(response.status().code(), absl::StrCat(what, ": ", reason));
  }
  if (response->status / 100 != 2) {
    retry_after_ = response->retry_after;
    return StatusFor(response->status, what, response->body);
  }
  return absl::OkStatus();
}

absl::Status WandbApi::PutFile(const std::string& url, const std::vector<std::string>& headers,
                               const std::string& path, absl::string_view what) {
  retry_after_.reset();
  return Outcome(http_.PutFile(url, headers, path), url, what);
}

std::pair<std::string, bool> WandbApi::Resolve(const std::string& url) const {
  if (!url.empty() && url.front() == '/') return {absl::StrCat(base_url_, url), true};
  // Under the base URL: the base itself followed by a path (not a longer host name).
  bool own = absl::StartsWith(url, base_url_) &&
             (url.size() == base_url_.size() || url[base_url_.size()] == '/' ||
              url[base_url_.size()] == '?');
  return {url, own};
}

absl::Status WandbApi::Download(const std::string& url, const std::string& path,
                                absl::string_view what) {
  retry_after_.reset();
  auto [absolute, own] = Resolve(url);
  return Outcome(http_.GetToFile(absolute, path, own), absolute, what);
}

absl::StatusOr<std::string> WandbApi::Fetch(const std::string& url, absl::string_view what) {
  retry_after_.reset();
  auto [absolute, own] = Resolve(url);
  absl::StatusOr<HttpResponse> response = http_.Get(absolute, own);
  if (absl::Status s = Outcome(response, absolute, what); !s.ok()) return s;
  return std::move(response->body);
}

FileStreamBody::FileStreamBody() : body_("{") {}

void FileStreamBody::BeginFile(absl::string_view name, int64_t offset) {
  body_.append(any_file_ ? "," : "\"files\":{");
  any_file_ = true;
  any_line_ = false;
  json::AppendQuoted(name, &body_);
  absl::StrAppend(&body_, ":{\"offset\":", offset, ",\"content\":[");
}

void FileStreamBody::AddLine(absl::string_view line) {
  if (any_line_) body_.push_back(',');
  any_line_ = true;
  json::AppendQuoted(line, &body_);
}

void FileStreamBody::EndFile() { body_.append("]}"); }

void FileStreamBody::SetComplete(int exit_code, const std::vector<std::string>& uploaded) {
  tail_ =
      absl::StrCat("\"complete\":true,\"exitcode\":", exit_code, ",\"dropped\":0,\"uploaded\":[");
  for (size_t i = 0; i < uploaded.size(); ++i) {
    if (i > 0) tail_.push_back(',');
    json::AppendQuoted(uploaded[i], &tail_);
  }
  tail_.push_back(']');
}

std::string FileStreamBody::Finish() {
  if (any_file_) body_.push_back('}');
  if (!tail_.empty()) absl::StrAppend(&body_, any_file_ ? "," : "", tail_);
  body_.push_back('}');
  return std::move(body_);
}

absl::StatusOr<std::string> WandbConfigJson(absl::string_view config_json) {
  absl::StatusOr<Value> config = json::Parse(config_json);
  if (!config.ok()) return config.status();
  if (!config->is_map()) return absl::InvalidArgumentError("the run's config is not an object");
  std::string out = "{";
  bool has_wandb = false;
  for (const auto& [key, value] : config->as_map()) {
    if (out.size() > 1) out.push_back(',');
    json::AppendQuoted(key, &out);
    out.append(":{\"desc\":null,\"value\":");
    json::AppendEncoded(value, &out);
    out.push_back('}');
    has_wandb = has_wandb || key == "_wandb";
  }
  // wandb's own key; a run without its telemetry ("t") reads as never started to newer servers.
  if (!has_wandb) {
    if (out.size() > 1) out.push_back(',');
    absl::StrAppend(&out, "\"_wandb\":{\"desc\":null,\"value\":{\"cli_version\":\"",
                    WANDB_CPP_VERSION, "\",\"t\":{}}}");
  }
  out.push_back('}');
  return out;
}

std::string RunPageUrl(absl::string_view base_url, const Bucket& run) {
  std::string app(base_url);
  if (absl::StrContains(app, "://api.wandb.ai")) app = "https://wandb.ai";
  return absl::StrCat(app, "/", run.entity, "/", run.project, "/runs/", run.name);
}

}  // namespace wandb::service
