// A W&B server for tests, over real TCP on 127.0.0.1 (cpp-httplib): the GraphQL operations a
// run needs (viewer, UpsertBucket, RunResumeStatus, RunUploadUrls, RunFiles), signed storage URLs
// that take PUTs of run files and give them back, artifacts (fake_wandb_artifacts.h), and
// file_stream, with wandb's offset rule (a chunk's lines are written at
// their offset, so a resend overwrites rather than appends). It keeps what it received for the test
// to read, and injects faults on command: the next requests answer with an error status (500, 429
// with Retry-After) before their body is applied, or are applied and then cut off mid-answer;
// it can also be slow, or down for a while. A test can press a run's Stop button (StopRun),
// as a user on W&B's run page would. Given a certificate and its key, it serves HTTPS
// (tests/support/test_certificates.h makes them), as a server behind a private CA.
#ifndef WANDB_TESTS_SUPPORT_FAKE_WANDB_SERVER_H_
#define WANDB_TESTS_SUPPORT_FAKE_WANDB_SERVER_H_

#include <chrono>
#include <deque>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include <nlohmann/json_fwd.hpp>

#include "tests/support/fake_wandb_artifacts.h"

namespace httplib {
class Server;
struct Request;
struct Response;
}  // namespace httplib

namespace wandb::testing {

class FakeWandbServer {
 public:
  // A key of the form W&B's local servers issue.
  static constexpr char kApiKey[] = "local-0123456789abcdef0123456789abcdef01234567";

  struct RunState {
    std::string entity;
    std::string project;
    std::string display_name;
    std::string notes;
    std::string group;
    std::string job_type;
    std::vector<std::string> tags;
    std::string config;  // the last config given (a JSON string)
    int upserts = 0;
    std::map<std::string, std::vector<std::string>> files;  // logical file -> lines
    // Lines received at an offset already holding a line: a resend (the client's duplicate).
    int rewritten_lines = 0;
    bool complete = false;
    int heartbeats = 0;  // file_stream posts of nothing but {"complete": false, ...}
    std::optional<int> exit_code;
    int requests_after_complete = 0;
    // Run files PUT to storage: name -> each version's bytes, in order.
    std::map<std::string, std::vector<std::string>> uploads;
    // The names the final file_stream request listed as uploaded.
    std::vector<std::string> reported_uploaded;
    bool stopped = false;                 // Stop pressed: RunStoppedStatus says so
    bool stopped_in_file_stream = false;  // ... and so do file_stream answers (newer servers)
  };

  enum class Route { kAny, kGraphQl, kFileStream, kStorage };
  // The header every upload URL requires, as signed URLs do.
  static constexpr char kUploadHeader[] = "X-Fake-Signature";

  // Where the server's TLS certificate and private key are (PEM files).
  struct Tls {
    std::string cert_file;
    std::string key_file;
  };

  explicit FakeWandbServer(std::string api_key = kApiKey,
                           const std::optional<Tls>& tls = std::nullopt);
  ~FakeWandbServer();

  // http://127.0.0.1:PORT, or https:// when serving TLS.
  std::string base_url() const;
  // The next `count` requests on `route` answer `status` (with Retry-After when given).
  void FailNext(int count, int status, Route route = Route::kAny,
                std::optional<int> retry_after_seconds = std::nullopt);
  // The next `count` requests on `route` are applied, then their connection is closed in the
  // middle of the answer, as a network that fails after the server took a request.
  void DropAfterApplyingNext(int count, Route route = Route::kAny);
  // Every request waits `delay` before it is handled: a slow server.
  void SetDelay(std::chrono::milliseconds delay);
  // While down, every request answers 503, as a server in an outage (counted in
  // faults_served()); SetDown(false) ends the outage.
  void SetDown(bool down);
  // Presses Stop on run `name`'s page (the run must exist). `in_file_stream`: the answers to
  // its file_stream posts say so too, as newer servers do; else only RunStoppedStatus does.
  void StopRun(const std::string& name, bool in_file_stream);
  // From now on RunStoppedStatus is refused (400), as by a server without the query.
  void RefuseStopQueries();
  int stop_queries() const;
  // Everything received for run `name` so far.
  std::optional<RunState> Run(const std::string& name) const;
  int faults_served() const;
  int requests() const;
  // Each request's Authorization header, as received (storage PUTs' not included).
  std::vector<std::string> authorizations() const;
  // RunResumeStatus queries answered.
  int resume_queries() const;
  // Storage PUTs that carried credentials, or lacked the upload header: both wrong.
  int bad_storage_requests() const;
  // What the server keeps of artifacts.
  const FakeWandbArtifacts& artifacts() const { return artifacts_; }
  // Downloads served (run files and artifact files; manifests not counted).
  int downloads() const;

 private:
  struct Fault {
    Route route;
    int status;
    std::optional<int> retry_after;
    bool drop = false;  // applied, then the connection dropped mid-answer (status unused)
  };
  std::chrono::milliseconds delay() const;
  void Routes();
  // Answers with the fault's status (and Retry-After), before anything is applied.
  static void SendFault(const Fault& fault, httplib::Response& res);
  // The fault for this request, if one is due.
  std::optional<Fault> TakeFault(Route route);
  bool Authorized(const std::string& header);
  std::string GraphQl(const std::string& body, int* status);
  std::string RunStopped(const std::string& run_id, int* status);
  std::string FileStream(const std::string& run, const std::string& body, int* status);
  std::string UploadUrls(const nlohmann::json& vars, int* status);
  std::string ResumeStatus(const nlohmann::json& vars);
  std::string RunFiles(const nlohmann::json& vars);
  void Store(const httplib::Request& req, httplib::Response& res);
  // Artifact storage: PUTs to the upload URLs, GETs of files (with the key) and manifests
  // (by their signed direct URL).
  void ArtifactRoutes();
  // Whether a PUT to a signed URL is as it must be: no credentials, the signature header.
  bool SignedPut(const httplib::Request& req);

  const std::string api_key_;
  std::unique_ptr<httplib::Server> server_;
  int port_ = 0;
  bool tls_ = false;
  std::thread thread_;
  mutable std::mutex mu_;
  std::deque<Fault> faults_;
  int faults_served_ = 0;
  bool down_ = false;
  std::chrono::milliseconds delay_{0};
  int requests_ = 0;
  std::vector<std::string> authorizations_;
  std::map<std::string, RunState> runs_;
  int stop_queries_ = 0;
  int bad_storage_requests_ = 0;
  int upload_url_queries_ = 0;
  int resume_queries_ = 0;
  bool refuse_stop_queries_ = false;
  int downloads_ = 0;
  FakeWandbArtifacts artifacts_;  // thread-safe on its own
};

}  // namespace wandb::testing

#endif  // WANDB_TESTS_SUPPORT_FAKE_WANDB_SERVER_H_
