#include "tests/support/fake_wandb_server.h"

#include <httplib.h>

#include <cctype>
#include <chrono>
#include <nlohmann/json.hpp>
#include <stdexcept>
#include <thread>

#include "common/artifact/md5.h"

namespace wandb::testing {
namespace {

std::string Base64(const std::string& in) {
  static const char kChars[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  std::string out;
  size_t i = 0;
  for (; i + 2 < in.size(); i += 3) {
    unsigned n = (static_cast<unsigned char>(in[i]) << 16) |
                 (static_cast<unsigned char>(in[i + 1]) << 8) |
                 static_cast<unsigned char>(in[i + 2]);
    for (int shift : {18, 12, 6, 0}) out.push_back(kChars[(n >> shift) & 63]);
  }
  if (i < in.size()) {
    unsigned n = static_cast<unsigned char>(in[i]) << 16;
    if (i + 1 < in.size()) n |= static_cast<unsigned char>(in[i + 1]) << 8;
    out.push_back(kChars[(n >> 18) & 63]);
    out.push_back(kChars[(n >> 12) & 63]);
    out.push_back(i + 1 < in.size() ? kChars[(n >> 6) & 63] : '=');
    out.push_back('=');
  }
  return out;
}

// A path segment's characters that may stand in a URL as they are.
std::string EscapePath(const std::string& path) {
  std::string out;
  for (unsigned char c : path) {
    if (std::isalnum(c) || c == '/' || c == '-' || c == '_' || c == '.' || c == '~') {
      out.push_back(static_cast<char>(c));
    } else {
      static const char kHex[] = "0123456789ABCDEF";
      out += {'%', kHex[c >> 4], kHex[c & 15]};
    }
  }
  return out;
}

std::string Str(const nlohmann::json& vars, const char* key) {
  auto it = vars.find(key);
  return it != vars.end() && it->is_string() ? it->get<std::string>() : "";
}

}  // namespace

FakeWandbServer::FakeWandbServer(std::string api_key, const std::optional<Tls>& tls)
    : api_key_(std::move(api_key)),
      server_(tls.has_value() ? std::make_unique<httplib::SSLServer>(tls->cert_file.c_str(),
                                                                     tls->key_file.c_str())
                              : std::make_unique<httplib::Server>()),
      tls_(tls.has_value()) {
  if (!server_->is_valid()) {
    throw std::runtime_error("FakeWandbServer: cannot load the TLS certificate or key");
  }
  Routes();
  port_ = server_->bind_to_any_port("127.0.0.1");
  thread_ = std::thread([this] { server_->listen_after_bind(); });
  while (!server_->is_running()) std::this_thread::sleep_for(std::chrono::milliseconds(5));
}

FakeWandbServer::~FakeWandbServer() {
  server_->stop();
  if (thread_.joinable()) thread_.join();
}

std::string FakeWandbServer::base_url() const {
  return (tls_ ? "https://127.0.0.1:" : "http://127.0.0.1:") + std::to_string(port_);
}

void FakeWandbServer::FailNext(int count, int status, Route route,
                               std::optional<int> retry_after_seconds) {
  std::lock_guard<std::mutex> lock(mu_);
  for (int i = 0; i < count; ++i) faults_.push_back(Fault{route, status, retry_after_seconds});
}

void FakeWandbServer::DropAfterApplyingNext(int count, Route route) {
  std::lock_guard<std::mutex> lock(mu_);
  for (int i = 0; i < count; ++i) faults_.push_back(Fault{route, 200, std::nullopt, true});
}

void FakeWandbServer::SetDelay(std::chrono::milliseconds delay) {
  std::lock_guard<std::mutex> lock(mu_);
  delay_ = delay;
}

std::chrono::milliseconds FakeWandbServer::delay() const {
  std::lock_guard<std::mutex> lock(mu_);
  return delay_;
}

void FakeWandbServer::SetDown(bool down) {
  std::lock_guard<std::mutex> lock(mu_);
  down_ = down;
}

std::optional<FakeWandbServer::RunState> FakeWandbServer::Run(const std::string& name) const {
  std::lock_guard<std::mutex> lock(mu_);
  auto it = runs_.find(name);
  if (it == runs_.end()) return std::nullopt;
  return it->second;
}

int FakeWandbServer::faults_served() const {
  std::lock_guard<std::mutex> lock(mu_);
  return faults_served_;
}

int FakeWandbServer::requests() const {
  std::lock_guard<std::mutex> lock(mu_);
  return requests_;
}

std::vector<std::string> FakeWandbServer::authorizations() const {
  std::lock_guard<std::mutex> lock(mu_);
  return authorizations_;
}

int FakeWandbServer::resume_queries() const {
  std::lock_guard<std::mutex> lock(mu_);
  return resume_queries_;
}

int FakeWandbServer::bad_storage_requests() const {
  std::lock_guard<std::mutex> lock(mu_);
  return bad_storage_requests_;
}

std::optional<FakeWandbServer::Fault> FakeWandbServer::TakeFault(Route route) {
  std::lock_guard<std::mutex> lock(mu_);
  ++requests_;
  if (down_) {
    ++faults_served_;
    return Fault{Route::kAny, 503, std::nullopt};
  }
  for (auto it = faults_.begin(); it != faults_.end(); ++it) {
    if (it->route == Route::kAny || it->route == route) {
      Fault fault = *it;
      faults_.erase(it);
      ++faults_served_;
      return fault;
    }
  }
  return std::nullopt;
}

bool FakeWandbServer::Authorized(const std::string& header) {
  std::lock_guard<std::mutex> lock(mu_);
  authorizations_.push_back(header);
  return header == "Basic " + Base64("api:" + api_key_);
}

void FakeWandbServer::SendFault(const Fault& fault, httplib::Response& res) {
  res.status = fault.status;
  if (fault.retry_after) res.set_header("Retry-After", std::to_string(*fault.retry_after));
  res.set_content(R"({"error": "injected fault"})", "application/json");
}

void FakeWandbServer::Routes() {
  auto serve = [this](Route route, const httplib::Request& req, httplib::Response& res,
                      auto handle) {
    std::optional<Fault> fault = TakeFault(route);
    if (fault.has_value() && !fault->drop) return SendFault(*fault, res);
    std::this_thread::sleep_for(delay());
    if (!Authorized(req.get_header_value("Authorization"))) {
      res.status = 401;
      res.set_content(R"({"errors": [{"message": "invalid api key"}]})", "application/json");
      return;
    }
    int status = 200;
    std::string body = handle(&status);
    res.status = status;
    if (fault.has_value()) {
      // Applied, then half the answer and the connection closed (the provider's false): the
      // client cannot tell whether its request arrived.
      res.set_content_provider(body.size(), "application/json",
                               [body](size_t offset, size_t, httplib::DataSink& sink) {
                                 if (offset == 0) sink.write(body.data(), body.size() / 2);
                                 return false;
                               });
      return;
    }
    res.set_content(body, "application/json");
  };
  server_->Post("/graphql", [this, serve](const httplib::Request& req, httplib::Response& res) {
    serve(Route::kGraphQl, req, res, [&](int* status) { return GraphQl(req.body, status); });
  });
  server_->Post(R"(/files/([^/]+)/([^/]+)/([^/]+)/file_stream)",
                [this, serve](const httplib::Request& req, httplib::Response& res) {
                  serve(Route::kFileStream, req, res,
                        [&](int* status) { return FileStream(req.matches[3], req.body, status); });
                });
  // Signed URLs: the permission is in the URL, so no credentials, but the listed headers.
  server_->Put(R"(/storage/([^/]+)/(.+))",
               [this](const httplib::Request& req, httplib::Response& res) { Store(req, res); });
  // A run file's content (RunFiles' url): W&B's own route, so with the key.
  server_->Get(R"(/files-download/([^/]+)/(.+))",
               [this](const httplib::Request& req, httplib::Response& res) {
                 if (std::optional<Fault> fault = TakeFault(Route::kStorage); fault.has_value()) {
                   return SendFault(*fault, res);
                 }
                 if (!Authorized(req.get_header_value("Authorization"))) {
                   res.status = 401;
                   return;
                 }
                 std::lock_guard<std::mutex> lock(mu_);
                 auto run = runs_.find(req.matches[1]);
                 auto file = run == runs_.end() ? decltype(run->second.uploads.end())()
                                                : run->second.uploads.find(req.matches[2]);
                 if (run == runs_.end() || file == run->second.uploads.end()) {
                   res.status = 404;
                   return;
                 }
                 ++downloads_;
                 res.set_content(file->second.back(), "application/octet-stream");
               });
  ArtifactRoutes();
}

bool FakeWandbServer::SignedPut(const httplib::Request& req) {
  std::lock_guard<std::mutex> lock(mu_);
  if (req.has_header("Authorization") || req.get_header_value(kUploadHeader) != "sig-123") {
    ++bad_storage_requests_;
    return false;
  }
  return true;
}

void FakeWandbServer::ArtifactRoutes() {
  server_->Put(R"(/artifact-storage/(file|manifest)/([^/]+)(?:/([0-9a-f]{32}))?)",
               [this](const httplib::Request& req, httplib::Response& res) {
                 if (std::optional<Fault> fault = TakeFault(Route::kStorage); fault.has_value()) {
                   return SendFault(*fault, res);
                 }
                 if (!SignedPut(req)) {
                   res.status = 403;
                   return;
                 }
                 res.status =
                     artifacts_.Put(req.matches[1], req.matches[2], req.matches[3], req.body);
               });
  server_->Get(R"(/artifactsV2/default/([^/]+)/([^/]+)/([0-9a-f]{32}))",
               [this](const httplib::Request& req, httplib::Response& res) {
                 if (std::optional<Fault> fault = TakeFault(Route::kStorage); fault.has_value()) {
                   return SendFault(*fault, res);
                 }
                 if (!Authorized(req.get_header_value("Authorization"))) {
                   res.status = 401;
                   return;
                 }
                 std::optional<std::string> bytes = artifacts_.File(req.matches[2], req.matches[3]);
                 if (!bytes.has_value()) {
                   res.status = 404;
                   return;
                 }
                 {
                   std::lock_guard<std::mutex> lock(mu_);
                   ++downloads_;
                 }
                 res.set_content(*bytes, "application/octet-stream");
               });
  // Direct URLs carry their permission (sig=): no credentials needed (the client may send
  // them, as it does to any URL under the base URL).
  server_->Get(R"(/artifact-manifests/([^/]+))",
               [this](const httplib::Request& req, httplib::Response& res) {
                 std::optional<std::string> manifest = artifacts_.Manifest(req.matches[1]);
                 if (req.get_param_value("sig") != "1") {
                   std::lock_guard<std::mutex> lock(mu_);
                   ++bad_storage_requests_;
                   res.status = 403;
                   return;
                 }
                 if (!manifest.has_value()) {
                   res.status = 404;
                   return;
                 }
                 res.set_content(*manifest, "application/json");
               });
}

int FakeWandbServer::downloads() const {
  std::lock_guard<std::mutex> lock(mu_);
  return downloads_;
}

std::string FakeWandbServer::RunFiles(const nlohmann::json& vars) {
  std::lock_guard<std::mutex> lock(mu_);
  auto run = runs_.find(Str(vars, "name"));
  if (run == runs_.end() || run->second.project != Str(vars, "project")) {
    return R"({"data": {"project": {"run": null}}})";
  }
  nlohmann::json edges = nlohmann::json::array();
  if (vars.contains("fileNames") && vars["fileNames"].is_array()) {
    for (const nlohmann::json& name : vars["fileNames"]) {
      std::string file = name.get<std::string>();
      auto upload = run->second.uploads.find(file);
      // A name without content gets a placeholder node, as the real server's.
      nlohmann::json node = {{"id", "f-" + file},    {"name", file},   {"md5", "0"},
                             {"updatedAt", nullptr}, {"sizeBytes", 0}, {"url", nullptr},
                             {"directUrl", nullptr}};
      if (upload != run->second.uploads.end()) {
        const std::string& bytes = upload->second.back();
        std::string url = base_url() + "/files-download/" + run->first + "/" + EscapePath(file);
        node["md5"] = artifact::ToBase64(artifact::Md5Of(bytes));
        node["updatedAt"] = "2026-12-03T00:00:00";
        node["sizeBytes"] = bytes.size();
        node["url"] = url;
        node["directUrl"] = url;
      }
      edges.push_back({{"node", node}, {"cursor", file}});
    }
  }
  nlohmann::json files = {{"edges", edges}, {"pageInfo", {{"hasNextPage", false}}}};
  nlohmann::json answer = {
      {"data",
       {{"project", {{"run", {{"fileCount", run->second.uploads.size()}, {"files", files}}}}}}}};
  return answer.dump();
}

void FakeWandbServer::Store(const httplib::Request& req, httplib::Response& res) {
  if (std::optional<Fault> fault = TakeFault(Route::kStorage); fault.has_value()) {
    return SendFault(*fault, res);
  }
  std::this_thread::sleep_for(delay());  // a slow server's storage is slow too
  std::lock_guard<std::mutex> lock(mu_);
  if (req.has_header("Authorization") || req.get_header_value(kUploadHeader) != "sig-123") {
    ++bad_storage_requests_;
    res.status = 403;
    return;
  }
  auto it = runs_.find(req.matches[1]);
  if (it == runs_.end()) {
    res.status = 404;
    return;
  }
  it->second.uploads[req.matches[2]].push_back(req.body);
  res.status = 200;
}

std::string FakeWandbServer::UploadUrls(const nlohmann::json& vars, int* status) {
  std::lock_guard<std::mutex> lock(mu_);
  auto it = runs_.find(Str(vars, "run"));
  if (it == runs_.end() || !vars["files"].is_array()) {
    *status = 200;
    return R"({"data": {"model": {"bucket": null}}})";
  }
  ++upload_url_queries_;
  nlohmann::json edges = nlohmann::json::array();
  for (const nlohmann::json& name : vars["files"]) {
    std::string url = "/storage/" + it->first + "/" + EscapePath(name.get<std::string>());
    // Absolute, as cloud storage's are; every other answer relative, as a server that
    // proxies its own storage gives them.
    if (upload_url_queries_ % 2 == 0) url = base_url() + url;
    edges.push_back({{"node", {{"name", name}, {"url", url}, {"updatedAt", nullptr}}}});
  }
  nlohmann::json files = {
      {"uploadHeaders",
       {std::string(kUploadHeader) + ":sig-123", "Content-Type:application/octet-stream"}},
      {"edges", edges}};
  nlohmann::json answer = {
      {"data", {{"model", {{"bucket", {{"id", "storage-" + it->first}, {"files", files}}}}}}}};
  return answer.dump();
}

std::string FakeWandbServer::GraphQl(const std::string& body, int* status) {
  nlohmann::json request = nlohmann::json::parse(body, nullptr, false);
  if (!request.is_object() || !request["query"].is_string()) {
    *status = 400;
    return R"({"errors": [{"message": "not a GraphQL request"}]})";
  }
  std::string query = request["query"];
  nlohmann::json vars =
      request["variables"].is_object() ? request["variables"] : nlohmann::json::object();
  if (query.find("RunStoppedStatus") != std::string::npos)
    return RunStopped(Str(vars, "runId"), status);
  if (query.find("RunUploadUrls") != std::string::npos) return UploadUrls(vars, status);
  if (query.find("RunResumeStatus") != std::string::npos) return ResumeStatus(vars);
  if (query.find("query RunFiles") != std::string::npos) return RunFiles(vars);
  if (std::optional<std::string> answer = artifacts_.Answer(query, vars, base_url(), status)) {
    return *answer;
  }
  if (query.find("upsertBucket") != std::string::npos) {
    std::string name = Str(vars, "name");
    std::lock_guard<std::mutex> lock(mu_);
    RunState& run = runs_[name];
    ++run.upserts;
    // Partial updates: a field left out keeps its value.
    auto keep = [&](std::string* field, const char* key) {
      if (vars.contains(key) && vars[key].is_string()) *field = vars[key];
    };
    keep(&run.entity, "entity");
    keep(&run.project, "project");
    keep(&run.display_name, "displayName");
    keep(&run.notes, "notes");
    keep(&run.group, "groupName");
    keep(&run.job_type, "jobType");
    keep(&run.config, "config");
    if (vars.contains("tags") && vars["tags"].is_array()) run.tags = vars["tags"];
    if (run.entity.empty()) run.entity = "fake-user";
    if (run.project.empty()) run.project = "uncategorized";
    if (run.display_name.empty()) run.display_name = "lovely-dawn-1";
    nlohmann::json answer = {{"data",
                              {{"upsertBucket",
                                {{"bucket",
                                  {{"id", "storage-" + name},
                                   {"name", name},
                                   {"displayName", run.display_name},
                                   {"project",
                                    {{"id", "p1"},
                                     {"name", run.project},
                                     {"entity", {{"id", "e1"}, {"name", run.entity}}}}}}},
                                 {"inserted", run.upserts == 1}}}}}};
    return answer.dump();
  }
  if (query.find("viewer") != std::string::npos) {
    return R"({"data": {"viewer": {"id": "VXNlcjox", "entity": "fake-user", "username": "fake-user", "email": "fake@example.com"}}})";
  }
  return R"({"errors": [{"message": "not implemented by the fake server"}]})";
}

std::string FakeWandbServer::ResumeStatus(const nlohmann::json& vars) {
  std::lock_guard<std::mutex> lock(mu_);
  ++resume_queries_;
  auto it = runs_.find(Str(vars, "name"));
  if (it == runs_.end()) return R"({"data": {"model": null}})";
  const RunState& run = it->second;
  auto lines = [&run](const char* file) -> size_t {
    auto found = run.files.find(file);
    return found == run.files.end() ? 0 : found->second.size();
  };
  nlohmann::json bucket = {{"id", "storage-" + it->first},
                           {"name", it->first},
                           {"historyLineCount", lines("wandb-history.jsonl")},
                           {"eventsLineCount", lines("wandb-events.jsonl")},
                           {"logLineCount", lines("output.log")}};
  nlohmann::json answer = {
      {"data", {{"model", {{"id", "p1"}, {"name", run.project}, {"bucket", bucket}}}}}};
  return answer.dump();
}

std::string FakeWandbServer::RunStopped(const std::string& run_id, int* status) {
  std::lock_guard<std::mutex> lock(mu_);
  ++stop_queries_;
  if (refuse_stop_queries_) {
    *status = 400;
    return R"({"errors": [{"message": "Cannot query field \"stopped\" on type \"Run\""}]})";
  }
  auto it = runs_.find(run_id);
  if (it == runs_.end()) return R"({"data": {"project": null}})";
  nlohmann::json answer = {{"data", {{"project", {{"run", {{"stopped", it->second.stopped}}}}}}}};
  return answer.dump();
}

