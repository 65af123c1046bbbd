#include "service/backend/wandb_run_file_fetch.h"

#include <filesystem>
#include <vector>

#include <nlohmann/json.hpp>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "common/artifact/md5.h"
#include "service/backend/json_fields.h"

namespace wandb::service {
namespace {

using Json = nlohmann::json;
using json_fields::At;
using json_fields::Text;

constexpr absl::string_view kRunFiles =
    "query RunFiles($project: String!, $entity: String!, $name: String!, $fileNames: [String], "
    "$fileLimit: Int = 1) { project(name: $project, entityName: $entity) { run(name: $name) { "
    "fileCount files(names: $fileNames, first: $fileLimit) { edges { node { id name "
    "url(upload: false) directUrl sizeBytes md5 updatedAt } } } } } }";

}  // namespace

absl::StatusOr<FetchedRunFile> FetchWandbRunFile(WandbApi& api, const store::BlobStore& blobs,
                                                 const std::string& run_path,
                                                 const std::string& name,
                                                 const RetryPolicy& retry) {
  std::vector<std::string> parts = absl::StrSplit(run_path, '/');
  for (const std::string& part : parts) {
    if (part.empty() || parts.size() > 3) {
      return absl::InvalidArgumentError(
          absl::StrCat("restore: run path '", run_path,
                       "' is not \"id\", \"project/id\" or \"entity/project/id\""));
    }
  }
  std::string id = parts.back();
  std::string project = parts.size() >= 2 ? parts[parts.size() - 2] : "uncategorized";
  std::string entity = parts.size() == 3 ? parts[0] : "";
  if (entity.empty()) {
    absl::StatusOr<Viewer> viewer = Retrying(api, retry, [&] { return api.QueryViewer(); });
    if (!viewer.ok()) return viewer.status();
    entity = viewer->entity;
  }
  const std::string where = absl::StrCat(entity, "/", project, "/", id);
  Json variables = {{"project", project}, {"entity", entity}, {"name", id}, {"fileNames", {name}}};
  absl::StatusOr<std::string> data = Retrying(api, retry, [&] {
    return api.GraphQl(kRunFiles, variables.dump(-1, ' ', false, Json::error_handler_t::replace),
                       "W&B RunFiles query");
  });
  if (!data.ok()) return data.status();
  Json parsed = Json::parse(*data, nullptr, /*allow_exceptions=*/false);
  const Json& run = At(At(parsed, "project"), "run");
  if (!run.is_object()) return absl::NotFoundError(absl::StrCat("W&B has no run ", where));
  const Json& edges = At(At(run, "files"), "edges");
  const Json* node = nullptr;
  if (edges.is_array()) {
    for (const Json& edge : edges) {
      if (Text(At(edge, "node"), "name") == name) node = &At(edge, "node");
    }
  }
  // The server answers a name it has no content for with a placeholder: md5 "0", no time.
  std::string md5 = node != nullptr ? Text(*node, "md5") : "";
  if (node == nullptr || md5.empty() || md5 == "0" || At(*node, "updatedAt").is_null()) {
    return absl::NotFoundError(absl::StrCat("W&B run ", where, " has no file ", name));
  }
  absl::StatusOr<artifact::Md5Bytes> digest = artifact::FromBase64(md5);
  if (!digest.ok()) {
    return absl::UnavailableError(
        absl::StrCat("W&B RunFiles query: file ", name, " has no MD5 we can read ('", md5, "')"));
  }
  std::string url = Text(*node, "url");
  if (url.empty()) url = Text(*node, "directUrl");
  if (url.empty()) return absl::UnavailableError("W&B RunFiles query: the file has no URL");
  FetchedRunFile out;
  out.md5_hex = artifact::ToHex(*digest);
  out.run_path = where;
  absl::StatusOr<std::string> blob = DownloadToBlob(
      api, blobs, url, out.md5_hex, absl::StrCat("download of ", name, " from W&B"), retry);
  if (!blob.ok()) return blob.status();
  out.blob_path = *std::move(blob);
  std::error_code ec;
  out.size = static_cast<int64_t>(std::filesystem::file_size(out.blob_path, ec));
  return out;
}

}  // namespace wandb::service
