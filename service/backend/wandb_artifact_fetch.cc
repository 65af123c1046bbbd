#include "service/backend/wandb_artifact_fetch.h"

#include "absl/strings/str_cat.h"
#include "common/artifact/artifact_ref.h"
#include "common/artifact/manifest_json.h"
#include "common/artifact/md5.h"
#include "service/backend/blob_download.h"

namespace wandb::service {
namespace {

// What the Artifact query is asked for: "name:alias", "name:vN", or a digest.
std::string QueryName(const artifact::ArtifactRef& ref) {
  if (!ref.digest.empty()) return ref.digest;
  if (ref.version.has_value()) return absl::StrCat(ref.name, ":v", *ref.version);
  return absl::StrCat(ref.name, ":", ref.alias);
}

// Downloads one stored file into the blobs, unless they have its content; its blob's path.
absl::StatusOr<std::string> DownloadEntry(WandbApi& api, WandbArtifactApi& artifacts,
                                          const store::BlobStore& blobs,
                                          const FetchRequest& request, const std::string& entity,
                                          const artifact::ManifestEntry& entry) {
  absl::StatusOr<artifact::Md5Bytes> md5 = artifact::FromBase64(entry.digest);
  if (!md5.ok()) return md5.status();
  const std::string hex = artifact::ToHex(*md5);
  // Storage layout V2 names the artifact that first stored the bytes; a manifest without one
  // is of layout V1, whose files live by entity and MD5 alone.
  std::string url = entry.birth_artifact_id.empty()
                        ? absl::StrCat(api.base_url(), "/artifacts/", entity, "/", hex)
                        : artifacts.FileUrl(entity, entry.birth_artifact_id, hex);
  return DownloadToBlob(api, blobs, url, hex, absl::StrCat("download of ", entry.path, " from W&B"),
                        request.retry);
}

}  // namespace

absl::StatusOr<FetchedArtifact> FetchWandbArtifact(WandbApi& api, const store::BlobStore& blobs,
                                                   const FetchRequest& request) {
  absl::StatusOr<artifact::ArtifactRef> ref = artifact::ParseArtifactRef(request.name);
  if (!ref.ok()) return ref.status();
  FetchedArtifact out;
  out.entity = !ref->entity.empty() ? ref->entity : request.entity;
  out.project = !ref->project.empty() ? ref->project : request.project;
  if (out.entity.empty()) {
    absl::StatusOr<Viewer> viewer = Retrying(api, request.retry, [&] { return api.QueryViewer(); });
    if (!viewer.ok()) return viewer.status();
    out.entity = viewer->entity;
  }
  WandbArtifactApi artifacts(&api);
  const std::string name = QueryName(*ref);
  absl::StatusOr<std::optional<ServerArtifact>> found =
      Retrying(api, request.retry, [&] { return artifacts.Find(out.entity, out.project, name); });
  if (!found.ok()) return found.status();
  if (!found->has_value()) {
    return absl::NotFoundError(
        absl::StrCat("W&B has no artifact ", name, " in ", out.entity, "/", out.project));
  }
  out.version = **std::move(found);
  if (!request.type.empty() && out.version.type != request.type) {
    return absl::FailedPreconditionError(absl::StrCat(
        "artifact ", name, " is of type '", out.version.type, "', not '", request.type, "'"));
  }
  if (out.version.state != "COMMITTED") {
    return absl::FailedPreconditionError(
        absl::StrCat("artifact ", name, " on W&B is ", out.version.state, ", not committed"));
  }
  absl::StatusOr<std::string> manifest_json = Retrying(api, request.retry, [&] {
    absl::StatusOr<std::string> url = artifacts.ManifestUrl(out.entity, out.project, name);
    if (!url.ok()) return url;
    return api.Fetch(*url, absl::StrCat("download of ", name, "'s manifest from W&B"));
  });
  if (!manifest_json.ok()) return manifest_json.status();
  absl::StatusOr<artifact::Manifest> manifest = artifact::ParseManifestJson(*manifest_json);
  if (!manifest.ok()) return manifest.status();
  for (const auto& [path, stored] : manifest->entries()) {
    artifact::ManifestEntry entry = stored;
    if (!entry.is_reference()) {
      absl::StatusOr<std::string> blob =
          DownloadEntry(api, artifacts, blobs, request, out.entity, entry);
      if (!blob.ok()) return blob.status();
      entry.local_path = *std::move(blob);
    }
    if (absl::Status s = out.manifest.Add(std::move(entry)); !s.ok()) return s;
  }
  if (request.user != nullptr) {
    absl::Status used =
        Retrying(api, request.retry, [&] { return artifacts.Use(*request.user, out.version.id); });
    if (!used.ok()) out.usage_problem = std::string(used.message());
  }
  return out;
}

}  // namespace wandb::service
