#include "client/src/run_banner.h"

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "client/src/record_outbox.h"
#include "common/protocol.h"
#include "common/util/human_readable.h"

namespace wandb::internal {

std::vector<std::string> StartBanner(const ResolvedSettings& settings,
                                     const service::StartRunResponse& started) {
  std::vector<std::string> lines;
  bool offline = settings.mode == Mode::kOffline;
  lines.push_back(absl::StrCat("Tracking run ", settings.run_id, offline ? " offline" : "",
                               " with wandb-cpp ", kVersion));
  if (started.run().resumed()) {
    lines.push_back(absl::StrCat("Resuming run ", settings.run_id, " from step ",
                                 started.run().starting_step()));
  }
  lines.push_back(absl::StrCat("Run directory: ", started.run_dir()));
  if (offline) {
    lines.push_back(
        "Offline: only the run directory is written; send it later with wandb-cpp sync");
  } else {
    lines.push_back(absl::StrCat("Local store: ", settings.store_dir));
  }
  if (settings.mode == Mode::kOnline) {
    lines.push_back(absl::StrCat("Online: sending the run to ", settings.base_url));
  }
  return lines;
}

std::vector<std::string> FinishLines(const ResolvedSettings& settings, const std::string& run_dir,
                                     const service::FinishRunResponse& finished) {
  std::string rows = CountOf(finished.history_rows(), "history row");
  if (settings.mode == Mode::kOffline) {
    return {absl::StrCat("Offline run ", settings.run_id, " finished with ", rows, " in ", run_dir),
            absl::StrCat("Upload it to W&B with: wandb-cpp sync ", run_dir)};
  }
  std::string files;
  if (finished.files_uploaded() > 0) {
    files = absl::StrCat(" and ", CountOf(finished.files_uploaded(), "file"), " (",
                         ByteSize(finished.bytes_uploaded()), ")");
  }
  std::vector<std::string> lines = {
      absl::StrCat("Run ", settings.run_id, " finished with ", rows, files,
                   ", kept in the local store ", settings.store_dir),
      absl::StrCat("Run directory: ", run_dir)};
  if (settings.mode == Mode::kOnline) {
    if (!finished.online_url().empty()) {
      lines.push_back(absl::StrCat("View run at ", finished.online_url()));
    }
    if (!finished.online_problem().empty()) {
      lines.push_back(absl::StrCat("W&B: ", finished.online_problem()));
    }
  }
  return lines;
}

std::string FilesFailedWarning(const std::string& run_id, const std::string& run_dir,
                               int64_t files_failed) {
  return absl::StrCat(CountOf(files_failed, "file"), " of run ", run_id,
                      " could not be stored; see ", run_dir, "/logs/debug-internal.log");
}

std::string RefusedWarning(const std::string& run_id, const std::string& run_dir,
                           const service::FinishRunResponse& finished) {
  return absl::StrCat("wandb-service refused ", CountOf(finished.records_refused(), "record"),
                      " of run ", run_id, " (first: ", finished.first_refusal(), "); see ", run_dir,
                      "/logs/debug-internal.log");
}

std::string UndeliveredWarning(const std::string& run_id, int64_t lost, bool daemon_died) {
  std::string why;
  if (daemon_died) {
    why = absl::StrCat(" (lost when it went away; the run's summary counts them as ",
                       RecordOutbox::kUndeliveredKey, "; a larger resend_buffer keeps them)");
  }
  return absl::StrCat(CountOf(lost, "record"), " of run ", run_id,
                      " could not be delivered to wandb-service", why);
}

std::string QueueWaitNote(int64_t waits, double seconds, size_t queue_limit) {
  return absl::StrCat("log() waited ", CountOf(waits, "time"), " (",
                      absl::StrFormat("%.3f", seconds), " s in all) for its queue of ",
                      ByteSize(static_cast<int64_t>(queue_limit)),
                      " to drain: rows came faster than wandb-service ",
                      "took them (queue_limit, WANDB_CPP_QUEUE_LIMIT, sets the queue's size)");
}

}  // namespace wandb::internal
