#include "client/src/upload_progress_printer.h"

#include "absl/strings/str_cat.h"
#include "absl/time/time.h"
#include "common/util/human_readable.h"

namespace wandb::internal {

UploadProgressPrinter::UploadProgressPrinter(PollFn poll, const Console* console,
                                             std::chrono::milliseconds interval)
    : poll_(std::move(poll)), console_(console), interval_(interval) {
  thread_ = std::thread([this] { Loop(); });
}

UploadProgressPrinter::~UploadProgressPrinter() {
  {
    absl::MutexLock lock(&mu_);
    stopping_ = true;
  }
  wake_.SignalAll();
  thread_.join();
}

int UploadProgressPrinter::lines() const {
  absl::MutexLock lock(&mu_);
  return lines_;
}

bool UploadProgressPrinter::Wait() {
  absl::MutexLock lock(&mu_);
  absl::Time until = absl::Now() + absl::FromChrono(interval_);
  while (!stopping_ && !wake_.WaitWithDeadline(&mu_, until)) {
  }
  return !stopping_;
}

void UploadProgressPrinter::Loop() {
  int64_t last_done = -1;
  while (Wait()) {
    std::optional<service::StopStatusResponse> status = poll_();
    if (!status.has_value() || status->upload_total_bytes() <= 0) continue;
    const int64_t done = status->upload_done_bytes();
    if (done == last_done || done >= status->upload_total_bytes()) continue;
    last_done = done;
    console_->Info(absl::StrCat("W&B: ", ByteSize(done), " of ",
                                ByteSize(status->upload_total_bytes()), " uploaded"));
    absl::MutexLock lock(&mu_);
    ++lines_;
  }
}

}  // namespace wandb::internal
