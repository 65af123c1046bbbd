#include "service/stream/stream.h"

#include <filesystem>

#include "absl/strings/str_cat.h"
#include "absl/time/time.h"
#include "common/run/run_id.h"
#include "service/backend/backend.h"
#include "service/stream/record_checks.h"

namespace wandb::service {

namespace {

// The run's directory for `start`, one second later for each directory of the same name that
// already holds a log: a run resumed within the second its earlier part started must not
// write over that part's log.
RunDirectory FreeRunDirectory(const StartRunRequest& request, absl::Time start) {
  for (;;) {
    RunDirectory dir = RunDirectory::For(request.root_dir(), request.mode() == MODE_OFFLINE, start,
                                         request.run().run_id());
    std::error_code ec;
    if (!std::filesystem::exists(dir.log_path, ec)) return dir;
    start += absl::Seconds(1);
  }
}

}  // namespace

absl::StatusOr<std::unique_ptr<Stream>> Stream::Open(const StartRunRequest& request,
                                                     std::shared_ptr<Backend> backend,
                                                     std::optional<ReattachPoint> reattach,
                                                     std::shared_ptr<Backend> online) {
  const records::RunRecord& run = reattach ? reattach->run : request.run();
  if (absl::Status s = ValidateRunId(run.run_id()); !s.ok()) return s;
  if (request.root_dir().empty() || request.root_dir()[0] != '/') {
    return absl::InvalidArgumentError("root_dir must be an absolute path");
  }
  // A resumed run's start time lies in the past (moved back by its runtime so far): its new
  // directory is named for now, as wandb names it.
  absl::Time start = run.resumed() ? absl::Now()
                                   : absl::FromUnixSeconds(run.start_time().seconds()) +
                                         absl::Nanoseconds(run.start_time().nanos());
  RunDirectory dir = reattach ? reattach->dir : FreeRunDirectory(request, start);
  if (absl::Status s = dir.Create(); !s.ok()) return s;
  absl::StatusOr<FileLock> lock = reattach ? absl::StatusOr<FileLock>(std::move(reattach->lock))
                                           : FileLock::TryAcquire(dir.lock_path);
  if (!lock.ok()) {
    return absl::AlreadyExistsError(absl::StrCat(
        "run ", run.run_id(), " is being written by another daemon: ", lock.status().message()));
  }
  absl::StatusOr<std::unique_ptr<txlog::LogWriter>> log =
      reattach ? txlog::LogWriter::OpenForAppend(dir.log_path, reattach->cut.offset)
               : txlog::LogWriter::Create(dir.log_path);
  if (!log.ok()) return log.status();
  absl::StatusOr<std::unique_ptr<LogCutFile>> cut_file = LogCutFile::Open(LogCutPath(dir));
  Parts parts{.run = run,
              .dir = dir,
              .lock = *std::move(lock),
              .log = *std::move(log),
              .cut_file = cut_file.ok() ? *std::move(cut_file) : nullptr,
              .cut_file_problem = cut_file.status(),
              .reattach = std::move(reattach)};
  return std::unique_ptr<Stream>(
      new Stream(request, std::move(backend), std::move(online), std::move(parts)));
}

Stream::Stream(const StartRunRequest& request, std::shared_ptr<Backend> backend,
               std::shared_ptr<Backend> online, Parts parts)
    : run_id_(parts.run.run_id()),
      dir_(parts.dir),
      client_pid_(request.process().pid()),
      lock_(std::move(parts.lock)),
      run_(parts.run) {
  const RunDirectory& dir = dir_;
  const records::RunRecord& run = run_;
  std::optional<ReattachPoint>& reattach = parts.reattach;
  debug_log_.Open(dir.logs_dir + "/debug-internal.log");
  debug_log_.Info("stream: run %s of project '%s' from pid %d, log %s", run.run_id(), run.project(),
                  request.process().pid(), dir.log_path);
  if (absl::Status s = dir.LinkAsLatest(); !s.ok()) debug_log_.Warning("stream: %s", s.ToString());
  if (!parts.cut_file_problem.ok()) {
    // The run goes on; only a re-attach after a daemon crash would miss it.
    debug_log_.Warning("stream: %s", parts.cut_file_problem.ToString());
  }

  sender_ = std::make_unique<Sender>(std::move(backend), dir.log_path, dir.run_dir, dir.files_dir,
                                     &debug_log_, std::move(online));
  writer_ = std::make_unique<Writer>(
      Writer::Options{.dir = dir,
                      .log = std::move(parts.log),
                      .sender = sender_.get(),
                      .debug_log = &debug_log_,
                      .fsync_batches = request.fsync_batches(),
                      .cut_file = std::move(parts.cut_file),
                      .resumed = reattach ? std::optional<LogCut>(reattach->cut) : std::nullopt});
  Handler::Options handler{
      .run = run, .writer = writer_.get(), .debug_log = &debug_log_, .resumed = std::nullopt};
  if (reattach) {
    // The log already opens the run: it goes on from the cut, with the batch after it.
    debug_log_.Info(
        "stream: re-attached after batch %d (%d entries of the next one, %d "
        "history rows, next step %d), log cut back to %d bytes",
        reattach->cut.whole_seq(), reattach->cut.skip, reattach->rows, run.starting_step(),
        reattach->cut.offset);
    handler.resumed = Handler::Resumed{.rows = reattach->rows,
                                       .sampled = std::move(reattach->sampled),
                                       .seq = reattach->cut.next_seq,
                                       .skip = reattach->cut.skip};
    absl::MutexLock received(&mu_);
    received_seq_ = reattach->cut.whole_seq();
    seq_gap_allowed_ = true;
  } else {
    std::vector<WriterItem> open;
    open.push_back(OpenRun{run});
    writer_->Submit(&open);
  }
  handler_ = std::make_unique<Handler>(std::move(handler));
  sender_->Start();
  writer_->Start();
  handler_->Start();
  if (!reattach) {
    // After OpenRun: what it finds follows the run's opening records in the log.
    probe_ = std::make_unique<MetadataProbe>(
        MetadataProbe::Options{.run = run,
                               .process = request.process(),
                               .root_dir = std::filesystem::path(dir.wandb_dir).parent_path(),
                               .save_code = request.save_code(),
                               .disable_git = request.disable_git()},
        writer_.get());
  }
  if (!request.system_metrics().disabled()) StartSystemMonitor(request.system_metrics());
}

Stream::~Stream() {
  monitor_.reset();  // the handler's one producer besides Publish(): stopped first
  probe_.reset();    // the writer's one producer besides the handler
  handler_.reset();
  writer_.reset();
  sender_.reset();
  debug_log_.Info("stream: closed");
}

void Stream::StartSystemMonitor(const SystemMetricsOptions& options) {
  auto make_sampler = [pid = client_pid_] {
    return std::make_unique<SystemSampler>(
        SystemSampler::Options{.pid = pid, .nvml = Nvml::Get()});  // on the monitor's thread
  };
  Handler* handler = handler_.get();
  monitor_ = std::make_unique<SystemMonitor>(
      make_sampler, SystemMonitor::FromRequest(options),
      [handler](records::StatsRecord stats) { handler->Submit(SystemStats{std::move(stats)}); },
      &debug_log_);
  monitor_->Start();
}

void Stream::AllowSeqGap() {
  absl::MutexLock lock(&mu_);
  seq_gap_allowed_ = true;
}

absl::Status Stream::Publish(RecordBatch batch) {
  uint64_t seq = batch.seq();
  uint64_t received = 0;
  {
    absl::MutexLock lock(&mu_);
    received = received_seq_;
    if (absl::Status s = CheckBatchSeq(received, seq, seq_gap_allowed_); !s.ok()) {
      debug_log_.Warning("stream: refused a batch: %s", s.ToString());
      return s;
    }
  }
  if (received >= kMaxBatchesInFlight &&
      !writer_->WaitTaken(received - kMaxBatchesInFlight + 1, absl::Seconds(10))) {
    debug_log_.Warning("stream: the writer is 10 s behind batch %d; taking more anyway", received);
  }
  // Read and checked here, on the receiving thread, in parallel with the handler.
  auto decoded = std::make_unique<DecodedBatch>(std::move(batch));
  // Marking the batch received and queueing it is one step: a query that waits for this
  // batch must find it ahead of itself in the handler's queue.
  absl::MutexLock lock(&mu_);
  if (seq <= received_seq_) return absl::OkStatus();  // a resend of something already handled
  received_seq_ = seq;
  seq_gap_allowed_ = false;
  if (!handler_->Submit(IncomingBatch{std::move(decoded)})) {
    debug_log_.Warning("stream: batch %d arrived after the run finished; dropped", seq);
  }
  return absl::OkStatus();
}

bool Stream::WaitDurable(uint64_t seq, absl::Duration timeout) {
  absl::Time deadline = absl::Now() + timeout;
  return WaitReceived(seq, timeout) && writer_->WaitDurable(seq, deadline - absl::Now());
}

uint64_t Stream::ReceivedSeq() {
  absl::MutexLock lock(&mu_);
  return received_seq_;
}

bool Stream::WaitReceived(uint64_t seq, absl::Duration timeout) {
  absl::MutexLock lock(&mu_);
  auto arrived = [this, seq]() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) { return received_seq_ >= seq; };
  return mu_.AwaitWithTimeout(absl::Condition(&arrived), timeout);
}

