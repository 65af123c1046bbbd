// The daemon's top level: takes the single-instance lock, serves gRPC on the per-user
// socket, reaps runs whose processes died, and exits once idle.
#ifndef WANDB_SERVICE_SERVER_DAEMON_H_
#define WANDB_SERVICE_SERVER_DAEMON_H_

#include <atomic>
#include <functional>

#include "absl/status/status.h"
#include "absl/time/time.h"
#include "common/ipc/service_endpoint.h"
#include "common/util/logger.h"

namespace wandb::service {

struct DaemonOptions {
  ServiceEndpoint endpoint;
  // Exit after this long with no live run and no call in progress.
  absl::Duration idle_timeout = absl::Seconds(30);
  // How often dead clients and idleness are checked.
  absl::Duration supervise_interval = absl::Milliseconds(250);
};

class Daemon {
 public:
  Daemon(DaemonOptions options, Logger* log) : options_(std::move(options)), log_(log) {}

  // Serves until idle or RequestShutdown(). `on_ready` runs once the socket accepts calls.
  // Returns AlreadyExists when another daemon holds the lock (not an error for callers that
  // only want one to be running).
  absl::Status Run(const std::function<void()>& on_ready);

  // Safe from any thread. The daemon writes everything it has received and exits; each live
  // run is left to its training process, which re-attaches it to a new daemon (a polite stop
  // loses nothing, as a kill -9 loses nothing), or, with `finish_runs`, finished as crashed.
  void RequestShutdown(bool finish_runs = false) {
    if (finish_runs) finish_runs_.store(true);
    shutdown_.store(true);
  }

 private:
  DaemonOptions options_;
  Logger* log_;
  std::atomic<bool> shutdown_{false};
  std::atomic<bool> finish_runs_{false};
};

}  // namespace wandb::service

#endif  // WANDB_SERVICE_SERVER_DAEMON_H_
