#include "client/src/run_status_checker.h"

#include <signal.h>
#include <unistd.h>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "common/protocol.h"

namespace wandb::internal {
namespace {

// Whether the program catches SIGINT itself. Not at SIG_DFL, which would kill it at once with
// rows still queued, nor at SIG_IGN (nohup, a shell script's background job), which would
// never stop it.
bool ProgramHandlesSigint() {
  struct sigaction current = {};
  if (sigaction(SIGINT, nullptr, &current) != 0) return false;
  if ((current.sa_flags & SA_SIGINFO) != 0) return current.sa_sigaction != nullptr;
  return current.sa_handler != SIG_DFL && current.sa_handler != SIG_IGN;
}

}  // namespace

RunStatusChecker::RunStatusChecker(ConnectionFn connection, std::string run_id, Options options,
                                   const Console* console, Logger* debug_log)
    : connection_(std::move(connection)),
      run_id_(std::move(run_id)),
      options_(std::move(options)),
      console_(console),
      debug_log_(debug_log) {}

RunStatusChecker::~RunStatusChecker() { Stop(); }

void RunStatusChecker::Start() {
  thread_ = std::thread([this] { Loop(); });
}

void RunStatusChecker::Stop() {
  {
    absl::MutexLock lock(&mu_);
    stopping_ = true;
  }
  wake_.SignalAll();
  if (thread_.joinable() && thread_.get_id() != std::this_thread::get_id()) thread_.join();
}

void RunStatusChecker::Loop() {
  while (!WaitInterval()) Poll();
}

bool RunStatusChecker::WaitInterval() {
  absl::MutexLock lock(&mu_);
  absl::Time deadline = absl::Now() + absl::FromChrono(options_.interval);
  while (!stopping_) {
    if (wake_.WaitWithDeadline(&mu_, deadline)) break;
  }
  return stopping_;
}

void RunStatusChecker::Poll() {
  service::RunQuery query;
  query.set_protocol_version(kProtocolVersion);
  query.set_run_id(run_id_);
  grpc::ClientContext context;
  context.set_deadline(std::chrono::system_clock::now() + options_.interval +
                       std::chrono::seconds(5));
  service::StopStatusResponse response;
  grpc::Status status = connection_()->stub().StopStatus(&context, query, &response);
  if (!status.ok()) {
    // The daemon's own troubles are the outbox's to report; polling just tries again.
    debug_log_->Warning("run status: %s", status.error_message());
    return;
  }
  if (response.backend_problem() != last_problem_) {
    last_problem_ = response.backend_problem();
    if (!last_problem_.empty()) {
      console_->Warning(absl::StrCat("run ", run_id_, ": the local store is not keeping up: ",
                                     last_problem_, " (the run's log has everything)"));
    }
  }
  if (response.log_problem() != last_log_problem_) {
    if (!response.log_problem().empty()) {
      console_->Warning(absl::StrCat(
          "run ", run_id_, ": the daemon cannot write the run's log: ", response.log_problem()));
    } else {
      console_->Info(absl::StrCat("run ", run_id_, ": the run's log is written again"));
    }
    last_log_problem_ = response.log_problem();
  }
  NoteUpload(response.upload_problem());
  if (response.run_should_stop() && !stop_requested_.exchange(true)) OnStopRequested();
}

void RunStatusChecker::NoteUpload(const std::string& problem) {
  // The wait changes with every attempt ("retrying in 2 s", "in 4 s"): one line per trouble.
  std::string stem = problem.substr(0, problem.find("; retrying in"));
  if (stem == last_upload_problem_) return;
  auto now = std::chrono::steady_clock::now();
  if (stem.empty()) {
    double seconds = std::chrono::duration<double>(now - retrying_since_).count();
    console_->Info(absl::StrCat(
        "W&B: the upload is caught up after ",
        absl::FormatDuration(absl::Trunc(absl::Seconds(seconds), absl::Milliseconds(100))),
        " of retries; nothing was lost"));
  } else {
    if (last_upload_problem_.empty()) retrying_since_ = now;
    console_->Warning(
        absl::StrCat("W&B: ", problem, " (the run goes on; its log keeps what is not sent yet)"));
  }
  last_upload_problem_ = std::move(stem);
}

void RunStatusChecker::OnStopRequested() {
  debug_log_->Info("run status: a stop was requested");
  console_->Info(absl::StrCat("run ", run_id_, ": a stop was requested; stopping"));
  if (options_.on_stop) {
    options_.on_stop();
  } else if (options_.interrupt) {
    if (ProgramHandlesSigint() || !options_.end_process) {
      kill(getpid(), SIGINT);  // as Ctrl-C: programs that handle it stop cleanly
    } else {
      options_.end_process();
    }
  }
}

}  // namespace wandb::internal
