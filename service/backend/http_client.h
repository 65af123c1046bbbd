// One connection to an HTTP server over libcurl, for one thread at a time (a run's sender):
// POSTs of JSON with Basic authentication, PUTs of a file's bytes to a signed storage URL
// (with no authentication: the URL is the permission), and GETs of files and manifests,
// answered with the status, the body and the server's Retry-After. The key is handed to
// libcurl alone; it is in no URL, header string or message of ours, so no error can carry it.
// HTTPS is always verified (the peer's certificate and its host name), against the system's
// CA bundle or a CA file given.
#ifndef WANDB_SERVICE_BACKEND_HTTP_CLIENT_H_
#define WANDB_SERVICE_BACKEND_HTTP_CLIENT_H_

#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"

namespace wandb::service {

struct HttpResponse {
  long status = 0;
  std::string body;
  std::optional<absl::Duration> retry_after;  // from a Retry-After of seconds
};

class HttpClient {
 public:
  struct Options {
    std::string user_agent;
    std::string api_key;  // sent as Basic api:<key>
    // A PEM file of the CA certificates to trust instead of the system's; "" the system's.
    std::string ca_file;
    absl::Duration connect_timeout = absl::Seconds(10);
    absl::Duration timeout = absl::Seconds(60);  // the whole request
  };

  explicit HttpClient(Options options);
  ~HttpClient();
  HttpClient(const HttpClient&) = delete;
  HttpClient& operator=(const HttpClient&) = delete;

  // Any HTTP status is an answer; a failure to get one (refused, reset, timed out) is
  // Unavailable, with libcurl's reason. A server certificate that the CAs do not vouch for,
  // or a CA file libcurl cannot use, is FailedPrecondition: it does not heal by trying again.
  absl::StatusOr<HttpResponse> PostJson(const std::string& url, absl::string_view body);
  // PUTs the file at `path` as it is now, streamed from disk, with exactly `headers` ("Name:
  // value" each) and no credentials. A file that cannot be opened is NotFound.
  absl::StatusOr<HttpResponse> PutFile(const std::string& url,
                                       const std::vector<std::string>& headers,
                                       const std::string& path);
  // GETs `url`, with the key only when `with_credentials` (W&B's own URLs; a signed URL
  // carries its permission). The body of a 2xx answer goes to the file at `path` (created or
  // truncated), streamed; any other answer's body is the response's, and the file is left
  // empty. A file that cannot be written is FailedPrecondition.
  absl::StatusOr<HttpResponse> GetToFile(const std::string& url, const std::string& path,
                                         bool with_credentials);
  // GETs `url` into memory (a manifest, a small JSON answer).
  absl::StatusOr<HttpResponse> Get(const std::string& url, bool with_credentials);

 private:
  // Basic api:<key> on the prepared request.
  void Authenticate();
  // Sets what every request has (timeouts, agent, where the answer goes) on a reset handle.
  void Prepare(const std::string& url, HttpResponse* response, char* error);
  // Runs the prepared request; `response` is where Prepare() pointed libcurl.
  absl::StatusOr<HttpResponse> Perform(const std::string& url, HttpResponse* response,
                                       const char* error);

  Options options_;
  void* curl_;  // CURL*, kept for its connection cache
};

// "Retry-After: 3" -> 3 s; an HTTP date or anything else -> nullopt.
std::optional<absl::Duration> ParseRetryAfter(absl::string_view value);

}  // namespace wandb::service

#endif  // WANDB_SERVICE_BACKEND_HTTP_CLIENT_H_