template <typename Query, typename Response>
absl::StatusOr<Response> Stream::Ask(uint64_t after_seq, absl::Duration timeout) {
  if (!WaitReceived(after_seq, timeout)) {
    return absl::DeadlineExceededError(
        absl::StrCat("batch ", after_seq, " of run ", run_id_, " has not arrived"));
  }
  auto reply = std::make_shared<std::promise<Response>>();
  std::future<Response> answer = reply->get_future();
  if (!handler_->Submit(Query{reply})) {
    return absl::FailedPreconditionError(absl::StrCat("run ", run_id_, " has finished"));
  }
  if (answer.wait_for(absl::ToChronoMilliseconds(timeout)) != std::future_status::ready) {
    return absl::DeadlineExceededError(absl::StrCat("run ", run_id_, " did not answer"));
  }
  return answer.get();
}

absl::StatusOr<GetSummaryResponse> Stream::GetSummary(uint64_t after_seq, absl::Duration timeout) {
  return Ask<SummaryQuery, GetSummaryResponse>(after_seq, timeout);
}

absl::StatusOr<SampledHistoryResponse> Stream::GetSampledHistory(uint64_t after_seq,
                                                                 absl::Duration timeout) {
  return Ask<SampledHistoryQuery, SampledHistoryResponse>(after_seq, timeout);
}

