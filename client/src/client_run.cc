#include "client/src/client_run.h"

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <thread>

#include <pthread.h>
#include <signal.h>
#include <time.h>
#include <unistd.h>

#include "absl/strings/str_cat.h"
#include "client/src/artifact/artifact_record_builder.h"
#include "client/src/media/media_check.h"
#include "client/src/plot/chart_row.h"
#include "client/src/process_info.h"
#include "client/src/run_banner.h"
#include "client/src/save_glob.h"
#include "client/src/start_request.h"
#include "common/artifact/artifact_names.h"
#include "common/artifact/artifact_ref.h"
#include "common/protocol.h"
#include "common/value/json.h"
#include "common/value/validation.h"

namespace wandb::internal {
namespace {

constexpr auto kQueryTimeout = std::chrono::seconds(10);
// use_artifact(): the daemon may wait for the run to reach its store first.
constexpr auto kUseArtifactTimeout = std::chrono::seconds(60);

// The row's time, taken in log(): clock_gettime is the cheapest wall clock.
double WallSeconds() {
  timespec ts;
  clock_gettime(CLOCK_REALTIME, &ts);
  return static_cast<double>(ts.tv_sec) + static_cast<double>(ts.tv_nsec) * 1e-9;
}

void SetPath(records::SummaryItem* item, const std::vector<std::string>& path) {
  if (path.size() == 1) {
    item->set_key(path[0]);
  } else {
    for (const std::string& k : path) item->add_nested_key(k);
  }
}

records::FilesItem::PolicyType PolicyFor(Policy policy) {
  switch (policy) {
    case Policy::kNow:
      return records::FilesItem::NOW;
    case Policy::kEnd:
      return records::FilesItem::END;
    case Policy::kLive:
      break;
  }
  return records::FilesItem::LIVE;
}

// wandb's exit code of a run stopped from outside.
constexpr int kStoppedExitCode = 255;

}  // namespace

const std::string ClientRun::kNoDir;

ClientRun::ClientRun(ResolvedSettings settings)
    : settings_(std::move(settings)),
      owner_pid_(getpid()),
      console_(settings_.silent),
      config_(settings_.config) {}

// The registry finishes runs before this; a run reached here unfinished was never started.
// Members go in reverse order: the capture and the status checker, which use the outbox,
// before the link that owns it; the debug log last.
ClientRun::~ClientRun() = default;

std::shared_ptr<ClientRun> ClientRun::Disabled(ResolvedSettings settings) {
  return std::shared_ptr<ClientRun>(new ClientRun(std::move(settings)));
}

absl::StatusOr<std::shared_ptr<ClientRun>> ClientRun::Start(ResolvedSettings settings) {
  std::shared_ptr<ClientRun> run(new ClientRun(std::move(settings)));
  if (absl::Status s = run->StartOnDaemon(); !s.ok()) return s;
  run->StartConsoleCapture();
  run->StartStatusChecker();
  return run;
}

absl::Status ClientRun::StartOnDaemon() {
  DaemonLink::Options options;
  options.run_id = settings_.run_id;
  options.timeout = settings_.init_timeout;
  options.resend_buffer = settings_.resend_buffer;
  options.queue_limit = settings_.queue_limit;
  options.media_queue = settings_.media_queue;
  link_ = std::make_unique<DaemonLink>(std::move(options), &console_, &debug_log_);
  absl::StatusOr<service::StartRunResponse> started =
      link_->Start(BuildStartRequest(settings_, CurrentProcessInfo(), absl::Now()));
  if (!started.ok()) return started.status();
  step_warnings_ =
      std::make_unique<StepWarnings>(started->run().resumed() ? started->run().starting_step() : 0);
  if (started->run().resumed()) {
    config_.Adopt(started->run().config());
    NoteFeature(Feature::kResumed);
  }
  media_reporter_ = std::make_unique<MediaReporter>(settings_.run_id, &console_, &debug_log_);
  // Online, a table's JSON points at its run_table artifact by client id, which W&B resolves
  // (the artifact's CreateArtifact names it), as wandb 0.12 writes it only online.
  media_ = std::make_unique<MediaResolver>(
      dir() + "/files", &media_reporter_->reporter(),
      RunIdentity{settings_.run_id, settings_.entity, settings_.project,
                  /*online=*/settings_.mode == Mode::kOnline});
  outbox().SetMedia(media_.get(), started->run().starting_step());
  WriteResumeFile();
  for (const std::string& line : StartBanner(settings_, *started)) console_.Info(line);
  for (const std::string& warning : settings_.warnings) console_.Warning(warning);
  return absl::OkStatus();
}

void ClientRun::WriteResumeFile() const {
  if (settings_.resume_file.empty()) return;
  std::ofstream(settings_.resume_file, std::ios::trunc)
      << "{\"run_id\": \"" << settings_.run_id << "\"}";
}

void ClientRun::StartStatusChecker() {
  RunStatusChecker::Options options;
  options.interval = settings_.stop_poll_interval;
  options.on_stop = settings_.on_stop;
  options.interrupt = settings_.interrupt_on_stop;
  options.end_process = [this] { FinishAndEndProcess(); };
  status_checker_ =
      std::make_unique<RunStatusChecker>([this] { return outbox().connection(); }, settings_.run_id,
                                         std::move(options), &console_, &debug_log_);
  status_checker_->Start();
}

void ClientRun::StartConsoleCapture() {
  if (!settings_.console) return;
  ConsoleCapture::Callbacks callbacks;
  callbacks.on_lines = [this](records::OutputRecord::OutputType type, absl::Time time,
                              std::vector<std::string>& lines) { SendOutput(type, time, lines); };
  // A crash: hand the last lines to gRPC before the process dies; the daemon then finishes
  // the run as crashed with them.
  callbacks.on_crash = [this] { outbox().Flush(); };
  absl::StatusOr<std::unique_ptr<ConsoleCapture>> capture =
      ConsoleCapture::Start(dir() + "/files/output.log", std::move(callbacks));
  if (!capture.ok()) {
    // The run goes on without output.log; only its console is not recorded.
    debug_log_.Warning("console capture off: %s", capture.status().ToString());
    console_.Warning(
        absl::StrCat("run ", settings_.run_id,
                     ": stdout and stderr are not recorded: ", capture.status().message()));
    return;
  }
  capture_ = *std::move(capture);
}

void ClientRun::SendOutput(records::OutputRecord::OutputType type, absl::Time time,
                           std::vector<std::string>& lines) {
  int64_t chunk_nanos = absl::ToUnixNanos(time);
  std::vector<records::Record> records(lines.size());
  for (size_t i = 0; i < lines.size(); ++i) {
    std::string& line = lines[i];
    // Each line its own time, strictly increasing: it is how the backend knows a line sent
    // again (a replay, a re-send to a new daemon) from the same text printed twice.
    int64_t nanos = std::max(chunk_nanos, last_output_ns_ + 1);
    last_output_ns_ = nanos;
    records::OutputRecord* output = records[i].mutable_output();
    output->set_output_type(type);
    output->mutable_timestamp()->set_seconds(nanos / 1000000000);
    output->mutable_timestamp()->set_nanos(static_cast<int32_t>(nanos % 1000000000));
    // A finished line ends with '\n', as wandb's records do. Protobuf strings must be UTF-8
    // (the daemon could not parse the batch otherwise); output.log keeps the raw bytes.
    line.push_back('\n');
    if (validation::IsValidUtf8(line)) {
      output->set_line(std::move(line));
    } else {
      output->set_line(validation::ReplaceInvalidUtf8(line));
    }
  }
  outbox().Send(std::move(records));
}

bool ClientRun::stop_requested() const {
  return status_checker_ != nullptr && status_checker_->stop_requested();
}

void ClientRun::NoteFeature(Feature feature) {
  if (!features_.NoteFirst(feature)) return;
  records::Record record;
  *record.mutable_telemetry() = TelemetryFor(feature);
  outbox().Send(std::move(record));
}

bool ClientRun::IgnoredInChild(const char* what) const {
  if (generation_ == ForkGeneration::Current()) return false;
  static std::atomic<uint64_t> warned{0};
  if (warned.exchange(ForkGeneration::Current()) != ForkGeneration::Current()) {
    console_.Warning(absl::StrCat(what, " ignored: run ", settings_.run_id,
                                  " belongs to the process that started it (pid ", owner_pid_,
                                  "), not to this one (pid ", getpid(),
                                  ", forked from it); call wandb::init() in the parent, or "
                                  "exec() a new program to log a run of its own"));
  }
  return true;
}

absl::Status ClientRun::CheckLive(const char* what) const {
  if (!finished_.load()) return absl::OkStatus();
  return absl::FailedPreconditionError(
      absl::StrCat(what, " on run ", settings_.run_id, " after finish()"));
}

void ClientRun::EnterCall() {
  in_calls_.fetch_add(1);
  if (!ending_.load()) return;
  in_calls_.fetch_sub(1);
  for (;;) pause();  // the process ends once the stop's finish is done
}

void ClientRun::FinishAndEndProcess() {
  ending_.store(true);
  // A call half-way through hands its data to the outbox before the outbox closes.
  while (in_calls_.load() > 0) std::this_thread::sleep_for(std::chrono::milliseconds(1));
  console_.Info(absl::StrCat("run ", settings_.run_id,
                             ": the program has no SIGINT handler of its own: finishing the run "
                             "as stopped, then ending the program as Ctrl-C would"));
  // The run stays in the registry, which keeps it alive until the process ends.
  FinishOnce(kStoppedExitCode, /*called=*/false);
  // As Ctrl-C: SIGINT at its default action, raised in this thread, which ends the process.
  signal(SIGINT, SIG_DFL);
  sigset_t sigint;
  sigemptyset(&sigint);
  sigaddset(&sigint, SIGINT);
  pthread_sigmask(SIG_UNBLOCK, &sigint, nullptr);
  raise(SIGINT);
  _exit(128 + SIGINT);  // not reached
}

absl::Status ClientRun::Log(Value::Map data, const LogOptions& options) {
  if (disabled() || IgnoredInChild("log()")) return absl::OkStatus();
  CallScope scope(this);
  if (absl::Status s = CheckLive("log()"); !s.ok()) return s;
  if (absl::Status s = validation::ValidateEntries(data); !s.ok()) return s;
  if (options.step.has_value()) {
    if (absl::Status s = validation::ValidateStep(*options.step); !s.ok()) return s;
  }
  // wandb's rule: a call flushes its row when it commits, or when it gives neither a step
  // nor a commit.
  absl::StatusOr<RowCharts> charts = TakeCharts(data);
  if (!charts.ok()) return charts.status();
  absl::StatusOr<MediaLoad> media = CheckMediaRow(data);
  if (!media.ok()) return media.status();
  for (const std::string& warning : charts->warnings) console_.Warning(warning);
  if (charts->config.update_size() > 0) {
    // Ahead of the row, as wandb sends a chart's panel before its table.
    records::Record record;
    *record.mutable_config() = std::move(charts->config);
    outbox().Send(std::move(record));
  }
  bool flush = options.commit.value_or(!options.step.has_value());
  if (options.step.has_value()) NoteFeature(Feature::kSetStepLog);
  if (std::string warning = step_warnings_->OnLog(settings_.run_id, data, options.step, flush);
      !warning.empty()) {
    console_.Warning(warning);
  }
  LogCall call{std::move(data), options.step, flush, WallSeconds()};
  call.has_media = media->present;
  call.media_bytes = media->bytes;
  outbox().Log(call);
  return absl::OkStatus();
}

absl::Status ClientRun::UpdateConfig(const Value::Map& values, bool allow_val_change) {
  if (disabled() || IgnoredInChild("config update")) return absl::OkStatus();
  CallScope scope(this);
  if (absl::Status s = CheckLive("config update"); !s.ok()) return s;
  if (absl::Status s = validation::ValidateEntries(values); !s.ok()) return s;
  for (const auto& [key, value] : values) {
    if (value.holds_media()) {
      return absl::InvalidArgumentError(absl::StrCat(
          "key '", key, "': media values go in log() or the summary, not in the config"));
    }
  }
  absl::StatusOr<records::ConfigRecord> update = config_.Update(values, allow_val_change);
  if (!update.ok()) return update.status();
  records::Record record;
  *record.mutable_config() = *std::move(update);
  outbox().Send(std::move(record));
  NoteFeature(Feature::kSetConfigItem);
  return absl::OkStatus();
}

absl::Status ClientRun::SetSummary(const std::vector<std::string>& path, Value value) {
  if (disabled() || IgnoredInChild("summary update")) return absl::OkStatus();
  CallScope scope(this);
  if (absl::Status s = CheckLive("summary update"); !s.ok()) return s;
  if (absl::Status s = validation::ValidatePath(path); !s.ok()) return s;
  if (absl::Status s = validation::ValidateValueAt(path, value); !s.ok()) return s;
  absl::StatusOr<MediaLoad> media = CheckMediaSummary(path, value);
  if (!media.ok()) return media.status();
  if (media->present) {
    // Its files are written on the outbox's thread, like a row's.
    outbox().LogSummary(SummaryCall{path, std::move(value), media->bytes});
    NoteFeature(Feature::kSetSummary);
    return absl::OkStatus();
  }
  records::Record record;
  records::SummaryItem* item = record.mutable_summary()->add_update();
  SetPath(item, path);
  item->set_value_json(json::Encode(value));
  outbox().Send(std::move(record));
  NoteFeature(Feature::kSetSummary);
  return absl::OkStatus();
}

absl::Status ClientRun::RemoveSummary(const std::vector<std::string>& path) {
  if (disabled() || IgnoredInChild("summary update")) return absl::OkStatus();
  CallScope scope(this);
  if (absl::Status s = CheckLive("summary update"); !s.ok()) return s;
  if (absl::Status s = validation::ValidatePath(path); !s.ok()) return s;
  records::Record record;
  SetPath(record.mutable_summary()->add_remove(), path);
  outbox().Send(std::move(record));
  return absl::OkStatus();
}

absl::StatusOr<Value::Map> ClientRun::GetSummary() {
  if (disabled() || IgnoredInChild("summary read")) return Value::Map();
  CallScope scope(this);
  if (absl::Status s = CheckLive("summary read"); !s.ok()) return s;
  service::RunQuery query;
  query.set_protocol_version(kProtocolVersion);
  query.set_run_id(settings_.run_id);
  query.set_after_seq(outbox().Flush());
  service::GetSummaryResponse response;
  grpc::Status s = link_->Call([&](ServiceConnection& connection) {
    grpc::ClientContext context;
    context.set_deadline(std::chrono::system_clock::now() + kQueryTimeout);
    return connection.stub().GetSummary(&context, query, &response);
  });
  if (!s.ok()) {
    debug_log_.Warning("summary read failed: %s", s.error_message());
    console_.Warning(absl::StrCat("could not read the summary of run ", settings_.run_id, ": ",
                                  s.error_message()));
    return FromGrpc(s);
  }
  Value result = Value(Value::Map());
  for (const records::SummaryItem& item : response.item()) {
    absl::StatusOr<Value> v = json::Parse(item.value_json());
    if (v.ok()) result.set(item.key(), *std::move(v));
  }
  return result.as_map();
}

absl::StatusOr<bool> ClientRun::Flush() {
  if (disabled()) return true;
  if (IgnoredInChild("flush()")) return false;
  CallScope scope(this);
  if (absl::Status s = CheckLive("flush()"); !s.ok()) return s;
  service::RunQuery query;
  query.set_protocol_version(kProtocolVersion);
  query.set_run_id(settings_.run_id);
  query.set_after_seq(outbox().Flush());
  service::FlushRunResponse response;
  grpc::Status s = link_->Call([&](ServiceConnection& connection) {
    grpc::ClientContext context;
    context.set_deadline(std::chrono::system_clock::now() + settings_.finish_timeout);
    return connection.stub().FlushRun(&context, query, &response);
  });
  if (!s.ok()) {
    // Never thrown into the training loop: the data is still queued, and finish() retries.
    debug_log_.Warning("flush failed: %s", s.error_message());
    console_.Warning(
        absl::StrCat("run ", settings_.run_id,
                     ": could not confirm that the log has everything: ", s.error_message()));
    return false;
  }
  return true;
}

absl::StatusOr<std::vector<std::string>> ClientRun::Save(const std::string& glob,
                                                         const SaveOptions& options) {
  if (disabled() || IgnoredInChild("save()")) return std::vector<std::string>();
  CallScope scope(this);
  if (absl::Status s = CheckLive("save()"); !s.ok()) return s;
  std::error_code ec;
  absl::StatusOr<SaveLinks> links = LinkForSave(
      glob, options.base_path, std::filesystem::current_path(ec).string(), dir() + "/files");
  if (!links.ok()) return links.status();
  if (links->warning.has_value()) console_.Warning(*links->warning);
  records::Record record;
  records::FilesItem* item = record.mutable_files()->add_files();
  item->set_path(links->files_glob);
  item->set_policy(PolicyFor(options.policy));
  outbox().Send(std::move(record));
  NoteFeature(Feature::kSave);
  return links->linked;
}

absl::Status ClientRun::LogArtifact(const std::shared_ptr<ArtifactState>& artifact,
                                    const std::vector<std::string>& aliases,
                                    std::weak_ptr<ClientRun> self) {
  if (disabled() || IgnoredInChild("log_artifact()")) return absl::OkStatus();
  CallScope scope(this);
  if (absl::Status s = CheckLive("log_artifact()"); !s.ok()) return s;
  ArtifactRecordInput input{settings_.run_id,     settings_.entity,      settings_.project,
                            artifact->name(),     artifact->type(),      artifact->description(),
                            artifact->metadata(), artifact->client_id(), aliases};
  // The aliases are checked before the artifact becomes final, so a bad one can be fixed.
  if (absl::Status s = BuildArtifactRecord(input, artifact::Manifest()).status(); !s.ok()) {
    return s;
  }
  absl::StatusOr<artifact::Manifest> manifest = artifact->Finalize();
  if (!manifest.ok()) return manifest.status();
  absl::StatusOr<records::Record> record = BuildArtifactRecord(input, *manifest);
  if (!record.ok()) return record.status();
  outbox().Send(*std::move(record));
  {
    absl::MutexLock lock(&artifacts_mu_);
    logged_artifacts_.push_back(artifact);
  }
  artifact->SetLogged(
      [self = std::move(self),
       id = artifact->client_id()]() -> absl::StatusOr<service::ArtifactStatusResponse> {
        std::shared_ptr<ClientRun> run = self.lock();
        if (run == nullptr) return absl::FailedPreconditionError("its run is gone");
        return run->ArtifactStatus(id);
      });
  return absl::OkStatus();
}

void ClientRun::ResolveArtifacts(const service::FinishRunResponse& response) {
  absl::MutexLock lock(&artifacts_mu_);
  for (const std::weak_ptr<ArtifactState>& logged : logged_artifacts_) {
    std::shared_ptr<ArtifactState> artifact = logged.lock();
    if (artifact == nullptr) continue;
    auto it = response.artifacts().find(artifact->client_id());
    if (it != response.artifacts().end()) artifact->Resolve(it->second);
  }
  logged_artifacts_.clear();
}

absl::StatusOr<service::ArtifactStatusResponse> ClientRun::ArtifactStatus(
    const std::string& client_id) {
  if (finished()) {
    return absl::FailedPreconditionError(
        absl::StrCat("run ", settings_.run_id,
                     " finished before its artifact was confirmed; call wait() before finish()"));
  }
  service::ArtifactStatusRequest request;
  request.mutable_run()->set_protocol_version(kProtocolVersion);
  request.mutable_run()->set_run_id(settings_.run_id);
  request.set_client_id(client_id);
  service::ArtifactStatusResponse response;
  grpc::Status s = link_->Call([&](ServiceConnection& connection) {
    grpc::ClientContext context;
    context.set_deadline(std::chrono::system_clock::now() + kQueryTimeout);
    return connection.stub().ArtifactStatus(&context, request, &response);
  });
  if (!s.ok()) return FromGrpc(s);
  return response;
}

absl::StatusOr<std::shared_ptr<ArtifactState>> ClientRun::UseArtifact(const std::string& name,
                                                                      const std::string& type) {
  const std::string what = absl::StrCat("use_artifact('", name, "')");
  auto refuse = [&what](const absl::Status& s) {
    return absl::Status(s.code(), absl::StrCat(what, ": ", s.message()));
  };
  if (absl::Status s = artifact::ParseArtifactRef(name).status(); !s.ok()) return s;
  if (!type.empty()) {
    if (absl::Status s = artifact::ValidateArtifactType(type); !s.ok()) return refuse(s);
  }
  if (disabled() || settings_.mode == Mode::kOffline) {
    return refuse(absl::FailedPreconditionError(
        "the run has no store to take artifacts from (mode offline or disabled; wandb refuses "
        "use_artifact offline too): use mode \"local\""));
  }
  if (IgnoredInChild("use_artifact()")) {
    return refuse(absl::FailedPreconditionError("the run belongs to the parent process"));
  }
  CallScope scope(this);
  if (absl::Status s = CheckLive("use_artifact()"); !s.ok()) return s;
  service::UseArtifactRequest request;
  request.mutable_run()->set_protocol_version(kProtocolVersion);
  request.mutable_run()->set_run_id(settings_.run_id);
  request.set_name(name);
  request.set_type(type);
  service::UseArtifactResponse response;
  grpc::Status s = link_->Call([&](ServiceConnection& connection) {
    grpc::ClientContext context;
    context.set_deadline(std::chrono::system_clock::now() + kUseArtifactTimeout);
    return connection.stub().UseArtifact(&context, request, &response);
  });
  if (!s.ok()) return refuse(FromGrpc(s));
  if (!response.usage_problem().empty()) {
    // The files are good to read; only the lineage misses this use.
    console_.Warning(absl::StrCat(what, ": the store did not record that run ", settings_.run_id,
                                  " used it: ", response.usage_problem()));
  }
  absl::StatusOr<std::shared_ptr<ArtifactState>> used = ArtifactState::Used(response);
  if (!used.ok()) return refuse(used.status());
  return used;
}

void ClientRun::Finish(int exit_code, bool called) {
  if (Ending()) {
    // The stop's own finish is under way on the checker's thread, and the process ends when
    // it is done: returning now (from finish(), or from the finish at exit) could let the
    // program exit before the run is finished.
    for (;;) pause();
  }
  FinishOnce(exit_code, called);
}

void ClientRun::FinishOnce(int exit_code, bool called) {
  if (IgnoredInChild("finish()") || finished_.exchange(true) || disabled()) return;
  if (called) NoteFeature(Feature::kFinish);
  // First, so the program's last lines are sent before the outbox closes.
  if (capture_ != nullptr) capture_->Stop();
  if (status_checker_ != nullptr) status_checker_->Stop();
  outbox().Close();
  service::FinishRunRequest request;
  request.set_protocol_version(kProtocolVersion);
  request.set_run_id(settings_.run_id);
  request.set_exit_code(exit_code);
  service::FinishRunResponse response;
  // Online, the upload to W&B may take a while: its progress is shown meanwhile.
  std::optional<UploadProgressPrinter> progress;
  if (settings_.mode == Mode::kOnline) progress.emplace(UploadStatusPoll(), &console_);
  // A daemon that died since: once more, after the outbox re-attached the run and sent
  // again what the new daemon lacks (the last batch may then be a later one).
  grpc::Status status = link_->Call([&](ServiceConnection& connection) {
    request.set_last_seq(outbox().Close());
    grpc::ClientContext context;
    context.set_deadline(std::chrono::system_clock::now() + settings_.finish_timeout);
    return connection.stub().FinishRun(&context, request, &response);
  });
  progress.reset();
  debug_log_.Info(
      "finish(%d): %s after %d batches, %d re-attachments; log() waited %d times "
      "for room in the queue",
      exit_code, status.ok() ? "done" : status.error_message(), request.last_seq(),
      outbox().reattachments(), outbox().queue_waits());
  if (status.ok() && exit_code == 0 && !settings_.resume_file.empty()) {
    std::error_code ec;
    std::filesystem::remove(settings_.resume_file, ec);
  }
  if (status.ok()) ResolveArtifacts(response);
  PrintFinish(status, response);
}

UploadProgressPrinter::PollFn ClientRun::UploadStatusPoll() {
  return [this]() -> std::optional<service::StopStatusResponse> {
    service::RunQuery query;
    query.set_protocol_version(kProtocolVersion);
    query.set_run_id(settings_.run_id);
    grpc::ClientContext context;
    context.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(2));
    service::StopStatusResponse response;
    if (!outbox().connection()->stub().StopStatus(&context, query, &response).ok()) {
      return std::nullopt;
    }
    return response;
  };
}

void ClientRun::PrintFinish(const grpc::Status& status,
                            const service::FinishRunResponse& response) {
  if (int64_t waits = outbox().queue_waits(); waits > 0) {
    console_.Info(QueueWaitNote(waits,
                                std::chrono::duration<double>(outbox().queue_wait_time()).count(),
                                settings_.queue_limit));
  }
  if (int64_t lost = outbox().undelivered(); lost > 0) {
    console_.Warning(UndeliveredWarning(settings_.run_id, lost, outbox().reattachments() > 0));
  }
  if (!status.ok()) {
    console_.Warning(absl::StrCat("wandb-service could not finish run ", settings_.run_id, ": ",
                                  status.error_message(), " (data so far is in ", dir(), ")"));
    return;
  }
  console_.Footer(response);
  for (const std::string& line : FinishLines(settings_, dir(), response)) console_.Info(line);
  if (response.files_failed() > 0) {
    console_.Warning(FilesFailedWarning(settings_.run_id, dir(), response.files_failed()));
  }
  if (response.records_refused() > 0) {
    console_.Warning(RefusedWarning(settings_.run_id, dir(), response));
  }
}

}  // namespace wandb::internal
