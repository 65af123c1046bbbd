#include "service/server/run_registry.h"

#include <signal.h>

#include <algorithm>
#include <sstream>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "common/util/process_start.h"
#include "service/recovery/reattach.h"
#include "service/recovery/resume.h"

namespace wandb::service {

std::optional<uint64_t> ClientStartTicks(int64_t pid) {
  if (pid <= 0) return 0;
  absl::StatusOr<std::optional<uint64_t>> ticks = ProcessStartTicks(absl::StrCat(pid));
  if (!ticks.ok()) return std::nullopt;  // e.g. out of descriptors: no verdict
  return ticks->value_or(0);
}

absl::StatusOr<std::shared_ptr<Stream>> RunRegistry::Open(const StartRunRequest& request) {
  const std::string& id = request.run().run_id();
  {
    absl::MutexLock lock(&mu_);
    if (auto it = runs_.find(id); it != runs_.end()) {
      const Entry& live = it->second;
      if (!request.reattach_run_dir().empty() && !live.facts.finishing &&
          live.stream->client_pid() == request.process().pid() &&
          live.stream->dir().run_dir == request.reattach_run_dir()) {
        // The client's stream broke, not this daemon: it goes on with the same stream, which
        // takes only the batches it lacks.
        live.stream->AllowSeqGap();
        return live.stream;
      }
      return absl::AlreadyExistsError(
          absl::StrCat("run ", id, " is already live (pid ", it->second.stream->client_pid(), ")"));
    }
  }
  StartRunRequest start = request;
  std::optional<ReattachPoint> reattach;
  if (!request.reattach_run_dir().empty()) {
    // Its daemon died: the run goes on in its directory, where that daemon's log stops.
    absl::StatusOr<ReattachPoint> point = PrepareReattach(request, *backends_);
    if (!point.ok()) return point.status();
    *start.mutable_run() = point->run;
    reattach = *std::move(point);
  } else {
    absl::StatusOr<std::optional<ResumePoint>> resume = FindResumePoint(start, *backends_);
    if (!resume.ok()) return resume.status();
    if (resume->has_value()) {
      if (absl::Status s = ApplyResume(**resume, start.mutable_run()); !s.ok()) return s;
    }
  }
  absl::StatusOr<std::shared_ptr<Backend>> backend = backends_->ForRun(start);
  if (!backend.ok()) return backend.status();
  absl::StatusOr<std::shared_ptr<WandbBackend>> online = backends_->OnlineForRun(start);
  if (!online.ok()) return online.status();
  absl::StatusOr<std::unique_ptr<Stream>> opened =
      Stream::Open(start, *std::move(backend), std::move(reattach), *online);
  if (!opened.ok()) return opened.status();
  std::shared_ptr<Stream> stream = *std::move(opened);
  const records::RunRecord& run = start.run();
  LiveRunFacts facts{.stream = stream,
                     .key = RunKeyOf(start),
                     .display_name = run.display_name(),
                     .mode = request.mode(),
                     .store_dir = UsesLocalStore(request.mode()) ? request.store_dir() : "",
                     .started = absl::FromUnixSeconds(run.start_time().seconds()) +
                                absl::Nanoseconds(run.start_time().nanos()),
                     .wandb = *std::move(online)};
  absl::MutexLock lock(&mu_);
  auto [it, inserted] = runs_.try_emplace(
      id, Entry{stream, ClientStartTicks(request.process().pid()).value_or(0), std::move(facts),
                /*client_streams=*/0, /*silent_since=*/absl::Now()});
  if (!inserted) return absl::AlreadyExistsError(absl::StrCat("run ", id, " is already live"));
  log_->Info("registry: run %s opened for pid %d in %s", id, request.process().pid(),
             stream->dir().run_dir);
  return stream;
}

absl::StatusOr<std::shared_ptr<Stream>> RunRegistry::Find(const std::string& run_id) {
  absl::MutexLock lock(&mu_);
  auto it = runs_.find(run_id);
  if (it == runs_.end()) return absl::NotFoundError(absl::StrCat("no live run ", run_id));
  return it->second.stream;
}

absl::StatusOr<FinishRunResponse> RunRegistry::Finish(const std::string& run_id,
                                                      std::optional<int> exit_code,
                                                      uint64_t last_seq, absl::Duration timeout) {
  absl::StatusOr<std::shared_ptr<Stream>> stream = Find(run_id);
  if (!stream.ok()) return stream.status();
  {
    absl::MutexLock lock(&mu_);
    if (auto it = runs_.find(run_id); it != runs_.end()) it->second.facts.finishing = true;
  }
  absl::StatusOr<FinishRunResponse> response = (*stream)->Finish(exit_code, last_seq, timeout);
  if (absl::IsFailedPrecondition(response.status())) return response;  // someone else finishes
  absl::MutexLock lock(&mu_);
  runs_.erase(run_id);
  finished_.push_back(*std::move(stream));
  log_->Info("registry: run %s finished (%s)", run_id, response.status().ToString());
  return response;
}

void RunRegistry::ClientStreamOpened(const std::string& run_id) {
  absl::MutexLock lock(&mu_);
  if (auto it = runs_.find(run_id); it != runs_.end()) ++it->second.client_streams;
}

void RunRegistry::ClientStreamClosed(const std::string& run_id) {
  absl::MutexLock lock(&mu_);
  if (auto it = runs_.find(run_id); it != runs_.end() && it->second.client_streams > 0) {
    if (--it->second.client_streams == 0) it->second.silent_since = absl::Now();
  }
}

// Why the client of `entry` is gone, or nothing while it may be alive.
std::optional<std::string> RunRegistry::ClientGone(const Entry& entry, absl::Time now) const {
  if (entry.facts.finishing) return std::nullopt;  // it ended its stream to finish
  // Its stream: a process that dies closes its socket, whatever its pid or pid namespace.
  if (entry.client_streams == 0 && now - entry.silent_since >= kClientSilence) {
    return absl::StrCat("no record stream from its client for ",
                        absl::FormatDuration(now - entry.silent_since));
  }
  // Its pid, sooner where the pid tells (in this daemon's pid namespace, not recycled).
  std::optional<uint64_t> ticks = ClientStartTicks(entry.stream->client_pid());
  if (!ticks.has_value()) return std::nullopt;  // cannot tell now; look again next round
  if (*ticks == 0 || (entry.client_start_ticks != 0 && *ticks != entry.client_start_ticks)) {
    return absl::StrCat("process ", entry.stream->client_pid(), " is gone");
  }
  return std::nullopt;
}

int RunRegistry::ReapOrphans() {
  std::vector<std::pair<std::string, std::string>> orphans;  // id, why
  {
    absl::MutexLock lock(&mu_);
    absl::Time now = absl::Now();
    for (const auto& [id, entry] : runs_) {
      if (std::optional<std::string> why = ClientGone(entry, now)) orphans.emplace_back(id, *why);
    }
  }
  for (const auto& [id, why] : orphans) {
    log_->Warning("registry: the client of run %s is gone (%s); finishing it as crashed", id, why);
    if (absl::StatusOr<std::shared_ptr<Stream>> s = Find(id); s.ok()) {
      (*s)->debug_log().Warning("stream: the client died without finishing the run (%s)", why);
    }
    // Whatever reached the daemon is all there will be: do not wait for more batches.
    Finish(id, /*exit_code=*/std::nullopt, /*last_seq=*/0, absl::ZeroDuration()).IgnoreError();
  }
  return static_cast<int>(orphans.size());
}

void RunRegistry::FinishAll() {
  std::vector<std::string> ids;
  {
    absl::MutexLock lock(&mu_);
    for (const auto& [id, entry] : runs_) ids.push_back(id);
  }
  for (const std::string& id : ids) {
    Finish(id, /*exit_code=*/std::nullopt, 0, absl::ZeroDuration()).IgnoreError();
  }
}

void RunRegistry::DetachAll() {
  absl::flat_hash_map<std::string, Entry> runs;
  {
    absl::MutexLock lock(&mu_);
    runs.swap(runs_);
  }
  for (auto& [id, entry] : runs) {
    entry.stream->debug_log().Info(
        "stream: the daemon is stopping; the run is left to its training process to re-attach");
    log_->Info("registry: run %s handed over to its training process (pid %d)", id,
               entry.stream->client_pid());
    // The last references: the stream's stages drain their queues in order (every batch
    // received is written) and the log and directory lock are released.
    entry.facts.stream.reset();
    entry.stream.reset();
  }
}

void RunRegistry::ReleaseFinished() {
  std::vector<std::shared_ptr<Stream>> finished;
  {
    absl::MutexLock lock(&mu_);
    finished.swap(finished_);
  }
  // Destroyed here, outside the lock.
}

std::vector<RunRegistry::LiveRunFacts> RunRegistry::Snapshot() {
  std::vector<LiveRunFacts> runs;
  {
    absl::MutexLock lock(&mu_);
    for (const auto& [id, entry] : runs_) runs.push_back(entry.facts);
  }
  std::sort(runs.begin(), runs.end(), [](const LiveRunFacts& a, const LiveRunFacts& b) {
    return a.started != b.started ? a.started < b.started : a.key.id < b.key.id;
  });
  return runs;
}

absl::StatusOr<RunRegistry::LiveRunFacts> RunRegistry::Facts(const std::string& run_id) {
  absl::MutexLock lock(&mu_);
  auto it = runs_.find(run_id);
  if (it == runs_.end()) return absl::NotFoundError(absl::StrCat("no live run ", run_id));
  return it->second.facts;
}

int RunRegistry::size() {
  absl::MutexLock lock(&mu_);
  return static_cast<int>(runs_.size());
}

}  // namespace wandb::service
