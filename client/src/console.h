// The "wandb: " lines the client prints on stderr (unless silent), and the footer that
// finish prints: sparklines of the sampled history and the final summary.
#ifndef WANDB_CLIENT_SRC_CONSOLE_H_
#define WANDB_CLIENT_SRC_CONSOLE_H_

#include <string>
#include <vector>

#include "absl/strings/string_view.h"
#include "wandb/service.pb.h"

namespace wandb::internal {

class Console {
 public:
  explicit Console(bool silent) : silent_(silent) {}

  void Info(absl::string_view line) const;
  // Warnings are printed even when silent: they mean data may be missing.
  void Warning(absl::string_view line) const;

  // "Run history:" and "Run summary:" blocks, as wandb prints them at finish.
  void Footer(const service::FinishRunResponse& response) const;

 private:
  bool silent_;
};

// Eight-level block characters for `values`, one per value (exposed for tests).
std::string Sparkline(const std::vector<double>& values);

}  // namespace wandb::internal

#endif  // WANDB_CLIENT_SRC_CONSOLE_H_
