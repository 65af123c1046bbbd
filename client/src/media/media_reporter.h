// How a run tells its user about media it could not write (a full disk, a file that went
// away) and about what it changed in a value (non-finite values left out of a histogram, a
// list cut to wandb's limit): console warnings, once per key and kind for the latter, and
// debug.log lines.
#ifndef WANDB_CLIENT_SRC_MEDIA_MEDIA_REPORTER_H_
#define WANDB_CLIENT_SRC_MEDIA_MEDIA_REPORTER_H_

#include <mutex>
#include <set>
#include <string>
#include <utility>

#include "client/src/console.h"
#include "client/src/media/media_context.h"
#include "common/util/logger.h"

namespace wandb::internal {

class MediaReporter {
 public:
  // `console` and `debug_log` outlive the reporter.
  MediaReporter(std::string run_id, const Console* console, Logger* debug_log);

  MediaContext::Reporter& reporter() { return reporter_; }

 private:
  void Error(absl::string_view key, absl::string_view message);
  void WarnOnce(absl::string_view key, absl::string_view what, absl::string_view message);

  const std::string run_id_;
  const Console* console_;
  Logger* debug_log_;
  MediaContext::Reporter reporter_;
  std::mutex mu_;
  std::set<std::pair<std::string, std::string>> warned_;  // (key, what); guarded by mu_
};

}  // namespace wandb::internal

#endif  // WANDB_CLIENT_SRC_MEDIA_MEDIA_REPORTER_H_
