// What the client knows about its own process, for the daemon's metadata.
#ifndef WANDB_CLIENT_SRC_PROCESS_INFO_H_
#define WANDB_CLIENT_SRC_PROCESS_INFO_H_

#include "wandb/service.pb.h"

namespace wandb::internal {

// pid, program (argv[0]), args (argv[1:]), executable, cwd and user name.
service::ProcessInfo CurrentProcessInfo();

}  // namespace wandb::internal

#endif  // WANDB_CLIENT_SRC_PROCESS_INFO_H_
