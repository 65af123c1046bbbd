#include "service/stream/sender.h"

namespace wandb::service {

Sender::Sender(std::shared_ptr<Backend> backend, const std::string& log_path,
               const std::string& run_dir, const std::string& files_dir, Logger* log,
               std::shared_ptr<Backend> online)
    : backend_(std::move(backend)),
      log_(log),
      files_(backend_->wants_data() ? std::make_unique<RunFiles>(files_dir, backend_.get(), log)
                                    : nullptr),
      replayer_(log_path, run_dir, backend_.get(),
                [this](const records::FilesRecord& record) {
                  if (files_ != nullptr) files_->OnFilesRecord(record);
                }),
      online_(online != nullptr ? std::make_unique<UploadLane>(std::move(online), log_path, run_dir,
                                                               files_dir, log)
                                : nullptr) {
  replayer_.set_on_artifact(
      [this](const std::string& client_id, const absl::StatusOr<ArtifactLogged>& outcome) {
        if (!outcome.ok()) log_->Warning("sender: artifact: %s", outcome.status().ToString());
        artifacts_.Record(client_id, outcome);
      });
  replayer_.set_on_run_stored([this] {
    if (!run_stored_.HasBeenNotified()) run_stored_.Notify();
  });
}

ArtifactStatusResponse Sender::artifact_status(const std::string& client_id) const {
  // Online, W&B's answer; the local store's (if the run goes there) only says what it kept.
  if (online_ != nullptr) {
    return WithOnline(artifacts_.Get(client_id), online_->artifact_status(client_id),
                      /*upload_over=*/false);
  }
  if (!backend_->wants_data()) {
    ArtifactStatusResponse offline;
    offline.set_state(ArtifactStatusResponse::OFFLINE);
    return offline;
  }
  return artifacts_.Get(client_id);
}

void Sender::CopyArtifactOutcomes(FinishRunResponse* response) const {
  artifacts_.CopyTo(response);
  if (online_ == nullptr) return;
  // Every artifact either side knows of (a run kept out of the store has only W&B's).
  FinishRunResponse uploaded;
  online_->CopyArtifactOutcomes(&uploaded);
  for (const auto& [client_id, outcome] : uploaded.artifacts()) {
    response->mutable_artifacts()->insert({client_id, ArtifactStatusResponse()});
  }
  for (auto& [client_id, outcome] : *response->mutable_artifacts()) {
    outcome = WithOnline(outcome, online_->artifact_status(client_id), /*upload_over=*/true);
  }
}

Sender::~Sender() {
  queue_.Close();
  if (thread_.joinable()) thread_.join();
}

void Sender::Start() {
  if (files_ != nullptr) files_->Start();
  if (online_ != nullptr) online_->Start();
  thread_ = std::thread([this] { Loop(); });
}

void Sender::Loop() {
  std::vector<SenderItem> items;
  // The first answer at once: a resumed or re-attached run may have been asked to stop.
  PollStop();
  while (queue_.PopAllFor(&items, std::min(next_stop_poll_, next_catch_up_) - absl::Now())) {
    for (SenderItem& item : items) {
      if (auto* finish = std::get_if<SendFinish>(&item)) {
        Finish(*finish);
        queue_.Close();  // a finished run sends nothing more
        return;
      }
    }
    // Any number of LogAdvanced notes mean one thing: read on to the end of the log.
    if (!items.empty() || absl::Now() >= next_catch_up_) CatchUp();
    if (absl::Now() >= next_stop_poll_) PollStop();
  }
}

void Sender::PollStop() {
  absl::StatusOr<bool> stop = backend_->StopRequested();
  Note(stop.status());  // a failure leaves the last answer standing
  if (stop.ok()) stop_requested_.store(*stop, std::memory_order_release);
  next_stop_poll_ = absl::Now() + backend_->stop_poll_interval();
}

std::string Sender::problem() const {
  absl::MutexLock lock(&problem_mu_);
  return problem_;
}

void Sender::CatchUp() {
  if (!backend_->wants_data()) return;  // the lane alone reads the log
  // Only until the next stop poll is due: a program that logs faster than the backend takes
  // rows would otherwise keep this call reading for as long as it logs, and a stop request
  // would never be read (nor the summary sent).
  absl::StatusOr<bool> at_end = replayer_.CatchUpUntil(next_stop_poll_);
  absl::Status status = at_end.status();
  Note(status);
  if (!status.ok()) {
    next_catch_up_ = absl::Now() + kRetryInterval;
  } else {
    next_catch_up_ = *at_end ? absl::InfiniteFuture() : absl::Now();  // more: read on at once
  }
  // The log's own corruption (a damaged disk) is skipped by the reader; say so once per place.
  if (!replayer_.corruption().empty()) Note(absl::DataLossError(replayer_.corruption().Summary()));
  absl::MutexLock lock(&problem_mu_);
  problem_ = status.ok() ? "" : std::string(status.message());
  absl::Time now = absl::Now();
  if (now - last_summary_ >= kSummaryInterval) {
    Note(replayer_.SendSummary());
    last_summary_ = now;
  }
}

void Sender::Finish(SendFinish& finish) {
  // The upload to W&B finishes on its own thread meanwhile, within the same deadline.
  if (online_ != nullptr) online_->Finish(finish.end, finish.deadline);
  if (backend_->wants_data()) {
    // A backend that fails now may recover (space freed under the store): until the deadline.
    absl::Status caught = replayer_.CatchUp();
    while (!caught.ok() && absl::Now() + kRetryInterval < finish.deadline) {
      Note(caught);
      absl::SleepFor(kRetryInterval);
      caught = replayer_.CatchUp();
    }
    Note(caught);
    Note(replayer_.SendSummary());
    FilesSummary files = files_->Finish(finish.deadline);
    finish.response.set_files_uploaded(files.files_uploaded);
    finish.response.set_bytes_uploaded(files.bytes_uploaded);
    finish.response.set_files_failed(files.files_failed);
    int runtime = replayer_.exit_runtime().value_or(0);
    // The run's recorded end claims no more than its log holds: an exit record the log could
    // not take (a disk that stayed full) makes it a run that ended without one. A backend
    // that never took the whole log is not told the run ended: the run stays running there,
    // and a later daemon's orphan recovery completes it from the log.
    RunEnd end = finish.end;
    if (!replayer_.exit_code().has_value()) {
      end = DecideRunEnd(std::nullopt, end.outcome == RunOutcome::kStopped);
    }
    if (caught.ok()) Note(backend_->FinishRun(end, absl::Seconds(runtime)));
  }
  if (online_ != nullptr) {
    UploadLane::Outcome online = online_->Wait(finish.deadline);
    finish.response.set_online_url(online.url);
    finish.response.set_online_problem(online.problem);
  }
  if (!finish.writer_status.ok()) {
    finish.reply->set_value(finish.writer_status);
  } else {
    finish.reply->set_value(std::move(finish.response));
  }
}

void Sender::Note(const absl::Status& status) {
  if (status.ok() || status == last_error_) return;
  // A backend that is down repeats itself: report each new problem once.
  last_error_ = status;
  log_->Warning("sender: %s", status.ToString());
}

}  // namespace wandb::service
