#include "service/server/run_registry.h"

#include <signal.h>

#include <algorithm>
#include <sstream>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "common/util/read_file.h"
#include "service/recovery/reattach.h"
#include "service/recovery/resume.h"

namespace wandb::service {

std::optional<uint64_t> ProcessStartTicks(int64_t pid) {
  if (pid <= 0) return 0;
  absl::StatusOr<std::string> read = ReadFileToString(absl::StrCat("/proc/", pid, "/stat"));
  if (absl::IsNotFound(read.status())) return 0;
  if (!read.ok()) return std::nullopt;  // e.g. out of descriptors: no verdict
  const std::string& stat = *read;
  // The command name (field 2) may hold spaces and parentheses: count fields after its end.
  size_t close = stat.rfind(')');
  if (close == std::string::npos) return 0;
  std::vector<absl::string_view> fields =
      absl::StrSplit(absl::string_view(stat).substr(close + 2), ' ');
  // fields[0] is field 3 (state); field 22 (starttime) is fields[19].
  if (fields.size() < 20 || fields[0] == "Z" || fields[0] == "X") return 0;
  uint64_t ticks = 0;
  std::istringstream(std::string(fields[19])) >> ticks;
  return ticks;
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
  absl::StatusOr<std::unique_ptr<Stream>> opened =
      Stream::Open(start, *std::move(backend), std::move(reattach));
  if (!opened.ok()) return opened.status();
  std::shared_ptr<Stream> stream = *std::move(opened);
  const records::RunRecord& run = start.run();
  LiveRunFacts facts{.stream = stream,
                     .key = RunKeyOf(start),
                     .display_name = run.display_name(),
                     .mode = request.mode(),
                     .store_dir = request.mode() == MODE_LOCAL ? request.store_dir() : "",
                     .started = absl::FromUnixSeconds(run.start_time().seconds()) +
                                absl::Nanoseconds(run.start_time().nanos())};
  absl::MutexLock lock(&mu_);
  auto [it, inserted] = runs_.try_emplace(
      id, Entry{stream, ProcessStartTicks(request.process().pid()).value_or(0), std::move(facts)});
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

int RunRegistry::ReapOrphans() {
  std::vector<std::string> orphans;
  {
    absl::MutexLock lock(&mu_);
    for (const auto& [id, entry] : runs_) {
      std::optional<uint64_t> ticks = ProcessStartTicks(entry.stream->client_pid());
      if (!ticks.has_value()) continue;  // cannot tell now; look again next round
      if (*ticks == 0 || (entry.client_start_ticks != 0 && *ticks != entry.client_start_ticks)) {
        orphans.push_back(id);
      }
    }
  }
  for (const std::string& id : orphans) {
    log_->Warning("registry: the process of run %s is gone; finishing it as crashed", id);
    if (absl::StatusOr<std::shared_ptr<Stream>> s = Find(id); s.ok()) {
      (*s)->debug_log().Warning("stream: client process died without finishing the run");
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

int RunRegistry::size() {
  absl::MutexLock lock(&mu_);
  return static_cast<int>(runs_.size());
}

}  // namespace wandb::service
