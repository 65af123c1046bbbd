// W&B's HTTP API as the uploader speaks it (reference: wandb-backend-api.md): the GraphQL
// operations a run needs and file_stream posts. One attempt per call: whether and when to
// try again is the caller's (RetryBackoff), and IsRetryable() says which failures heal.
//
// Errors name the operation and the server's own message, never the key.
#ifndef WANDB_SERVICE_BACKEND_WANDB_API_H_
#define WANDB_SERVICE_BACKEND_WANDB_API_H_

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "service/backend/http_client.h"

namespace wandb::service {

// Network trouble, 429 and 5xx: worth another attempt later. 400, 401, 403, 404, 409, 422 are
// not (wandb's rules).
bool IsRetryable(const absl::Status& status);

// The fields of a run that UpsertBucket sets; empty ones are left out (not cleared).
struct BucketFields {
  std::string name;  // the run id
  std::string project;
  std::string entity;
  std::string display_name;
  std::string notes;
  std::string group;
  std::string job_type;
  std::string host;
  std::string repo;
  std::string commit;
  std::vector<std::string> tags;
  std::optional<std::string> config;  // JSON text in wandb's {"key": {"value": ...}} form
};

// What the server made of the run: its canonical names, used for every later call.
struct Bucket {
  std::string storage_id;
  std::string name;
  std::string display_name;
  std::string project;
  std::string entity;
};

// What a file_stream answer says besides "received".
struct FileStreamReply {
  // Newer servers put a stop pressed on the run's page here ({"stopped": true}).
  bool stopped = false;
};

// How many lines of a run's file_stream files the server has (RunResumeStatus): where a
// resumed run's lines go on.
struct ResumeOffsets {
  int64_t history_lines = 0;
  int64_t events_lines = 0;
  int64_t console_lines = 0;
};

// Where to PUT a run's files (RunUploadUrls).
struct UploadUrls {
  std::vector<std::string> headers;         // "Name: value", for every PUT
  std::map<std::string, std::string> urls;  // file name -> absolute URL
};

struct Viewer {
  std::string entity;
  std::string username;
};

class WandbApi {
 public:
  // `ca_file`: the CA certificates HTTPS is verified against; "" the system's.
  WandbApi(std::string base_url, std::string api_key, std::string ca_file);

  const std::string& base_url() const { return base_url_; }
  // The key's account: a null viewer or a 401 is Unauthenticated.
  absl::StatusOr<Viewer> QueryViewer();
  absl::StatusOr<Bucket> UpsertBucket(const BucketFields& fields);
  // POST {base}/files/{entity}/{project}/{run}/file_stream with a body from FileStreamBody.
  absl::StatusOr<FileStreamReply> PostFileStream(const Bucket& run, absl::string_view body);
  // RunStoppedStatus: whether someone pressed Stop on the run's page. A project or run the
  // server does not know reads as not stopped, as wandb reads it.
  absl::StatusOr<bool> QueryRunStopped(const Bucket& run);
  // RunResumeStatus: the line counts of run `run` (its entity, project and name), or nullopt
  // when the server has no such run.
  absl::StatusOr<std::optional<ResumeOffsets>> QueryResumeStatus(const BucketFields& run);
  // RunUploadUrls (wandb 0.12's query, which also makes the server's records of the files):
  // a signed URL for each of `names`. A name the answer leaves out has no entry.
  absl::StatusOr<UploadUrls> QueryUploadUrls(const Bucket& run,
                                             const std::vector<std::string>& names);
  // PUTs the file at `path` to a URL QueryUploadUrls gave, with its headers; `what` names
  // the file in errors.
  absl::Status PutFile(const std::string& url, const std::vector<std::string>& headers,
                       const std::string& path, absl::string_view what);
  // GETs a file the server hands out to `path`: with the key only when `url` is under the
  // base URL (W&B's own routes), never to another host (a signed storage URL carries its own
  // permission). A path-only URL is the base URL's. `what` names the file in errors, which
  // never repeat the URL.
  absl::Status Download(const std::string& url, const std::string& path, absl::string_view what);
  // The same into memory (a manifest).
  absl::StatusOr<std::string> Fetch(const std::string& url, absl::string_view what);
  // The Retry-After of the last failed request, if it gave one.
  std::optional<absl::Duration> retry_after() const { return retry_after_; }
  // The HTTP status of the last request's answer; 0 when it got none.
  long last_http_status() const { return last_http_status_; }

  // A GraphQL request's "data" as JSON text, or its first error; for the operations other
  // files define (wandb_artifact_api.h).
  absl::StatusOr<std::string> GraphQl(absl::string_view query, absl::string_view variables_json,
                                      absl::string_view what);

 private:
  // Posts and maps the HTTP status to a Status; `what` names the operation in errors.
  absl::StatusOr<std::string> Post(const std::string& url, absl::string_view body,
                                   absl::string_view what);
  // An absolute URL for `url`, and whether the key may go with it.
  std::pair<std::string, bool> Resolve(const std::string& url) const;
  // A transfer's outcome as a Status: libcurl's failure (the URL taken out of its words) or
  // the HTTP status's meaning.
  absl::Status Outcome(const absl::StatusOr<HttpResponse>& response, const std::string& url,
                       absl::string_view what);

  const std::string base_url_;
  HttpClient http_;
  std::optional<absl::Duration> retry_after_;
  long last_http_status_ = 0;
};

// A file_stream request body: {"files": {name: {"offset": n, "content": [lines]}}, ...}.
class FileStreamBody {
 public:
  FileStreamBody();
  // Lines of one logical file starting at line `offset`; one run of lines per file.
  void BeginFile(absl::string_view name, int64_t offset);
  void AddLine(absl::string_view line);
  void EndFile();
  // The last request of a run: {"complete": true, "exitcode": n, "uploaded": [names]}, where
  // `uploaded` names the run's files whose PUT succeeded (how a server without storage
  // notifications learns of them).
  void SetComplete(int exit_code, const std::vector<std::string>& uploaded = {});
  size_t size() const { return body_.size(); }
  std::string Finish();

 private:
  std::string body_;
  bool any_file_ = false;
  bool any_line_ = false;
  std::string tail_;
};

// The run's config ({"lr": 0.1}) in the form W&B stores: {"lr": {"desc": null, "value": 0.1},
// "_wandb": {"desc": null, "value": {"cli_version": ..., "t": {}}}}.
absl::StatusOr<std::string> WandbConfigJson(absl::string_view config_json);

// The web page of a run: the app beside the API (api.wandb.ai -> wandb.ai).
std::string RunPageUrl(absl::string_view base_url, const Bucket& run);

}  // namespace wandb::service

#endif  // WANDB_SERVICE_BACKEND_WANDB_API_H_
