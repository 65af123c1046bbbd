#include "client/src/media/media_reporter.h"

#include "absl/strings/str_cat.h"

namespace wandb::internal {

MediaReporter::MediaReporter(std::string run_id, const Console* console, Logger* debug_log)
    : run_id_(std::move(run_id)), console_(console), debug_log_(debug_log) {
  reporter_.error = [this](absl::string_view key, absl::string_view message) {
    Error(key, message);
  };
  reporter_.warn_once = [this](absl::string_view key, absl::string_view what,
                               absl::string_view message) { WarnOnce(key, what, message); };
}

void MediaReporter::Error(absl::string_view key, absl::string_view message) {
  debug_log_->Error("media for key '%s' not written: %s", key, message);
  console_->Warning(absl::StrCat("run ", run_id_, ": key '", key, "': media not written (", message,
                                 "); the row holds null in its place"));
}

void MediaReporter::WarnOnce(absl::string_view key, absl::string_view what,
                             absl::string_view message) {
  {
    std::lock_guard lock(mu_);
    if (!warned_.emplace(std::string(key), std::string(what)).second) return;
  }
  debug_log_->Warning("key '%s': %s", key, message);
  console_->Warning(absl::StrCat("run ", run_id_, ": key '", key, "': ", message));
}

}  // namespace wandb::internal
