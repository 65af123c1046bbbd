// A MediaContext::Reporter for tests: keeps each error and warning as "<key>: <message>".
#ifndef WANDB_TESTS_SUPPORT_MEDIA_REPORTS_H_
#define WANDB_TESTS_SUPPORT_MEDIA_REPORTS_H_

#include <string>
#include <vector>

#include "client/src/media/media_context.h"

namespace wandb::testing {

struct MediaReports {
  std::vector<std::string> errors;
  std::vector<std::string> warnings;
  internal::MediaContext::Reporter reporter;
  MediaReports() {
    reporter.error = [this](absl::string_view key, absl::string_view message) {
      errors.push_back(std::string(key) + ": " + std::string(message));
    };
    reporter.warn_once = [this](absl::string_view key, absl::string_view,
                                absl::string_view message) {
      warnings.push_back(std::string(key) + ": " + std::string(message));
    };
  }
};

}  // namespace wandb::testing

#endif  // WANDB_TESTS_SUPPORT_MEDIA_REPORTS_H_
