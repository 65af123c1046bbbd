// The JSON API under /api/ (docs/ui.md, "The JSON API"): what the front end draws and what
// scripts may use. Every handler reads the store through StoreReader and its caches; the one
// that writes, POST .../stop, goes through the store's own stop API.
#ifndef WANDB_UI_SERVER_API_H_
#define WANDB_UI_SERVER_API_H_

#include <atomic>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "nlohmann/json.hpp"
#include "ui/server/access_guard.h"
#include "ui/server/artifact_api.h"
#include "ui/server/artifact_reader.h"
#include "ui/server/blob_reader.h"
#include "ui/server/history_cache.h"
#include "ui/server/runs_table.h"
#include "ui/server/store_reader.h"

namespace httplib {
class Server;
struct Request;
struct Response;
}  // namespace httplib

namespace wandb::ui {

class Api {
 public:
  Api(StoreReader* reader, ArtifactReader* artifacts, const AccessGuard* guard);

  void Register(httplib::Server& server);
  // Ends the live-update streams (they poll this), so the server can stop.
  void Shutdown() { stopping_ = true; }

  HistoryCache& history_cache() { return history_; }

 private:
  using Request = httplib::Request;
  using Response = httplib::Response;

  // The run named by the request path's three captures (entity, project, id).
  absl::StatusOr<RunInfo> RunOf(const Request& request);

  void Session(const Request& request, Response& response);
  void Projects(const Request& request, Response& response);
  void Runs(const Request& request, Response& response);
  void Run(const Request& request, Response& response);
  void Keys(const Request& request, Response& response);
  void Series(const Request& request, Response& response);
  void History(const Request& request, Response& response);
  void Media(const Request& request, Response& response);
  void HistoryCsv(const Request& request, Response& response);
  void System(const Request& request, Response& response);
  void Console(const Request& request, Response& response);
  void Files(const Request& request, Response& response);
  void File(const Request& request, Response& response);
  void Stop(const Request& request, Response& response);
  void Events(const Request& request, Response& response);

  // The value under media key `key` of the history rows at `steps` (null where a row lacks it).
  absl::StatusOr<nlohmann::json> MediaValues(int64_t run_row, const std::string& key,
                                             const std::vector<int64_t>& steps);
  // wandb-metadata.json of the run: its latest stored version, else the run directory's.
  nlohmann::json Metadata(const RunInfo& run);

  StoreReader* const reader_;
  const AccessGuard* const guard_;
  RunsTable runs_table_;
  HistoryCache history_;
  BlobReader blobs_;
  ArtifactApi artifact_api_;
  std::atomic<bool> stopping_{false};
};

}  // namespace wandb::ui

#endif  // WANDB_UI_SERVER_API_H_
