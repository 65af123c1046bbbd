// Polls the daemon for the run's status on a background thread, as wandb's RunStatusChecker
// does: whether someone asked the run to stop (`wandb-cpp stop`), whether the daemon's
// backend is in trouble, and, online, when the upload to W&B is retrying and when it has
// caught up again (wandb's "retrying" and "resuming normal operation"). A stop request is acted on
// once: the flag is set, then the user's callback runs; with none, a program that handles SIGINT
// itself gets SIGINT, as if Ctrl-C had been pressed, and any other program (SIGINT at its default,
// or ignored) has its run finished and then is ended as Ctrl-C would end it (Options::end_process).
#ifndef WANDB_CLIENT_SRC_RUN_STATUS_CHECKER_H_
#define WANDB_CLIENT_SRC_RUN_STATUS_CHECKER_H_

#include <atomic>
#include <chrono>
#include <functional>
#include <memory>
#include <string>
#include <thread>

#include "absl/base/thread_annotations.h"
#include "absl/synchronization/mutex.h"
#include "client/src/console.h"
#include "client/src/service_connection.h"
#include "common/util/logger.h"

namespace wandb::internal {

class RunStatusChecker {
 public:
  struct Options {
    std::chrono::milliseconds interval{250};
    std::function<void()> on_stop;  // runs on the checker's thread
    bool interrupt = true;          // with no on_stop: SIGINT, or end_process
    // Finishes the run and ends the process; runs on the checker's thread and never returns.
    std::function<void()> end_process;
  };

  // `connection` gives the daemon's current connection (a new one after a re-attach).
  using ConnectionFn = std::function<std::shared_ptr<ServiceConnection>()>;

  RunStatusChecker(ConnectionFn connection, std::string run_id, Options options,
                   const Console* console, Logger* debug_log);
  ~RunStatusChecker();  // Stop()

  void Start();
  // Joins the thread. A callback running then is waited for.
  void Stop();
  bool stop_requested() const { return stop_requested_.load(); }

 private:
  void Loop();
  // Waits one interval, or until Stop(); true once stopping.
  bool WaitInterval();
  void Poll();
  // Says when the upload to W&B starts retrying, and when it is caught up again.
  void NoteUpload(const std::string& problem);
  void OnStopRequested();

  ConnectionFn connection_;
  const std::string run_id_;
  Options options_;
  const Console* console_;
  Logger* debug_log_;
  std::atomic<bool> stop_requested_{false};
  std::string last_problem_;      // the backend problem last reported; the thread's own
  std::string last_log_problem_;  // the log problem last reported; the thread's own
  // Online mode: the upload's retry last reported (without its "retrying in" part), and
  // since when it has been retrying; the thread's own.
  std::string last_upload_problem_;
  std::chrono::steady_clock::time_point retrying_since_;

  absl::Mutex mu_;
  absl::CondVar wake_;
  bool stopping_ ABSL_GUARDED_BY(mu_) = false;
  std::thread thread_;
};

}  // namespace wandb::internal

#endif  // WANDB_CLIENT_SRC_RUN_STATUS_CHECKER_H_
