// While finish() waits for an online run's upload to W&B, says how far it has got once the
// wait passes a second, and then each second while it moves ("W&B: 12.3 MiB of 40.0 MiB
// uploaded"), so a long finish never looks like a hang. It asks the daemon (StopStatus's
// upload_done_bytes / upload_total_bytes) on a thread of its own; a daemon that does not answer
// just means no line.
#ifndef WANDB_CLIENT_SRC_UPLOAD_PROGRESS_PRINTER_H_
#define WANDB_CLIENT_SRC_UPLOAD_PROGRESS_PRINTER_H_

#include <chrono>
#include <functional>
#include <optional>
#include <thread>

#include "absl/base/thread_annotations.h"
#include "absl/synchronization/mutex.h"
#include "client/src/console.h"
#include "wandb/service.pb.h"

namespace wandb::internal {

class UploadProgressPrinter {
 public:
  // The daemon's answer, or nullopt when it gave none.
  using PollFn = std::function<std::optional<service::StopStatusResponse>()>;

  UploadProgressPrinter(PollFn poll, const Console* console,
                        std::chrono::milliseconds interval = std::chrono::seconds(1));
  ~UploadProgressPrinter();  // stops: the finish has its answer
  UploadProgressPrinter(const UploadProgressPrinter&) = delete;
  UploadProgressPrinter& operator=(const UploadProgressPrinter&) = delete;

  // The lines printed so far.
  int lines() const;

 private:
  void Loop();
  // Waits one interval; false once stopping.
  bool Wait();

  PollFn poll_;
  const Console* console_;
  const std::chrono::milliseconds interval_;
  mutable absl::Mutex mu_;
  absl::CondVar wake_;
  bool stopping_ ABSL_GUARDED_BY(mu_) = false;
  int lines_ ABSL_GUARDED_BY(mu_) = 0;
  std::thread thread_;
};

}  // namespace wandb::internal

#endif  // WANDB_CLIENT_SRC_UPLOAD_PROGRESS_PRINTER_H_