void FakeWandbServer::StopRun(const std::string& name, bool in_file_stream) {
  std::lock_guard<std::mutex> lock(mu_);
  RunState& run = runs_.at(name);
  run.stopped = true;
  run.stopped_in_file_stream = in_file_stream;
}

void FakeWandbServer::RefuseStopQueries() {
  std::lock_guard<std::mutex> lock(mu_);
  refuse_stop_queries_ = true;
}

int FakeWandbServer::stop_queries() const {
  std::lock_guard<std::mutex> lock(mu_);
  return stop_queries_;
}

std::string FakeWandbServer::FileStream(const std::string& name, const std::string& body,
                                        int* status) {
  nlohmann::json request = nlohmann::json::parse(body, nullptr, false);
  std::lock_guard<std::mutex> lock(mu_);
  auto it = runs_.find(name);
  if (!request.is_object() || it == runs_.end()) {
    *status = it == runs_.end() ? 404 : 400;
    return R"({"error": "unknown run or bad body"})";
  }
  RunState& run = it->second;
  if (run.complete) ++run.requests_after_complete;
  if (request.contains("files")) {
    for (auto& [file, chunk] : request["files"].items()) {
      std::vector<std::string>& lines = run.files[file];
      size_t offset = chunk["offset"].get<size_t>();
      const nlohmann::json& content = chunk["content"];
      if (lines.size() < offset + content.size()) lines.resize(offset + content.size());
      for (size_t i = 0; i < content.size(); ++i) {
        if (!lines[offset + i].empty() && file != "wandb-summary.json") ++run.rewritten_lines;
        lines[offset + i] = content[i];
      }
    }
  }
  if (!request.contains("files") && request.contains("complete") &&
      !request.value("complete", true)) {
    ++run.heartbeats;
  }
  if (request.value("complete", false)) {
    run.complete = true;
    if (request["uploaded"].is_array()) run.reported_uploaded = request["uploaded"];
    if (request["exitcode"].is_number_integer()) run.exit_code = request["exitcode"].get<int>();
  }
  if (run.stopped_in_file_stream) return R"({"exitcode": null, "limits": {}, "stopped": true})";
  return R"({"exitcode": null, "limits": {}})";
}

}  // namespace wandb::testing
