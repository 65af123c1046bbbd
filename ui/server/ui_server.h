// `wandb-cpp ui`'s web server: the front end (embedded in the binary) and the JSON API over
// the local store, on cpp-httplib. See docs/ui.md.
#ifndef WANDB_UI_SERVER_UI_SERVER_H_
#define WANDB_UI_SERVER_UI_SERVER_H_

#include <memory>
#include <string>
#include <thread>

#include "absl/status/statusor.h"

namespace httplib {
class Server;
}

namespace wandb::ui {

class AccessGuard;
class Api;
class ArtifactReader;
class StoreReader;

struct UiServerOptions {
  std::string store_dir;
  std::string host = "127.0.0.1";
  int port = 8080;  // 0: any free port
  // Asked of every request when set. Binding a non-loopback host without one generates one.
  std::string token;
  // HTTP worker threads: each open page holds one for its live-update stream.
  int threads = 64;
};

class UiServer {
 public:
  // Opens the store read-only, binds and starts serving on a thread of its own.
  static absl::StatusOr<std::unique_ptr<UiServer>> Start(UiServerOptions options);

  // Stops serving and joins the thread.
  ~UiServer();
  UiServer(const UiServer&) = delete;
  UiServer& operator=(const UiServer&) = delete;

  int port() const { return port_; }
  // The address to open, with ?token=... when a token is needed.
  std::string url() const;
  const std::string& token() const;

 private:
  UiServer() = default;
  void Routes();

  UiServerOptions options_;
  int port_ = 0;
  std::unique_ptr<StoreReader> reader_;
  std::unique_ptr<ArtifactReader> artifacts_;
  std::unique_ptr<AccessGuard> guard_;
  std::unique_ptr<Api> api_;
  std::unique_ptr<httplib::Server> http_;
  std::thread thread_;
};

}  // namespace wandb::ui

#endif  // WANDB_UI_SERVER_UI_SERVER_H_
