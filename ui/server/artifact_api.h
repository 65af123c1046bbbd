// The artifact endpoints of the JSON API (docs/ui.md, "The JSON API"): the collections, a
// collection's versions, one version with its files and lineage, one file's bytes (from the
// store's blobs, through BlobReader), and a run's inputs and outputs. Everything comes from the
// store's artifact queries (ArtifactReader); the runs named by lineage are looked up through
// StoreReader for their names and states.
#ifndef WANDB_UI_SERVER_ARTIFACT_API_H_
#define WANDB_UI_SERVER_ARTIFACT_API_H_

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "nlohmann/json.hpp"
#include "ui/server/artifact_reader.h"
#include "ui/server/blob_reader.h"
#include "ui/server/store_reader.h"

namespace httplib {
class Server;
struct Request;
struct Response;
}  // namespace httplib

namespace wandb::ui {

class ArtifactApi {
 public:
  // `blobs`: the store's blobs, shared with the run files' downloads.
  ArtifactApi(StoreReader* reader, ArtifactReader* artifacts, const BlobReader* blobs)
      : reader_(reader), artifacts_(artifacts), blobs_(blobs) {}

  // `run_path` is the API's pattern of a run (entity, project, id captured).
  void Register(httplib::Server& server, const std::string& run_path);

 private:
  using Request = httplib::Request;
  using Response = httplib::Response;

  void List(const Request& request, Response& response);
  void Collection(const Request& request, Response& response);
  void Version(const Request& request, Response& response);
  void File(const Request& request, Response& response);
  void OfRun(const Request& request, Response& response);

  // The version a Version or File request names (entity, project, name, vN or alias captured)
  // and its files.
  struct VersionFiles {
    store::ArtifactVersion version;
    std::vector<store::ArtifactFile> files;
  };
  absl::StatusOr<VersionFiles> ResolveVersion(const Request& request);

  // The runs of a lineage ("entity/project/id" each), each with what it logged and used.
  nlohmann::json LineageRuns(const std::vector<std::string>& paths);
  // {entity, project, id, name, state, logged, used} of one run; null when it is gone.
  nlohmann::json LineageRun(const std::string& path);

  StoreReader* const reader_;
  ArtifactReader* const artifacts_;
  const BlobReader* const blobs_;
};

}  // namespace wandb::ui

#endif  // WANDB_UI_SERVER_ARTIFACT_API_H_