absl::StatusOr<FinishRunResponse> Stream::Finish(std::optional<int> exit_code, uint64_t last_seq,
                                                 absl::Duration timeout) {
  if (finishing_.exchange(true)) {
    return absl::FailedPreconditionError(absl::StrCat("run ", run_id_, " is already finishing"));
  }
  if (!WaitReceived(last_seq, timeout)) {
    // Finish anyway: keeping what did arrive beats keeping nothing.
    debug_log_.Warning("stream: finishing without batches after %d (expected up to %d)",
                       durable_seq(), last_seq);
  }
  // Read once: the exit record and the backend's run state both follow from this decision.
  bool stop_requested = this->stop_requested();
  RunEnd end = DecideRunEnd(exit_code, stop_requested);
  debug_log_.Info("stream: finishing with exit code %d (the program's: %s%s)", end.exit_code,
                  exit_code.has_value() ? absl::StrCat(*exit_code) : "none",
                  stop_requested ? "; a stop was requested" : "");
  auto reply = std::make_shared<FinishPromise>();
  std::future<absl::StatusOr<FinishRunResponse>> done = reply->get_future();
  FinishRequest finish;
  finish.end = end;
  finish.reply = reply;
  finish.deadline = absl::Now() + timeout;
  // The probe's files go in before the exit record.
  if (probe_ != nullptr) probe_->Wait();
  // wandb's FLUSH_STATS: the sampler stops first, and its last record goes in with the exit.
  if (monitor_ != nullptr) finish.final_stats = monitor_->Stop();
  if (!handler_->Submit(std::move(finish))) {
    return absl::FailedPreconditionError(absl::StrCat("run ", run_id_, " has finished"));
  }
  absl::StatusOr<FinishRunResponse> response = done.get();
  lock_.reset();  // everything is written: a resumed part may take the directory's name
  if (response.ok()) {
    response->set_run_dir(dir_.run_dir);
    // The sender is done: every artifact in the log was committed or refused.
    sender_->CopyArtifactOutcomes(&*response);
  }
  debug_log_.Info("stream: finished (%s)", response.status().ToString());
  return response;
}

}  // namespace wandb::service
