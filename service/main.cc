// wandb-service: the per-user daemon that owns every run's state, log and files.
//
// Started on demand by the first client (with --detach); exits by itself when idle.
#include <fcntl.h>
#include <signal.h>
#include <unistd.h>

#include <cstdlib>
#include <iostream>
#include <thread>

#include "CLI/CLI.hpp"
#include "absl/time/time.h"
#include "common/ipc/service_endpoint.h"
#include "common/protocol.h"
#include "common/util/logger.h"
#include "service/server/daemon.h"

namespace {

// Forks; the parent waits until the child reports readiness on a pipe and exits with 0 (ready,
// or another daemon already serves) or 1. The child continues as the daemon in a new session,
// with no terminal and no inherited descriptors. Returns the write end of the pipe.
int Detach() {
  int pipe_fds[2];
  if (pipe(pipe_fds) != 0) std::exit(1);
  pid_t pid = fork();
  if (pid < 0) std::exit(1);
  if (pid > 0) {
    close(pipe_fds[1]);
    char status = 0;
    ssize_t n;
    do n = read(pipe_fds[0], &status, 1);
    while (n < 0 && errno == EINTR);
    _exit(n == 1 && status == 'R' ? 0 : 1);
  }
  close(pipe_fds[0]);
  setsid();
  if (chdir("/") != 0) std::exit(1);
  int null_fd = open("/dev/null", O_RDWR);
  for (int fd = 0; fd <= 2; ++fd) dup2(null_fd, fd);
  if (null_fd > 2) close(null_fd);
  int ready_fd = pipe_fds[1];
  close_range(3, ready_fd - 1, 0);
  close_range(ready_fd + 1, ~0U, 0);
  return ready_fd;
}

void Report(int fd, char status) {
  if (fd < 0) return;
  ssize_t n = write(fd, &status, 1);
  (void)n;
  close(fd);
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"wandb-service: the wandb-cpp daemon"};
  std::string service_dir;
  double idle_seconds = 30;
  if (const char* env = std::getenv("WANDB_CPP_SERVICE_IDLE_TIMEOUT")) idle_seconds = atof(env);
  bool detach = false;
  app.add_option("--service-dir", service_dir, "directory of the socket, lock and log");
  app.add_option("--idle-timeout", idle_seconds, "seconds without runs or calls before exiting");
  app.add_flag("--detach", detach, "run in the background; return once ready");
  app.set_version_flag("--version", std::string(wandb::kVersion));
  CLI11_PARSE(app, argc, argv);

  int ready_fd = detach ? Detach() : -1;

  // Handle signals on one thread: block them before gRPC starts its threads (they inherit
  // the mask), then turn SIGTERM/SIGINT/SIGHUP into an orderly shutdown.
  sigset_t signals;
  sigemptyset(&signals);
  sigaddset(&signals, SIGTERM);
  sigaddset(&signals, SIGINT);
  sigaddset(&signals, SIGHUP);
  pthread_sigmask(SIG_BLOCK, &signals, nullptr);
  signal(SIGPIPE, SIG_IGN);

  absl::StatusOr<wandb::ServiceEndpoint> endpoint =
      service_dir.empty() ? wandb::ServiceEndpoint::Resolve()
                          : wandb::ServiceEndpoint::InDirectory(service_dir);
  if (!endpoint.ok()) {
    std::cerr << "wandb-service: " << endpoint.status().message() << "\n";
    Report(ready_fd, 'E');
    return 1;
  }
  wandb::Logger log;
  log.Open(endpoint->log_path);

  wandb::service::Daemon daemon(
      {.endpoint = *endpoint, .idle_timeout = absl::Seconds(idle_seconds)}, &log);
  std::atomic<bool> done{false};
  std::thread signal_thread([&] {
    timespec tick{0, 200'000'000};
    while (!done.load()) {
      int sig = sigtimedwait(&signals, nullptr, &tick);
      if (sig > 0) {
        log.Info("signal %d received", sig);
        daemon.RequestShutdown();  // the runs go on with their clients' next daemon
      }
    }
  });

  absl::Status status = daemon.Run([&] { Report(ready_fd, 'R'); });
  done.store(true);
  signal_thread.join();
  if (absl::IsAlreadyExists(status)) {
    // Another daemon won the race; it serves the socket, which is all a client wanted.
    log.Info("%s", status.message());
    Report(ready_fd, 'R');
    return 0;
  }
  if (!status.ok()) {
    log.Error("%s", status.ToString());
    std::cerr << "wandb-service: " << status.message() << "\n";
    Report(ready_fd, 'E');
    return 1;
  }
  return 0;
}
