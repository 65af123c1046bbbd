// What the daemon needs to reach W&B for a client (online mode): the server, the key and the
// retry pace, for a run's StartRun and for the calls made without a run (wandb::Api,
// wandb::restore), which read from W&B when the settings say mode online.
#ifndef WANDB_CLIENT_SRC_ONLINE_OPTIONS_H_
#define WANDB_CLIENT_SRC_ONLINE_OPTIONS_H_

#include <optional>

#include "absl/status/statusor.h"
#include "client/src/settings_resolver.h"
#include "wandb/service.pb.h"

namespace wandb::internal {

service::OnlineOptions OnlineOptionsOf(const ResolvedSettings& settings);

// The options of the process's environment (WANDB_MODE and the rest, as init() reads them)
// when its mode is online; nullopt when it is not. An online mode without a key is the error
// init() would give.
absl::StatusOr<std::optional<service::OnlineOptions>> OnlineOptionsFromEnvironment();

}  // namespace wandb::internal

#endif  // WANDB_CLIENT_SRC_ONLINE_OPTIONS_H_
