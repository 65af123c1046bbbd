#include "ui/server/ui_server.h"

#include <httplib.h>

#include <chrono>
#include <exception>
#include <thread>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "ui/server/access_guard.h"
#include "ui/server/api.h"
#include "ui/server/artifact_reader.h"
#include "ui/server/embedded_assets.h"
#include "ui/server/json_out.h"
#include "ui/server/store_reader.h"

namespace wandb::ui {
namespace {

// The app's own pages: only our scripts, no framing by other sites (the Stop button must not
// be clickjacked), and frames only of our sandboxed file views.
constexpr char kAppPolicy[] =
    "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
    "img-src 'self' data: blob:; media-src 'self' blob:; connect-src 'self'; frame-src 'self'; "
    "object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

// cpp-httplib 0.11 compresses answers with brotli at its highest quality when the client
// accepts it, which costs about a second for a 100 KB answer; gzip costs milliseconds and
// shrinks JSON as well. So brotli is struck from what the client accepts before the answer is
// written (the request is the library's own object, not const in its hands).
void OfferGzipOnly(const httplib::Request& request) {
  auto& headers = const_cast<httplib::Headers&>(request.headers);
  for (auto it = headers.find("Accept-Encoding"); it != headers.end(); it = headers.end()) {
    it->second = absl::StrContains(it->second, "gzip") ? "gzip" : "identity";
  }
}

std::string HostForUrl(const std::string& host) {
  if (host.find(':') != std::string::npos) return absl::StrCat("[", host, "]");
  return host == "0.0.0.0" ? "127.0.0.1" : host;
}

}  // namespace

absl::StatusOr<std::unique_ptr<UiServer>> UiServer::Start(UiServerOptions options) {
  const bool loopback = IsLoopbackHost(options.host);
  if (!loopback && options.token.empty()) options.token = RandomSecret();

  auto server = std::unique_ptr<UiServer>(new UiServer());
  absl::StatusOr<std::unique_ptr<StoreReader>> reader = StoreReader::Open(options.store_dir);
  if (!reader.ok()) return reader.status();
  server->reader_ = *std::move(reader);
  absl::StatusOr<std::unique_ptr<ArtifactReader>> artifacts =
      ArtifactReader::Open(options.store_dir);
  if (!artifacts.ok()) return artifacts.status();
  server->artifacts_ = *std::move(artifacts);

  server->http_ = std::make_unique<httplib::Server>();
  httplib::Server& http = *server->http_;
  const int threads = std::max(4, options.threads);
  http.new_task_queue = [threads] { return new httplib::ThreadPool(threads); };
  http.set_keep_alive_timeout(5);
  // A reply leaves in more than one write (headers, then body): without TCP_NODELAY, Nagle's
  // algorithm holds the body until the browser's delayed ACK, some 40 ms per request on a
  // kept-alive connection (docs/performance.md, the image slider).
  http.set_tcp_nodelay(true);
  http.set_payload_max_length(64 * 1024);  // the API takes no uploads
  if (options.host.find(':') != std::string::npos) http.set_address_family(AF_INET6);

  if (options.port == 0) {
    server->port_ = http.bind_to_any_port(options.host);
    if (server->port_ <= 0) {
      return absl::UnavailableError(absl::StrCat("cannot listen on ", options.host));
    }
  } else {
    if (!http.bind_to_port(options.host, options.port)) {
      return absl::UnavailableError(absl::StrCat("cannot listen on ", options.host, ":",
                                                 options.port,
                                                 " (is the port in use? try --port 0)"));
    }
    server->port_ = options.port;
  }
  server->guard_ = std::make_unique<AccessGuard>(options.token, loopback, server->port_);
  server->api_ =
      std::make_unique<Api>(server->reader_.get(), server->artifacts_.get(), server->guard_.get());
  server->options_ = std::move(options);
  server->Routes();
  server->thread_ = std::thread([&http] { http.listen_after_bind(); });
  // stop() before the loop runs would be lost, and the destructor would wait forever.
  while (!http.is_running()) std::this_thread::sleep_for(std::chrono::milliseconds(1));
  return server;
}

void UiServer::Routes() {
  httplib::Server& http = *http_;
  http.set_pre_routing_handler(
      [this](const httplib::Request& request, httplib::Response& response) {
        OfferGzipOnly(request);
        response.set_header("X-Content-Type-Options", "nosniff");
        response.set_header("Referrer-Policy", "no-referrer");  // the token must not leak
        bool token_from_query = false;
        absl::Status status = guard_->CheckRequest(request, &token_from_query);
        if (!status.ok()) {
          SendError(response, status);
          return httplib::Server::HandlerResponse::Handled;
        }
        if (token_from_query) response.set_header("Set-Cookie", guard_->TokenCookie());
        return httplib::Server::HandlerResponse::Unhandled;
      });
  http.set_exception_handler(
      [](const httplib::Request&, httplib::Response& response, std::exception_ptr error) {
        std::string what = "unknown error";
        try {
          std::rethrow_exception(error);
        } catch (const std::exception& e) {
          what = e.what();
        } catch (...) {
        }
        SendError(response, absl::InternalError(absl::StrCat("internal error: ", what)));
      });

  api_->Register(http);

  // Bundled assets by path; every other page path is the app, which routes by its URL.
  http.Get(R"(/assets/.+)", [](const httplib::Request& request, httplib::Response& response) {
    const EmbeddedAsset* asset = FindAsset(request.path);
    if (asset == nullptr) {
      return SendError(response, absl::NotFoundError(absl::StrCat("no asset ", request.path)));
    }
    response.set_header("Cache-Control", "no-cache");
    response.set_content(asset->bytes.data(), asset->bytes.size(),
                         std::string(asset->content_type).c_str());
  });
  http.Get(R"(/(?!api/|assets/).*)", [](const httplib::Request&, httplib::Response& response) {
    const EmbeddedAsset* index = FindAsset("/index.html");
    if (index == nullptr) {
      return SendError(response, absl::NotFoundError("the front end was not built in"));
    }
    response.set_header("Content-Security-Policy", kAppPolicy);
    response.set_header("Cache-Control", "no-cache");
    response.set_content(index->bytes.data(), index->bytes.size(), "text/html; charset=utf-8");
  });
}

UiServer::~UiServer() {
  if (api_ != nullptr) api_->Shutdown();
  if (http_ != nullptr) http_->stop();
  if (thread_.joinable()) thread_.join();
}

std::string UiServer::url() const {
  std::string url = absl::StrCat("http://", HostForUrl(options_.host), ":", port_, "/");
  if (!options_.token.empty()) absl::StrAppend(&url, "?token=", options_.token);
  return url;
}

const std::string& UiServer::token() const { return options_.token; }

}  // namespace wandb::ui
