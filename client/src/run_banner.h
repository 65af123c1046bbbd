// What the client prints about a run on stderr ("wandb: " lines), in words a user reads once:
// the banner when the run starts, the lines after the footer when it finishes, and finish()'s
// warnings. Pure functions, so the wording is unit-tested; Console prints them.
#ifndef WANDB_CLIENT_SRC_RUN_BANNER_H_
#define WANDB_CLIENT_SRC_RUN_BANNER_H_

#include <cstdint>
#include <string>
#include <vector>

#include "client/src/settings_resolver.h"
#include "wandb/service.pb.h"

namespace wandb::internal {

// The lines init() prints once the daemon has started the run.
std::vector<std::string> StartBanner(const ResolvedSettings& settings,
                                     const service::StartRunResponse& started);

// The lines finish() prints once the daemon has finished the run, after the footer.
std::vector<std::string> FinishLines(const ResolvedSettings& settings, const std::string& run_dir,
                                     const service::FinishRunResponse& finished);

// finish()'s warning when the daemon could not store some of the run's files.
std::string FilesFailedWarning(const std::string& run_id, const std::string& run_dir,
                               int64_t files_failed);
// finish()'s warning for records that never reached a daemon; `daemon_died` when they were
// lost as the run moved to a new one.
// The records of the run the daemon refused, with the first reason.
std::string RefusedWarning(const std::string& run_id, const std::string& run_dir,
                           const service::FinishRunResponse& finished);

std::string UndeliveredWarning(const std::string& run_id, int64_t lost, bool daemon_died);
// finish()'s note when log() had to wait for its full queue to drain: `waits` calls, `seconds`
// in all, with a queue of `queue_limit` bytes.
std::string QueueWaitNote(int64_t waits, double seconds, size_t queue_limit);

}  // namespace wandb::internal

#endif  // WANDB_CLIENT_SRC_RUN_BANNER_H_
