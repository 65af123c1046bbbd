#include "ui/server/artifact_api.h"

#include <httplib.h>

#include <algorithm>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/time/time.h"
#include "ui/server/blob_response.h"
#include "ui/server/json_out.h"

namespace wandb::ui {
namespace {

using store::ArtifactVersion;

constexpr char kCollectionPath[] = R"(/api/artifacts/([^/]+)/([^/]+)/([^/]+))";

double Seconds(absl::Time time) { return absl::ToDoubleSeconds(time - absl::UnixEpoch()); }

std::string Param(const httplib::Request& request, const char* name) {
  return request.has_param(name) ? request.get_param_value(name) : "";
}

// Enough to name and link a version: what a lineage graph's node shows.
nlohmann::json VersionRef(const ArtifactVersion& v) {
  return {{"entity", v.entity},         {"project", v.project}, {"name", v.name}, {"type", v.type},
          {"version", v.VersionName()}, {"aliases", v.aliases}, {"size", v.size}};
}

nlohmann::json VersionJson(const ArtifactVersion& v) {
  nlohmann::json json = VersionRef(v);
  json["digest"] = v.digest;
  json["file_count"] = v.file_count;
  json["description"] = v.description;
  json["metadata"] = DialectToJson(v.metadata);
  json["created_by"] = v.created_by.empty() ? nlohmann::json() : nlohmann::json(v.created_by);
  json["created"] = Seconds(v.created_time);
  return json;
}

nlohmann::json RefsJson(const std::vector<ArtifactVersion>& versions) {
  nlohmann::json list = nlohmann::json::array();
  for (const ArtifactVersion& v : versions) list.push_back(VersionRef(v));
  return list;
}

nlohmann::json FilesJson(const std::vector<store::ArtifactFile>& files) {
  nlohmann::json list = nlohmann::json::array();
  for (const store::ArtifactFile& f : files) {
    list.push_back({{"path", f.path},
                    {"size", f.size.has_value() ? nlohmann::json(*f.size) : nlohmann::json()},
                    {"digest", f.digest},
                    {"ref", f.ref.empty() ? nlohmann::json() : nlohmann::json(f.ref)}});
  }
  return list;
}

}  // namespace

void ArtifactApi::Register(httplib::Server& server, const std::string& run_path) {
  auto bind = [this](void (ArtifactApi::*method)(const Request&, Response&)) {
    return [this, method](const Request& request, Response& response) {
      (this->*method)(request, response);
    };
  };
  server.Get("/api/artifacts", bind(&ArtifactApi::List));
  server.Get(kCollectionPath, bind(&ArtifactApi::Collection));
  server.Get(absl::StrCat(kCollectionPath, "/([^/]+)"), bind(&ArtifactApi::Version));
  server.Get(absl::StrCat(kCollectionPath, "/([^/]+)/file"), bind(&ArtifactApi::File));
  server.Get(absl::StrCat(run_path, "/artifacts"), bind(&ArtifactApi::OfRun));
}

void ArtifactApi::List(const Request& request, Response& response) {
  nlohmann::json list = nlohmann::json::array();
  if (!artifacts_->available()) return SendJson(response, {{"collections", std::move(list)}});
  absl::StatusOr<std::vector<store::ArtifactCollection>> all =
      artifacts_->artifacts().Collections(Param(request, "entity"), Param(request, "project"));
  if (!all.ok()) return SendError(response, all.status());
  for (const store::ArtifactCollection& c : *all) {
    list.push_back({{"entity", c.entity},
                    {"project", c.project},
                    {"name", c.name},
                    {"type", c.type},
                    {"versions", c.versions},
                    {"latest", absl::StrCat("v", c.latest)},
                    {"size", c.size},
                    {"created", Seconds(c.created_time)}});
  }
  SendJson(response, {{"collections", std::move(list)}});
}

void ArtifactApi::Collection(const Request& request, Response& response) {
  const std::string entity = request.matches[1], project = request.matches[2],
                    name = request.matches[3];
  absl::StatusOr<std::vector<ArtifactVersion>> versions = std::vector<ArtifactVersion>();
  if (artifacts_->available()) versions = artifacts_->artifacts().Versions(entity, project, name);
  if (!versions.ok()) return SendError(response, versions.status());
  if (versions->empty()) {
    return SendError(response, absl::NotFoundError(absl::StrCat("there is no artifact ", entity,
                                                                "/", project, "/", name)));
  }
  nlohmann::json list = nlohmann::json::array();
  for (const ArtifactVersion& v : *versions) list.push_back(VersionJson(v));
  SendJson(response, {{"entity", entity},
                      {"project", project},
                      {"name", name},
                      {"type", versions->back().type},
                      {"versions", std::move(list)}});
}

absl::StatusOr<ArtifactApi::VersionFiles> ArtifactApi::ResolveVersion(const Request& request) {
  const std::string entity = request.matches[1], project = request.matches[2];
  const std::string ref = absl::StrCat(request.matches[3].str(), ":", request.matches[4].str());
  if (!artifacts_->available()) {
    return absl::NotFoundError(absl::StrCat("there is no artifact ", ref));
  }
  store::Artifacts& artifacts = artifacts_->artifacts();
  // The version by vN or alias, as `wandb-cpp artifact ls NAME:VERSION` finds it.
  absl::StatusOr<ArtifactVersion> version = artifacts.Resolve(entity, project, ref);
  if (!version.ok()) return version.status();
  absl::StatusOr<std::vector<store::ArtifactFile>> files =
      artifacts.Files(entity, project, version->name, version->version);
  if (!files.ok()) return files.status();
  return VersionFiles{*std::move(version), *std::move(files)};
}

void ArtifactApi::Version(const Request& request, Response& response) {
  absl::StatusOr<VersionFiles> resolved = ResolveVersion(request);
  if (!resolved.ok()) return SendError(response, resolved.status());
  const ArtifactVersion& version = resolved->version;
  absl::StatusOr<store::ArtifactLineage> lineage = artifacts_->artifacts().Lineage(version.id);
  if (!lineage.ok()) return SendError(response, lineage.status());

  nlohmann::json json = VersionJson(version);
  json["files"] = FilesJson(resolved->files);
  nlohmann::json used_by = nlohmann::json::array();
  for (const store::ArtifactLineage::Use& use : lineage->used_by) {
    nlohmann::json run = LineageRun(use.run);
    if (run.is_null()) continue;
    run["used"] = Seconds(use.used_time);
    used_by.push_back(std::move(run));
  }
  json["lineage"] = {{"logged_by", LineageRuns(lineage->logged_by)},
                     {"used_by", std::move(used_by)}};
  SendJson(response, json);
}

void ArtifactApi::File(const Request& request, Response& response) {
  if (!request.has_param("path")) {
    return SendError(response, absl::InvalidArgumentError("parameter 'path' is missing"));
  }
  const std::string path = request.get_param_value("path");
  absl::StatusOr<VersionFiles> resolved = ResolveVersion(request);
  if (!resolved.ok()) return SendError(response, resolved.status());
  const ArtifactVersion* version = &resolved->version;
  const std::vector<store::ArtifactFile>* files = &resolved->files;
  // The path only picks an entry of the version's manifest: the bytes come from the blob its
  // MD5 names, opened by BlobReader inside the store, so no path reaches anything else.
  auto file = std::find_if(files->begin(), files->end(),
                           [&](const store::ArtifactFile& f) { return f.path == path; });
  if (file == files->end()) {
    return SendError(response,
                     absl::NotFoundError(absl::StrCat(version->name, ":", version->VersionName(),
                                                      " has no file '", path, "'")));
  }
  if (file->md5.empty()) {
    return SendError(response,
                     absl::NotFoundError(absl::StrCat("'", path, "' is a reference to ", file->ref,
                                                      ": its bytes are not in the store")));
  }
  absl::StatusOr<OpenBlob> blob = blobs_->Open(file->md5);
  if (!blob.ok()) return SendError(response, blob.status());
  SendBlob(response, *std::move(blob), path, request.has_param("inline"));
}

nlohmann::json ArtifactApi::LineageRuns(const std::vector<std::string>& paths) {
  nlohmann::json list = nlohmann::json::array();
  for (const std::string& path : paths) {
    nlohmann::json run = LineageRun(path);
    if (!run.is_null()) list.push_back(std::move(run));
  }
  return list;
}

nlohmann::json ArtifactApi::LineageRun(const std::string& path) {
  std::vector<std::string> parts = absl::StrSplit(path, absl::MaxSplits('/', 2));
  if (parts.size() != 3) return nullptr;
  absl::StatusOr<RunInfo> run = reader_->Run(parts[0], parts[1], parts[2]);
  // A run deleted between the two reads drops out, as the store's lineage leaves it out.
  if (!run.ok()) return nullptr;
  // The step beyond: what the run logged and used, for a graph one run further each way.
  absl::StatusOr<store::RunArtifacts> of_run =
      artifacts_->artifacts().OfRun({run->entity, run->project, run->id});
  if (!of_run.ok()) return nullptr;
  return {{"entity", run->entity},
          {"project", run->project},
          {"id", run->id},
          {"name", run->name.empty() ? run->id : run->name},
          {"state", run->state},
          {"logged", RefsJson(of_run->logged)},
          {"used", RefsJson(of_run->used)}};
}

void ArtifactApi::OfRun(const Request& request, Response& response) {
  absl::StatusOr<RunInfo> run =
      reader_->Run(request.matches[1].str(), request.matches[2].str(), request.matches[3].str());
  if (!run.ok()) return SendError(response, run.status());
  nlohmann::json logged = nlohmann::json::array(), used = nlohmann::json::array();
  if (artifacts_->available()) {
    absl::StatusOr<store::RunArtifacts> found =
        artifacts_->artifacts().OfRun({run->entity, run->project, run->id});
    if (!found.ok()) return SendError(response, found.status());
    for (const ArtifactVersion& v : found->logged) logged.push_back(VersionJson(v));
    for (const ArtifactVersion& v : found->used) used.push_back(VersionJson(v));
  }
  SendJson(response, {{"logged", std::move(logged)}, {"used", std::move(used)}});
}

}  // namespace wandb::ui
