#include "client/src/run_state.h"

#include <algorithm>
#include <filesystem>
#include <fstream>

#include <time.h>

#include <thread>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "client/src/process_info.h"
#include "client/src/run_status_checker.h"
#include "client/src/save_glob.h"
#include "common/protocol.h"
#include "common/value/json.h"
#include "common/value/validation.h"

namespace wandb::internal {
namespace {

constexpr auto kQueryTimeout = std::chrono::seconds(10);

double WallSeconds() {
  timespec ts;
  clock_gettime(CLOCK_REALTIME, &ts);
  return static_cast<double>(ts.tv_sec) + static_cast<double>(ts.tv_nsec) * 1e-9;
}

// A summary path: a valid top-level key, then non-empty UTF-8 nested keys.
absl::Status ValidatePath(const std::vector<std::string>& path) {
  if (path.empty()) return absl::InvalidArgumentError("empty summary path");
  if (absl::Status s = validation::ValidateKey(path[0]); !s.ok()) return s;
  for (size_t i = 1; i < path.size(); ++i) {
    if (path[i].empty() || !validation::IsValidUtf8(path[i])) {
      return absl::InvalidArgumentError(
          absl::StrCat("key '", path[0], "': nested key ", i, " is empty or not valid UTF-8"));
    }
  }
  return absl::OkStatus();
}

void SetPath(records::SummaryItem* item, const std::vector<std::string>& path) {
  if (path.size() == 1) {
    item->set_key(path[0]);
  } else {
    for (const std::string& k : path) item->add_nested_key(k);
  }
}

}  // namespace

RunState::RunState(ResolvedSettings settings)
    : settings_(std::move(settings)), console_(settings_.silent), config_(settings_.config) {}

RunState::~RunState() {
  // The registry finishes runs before this; a run reached here unfinished was never started.
  capture_.reset();
  if (status_checker_ != nullptr) status_checker_->Stop();
  if (outbox_ != nullptr) outbox_->Close();
}

std::shared_ptr<RunState> RunState::Disabled(ResolvedSettings settings) {
  return std::shared_ptr<RunState>(new RunState(std::move(settings)));
}

absl::StatusOr<std::shared_ptr<RunState>> RunState::Start(ResolvedSettings settings) {
  std::shared_ptr<RunState> run(new RunState(std::move(settings)));
  auto deadline = std::chrono::steady_clock::now() + run->settings_.init_timeout;
  absl::Status s = run->StartOnDaemon(/*reconnect=*/false);
  // A daemon that is idling out refuses (UNAVAILABLE) or cancels (CANCELLED) the call; a
  // fresh connection then starts a new daemon. Keep trying until init_timeout.
  while ((absl::IsUnavailable(s) || absl::IsCancelled(s)) &&
         std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
    s = run->StartOnDaemon(/*reconnect=*/true);
  }
  if (!s.ok()) return s;
  run->StartConsoleCapture();
  run->StartStatusChecker();
  return run;
}

void RunState::AdoptResumedConfig(const records::ConfigRecord& config) {
  std::lock_guard lock(config_mu_);
  for (const records::ConfigItem& item : config.update()) {
    absl::StatusOr<Value> value = json::Parse(item.value_json());
    if (value.ok()) config_.set(item.key(), *std::move(value));
  }
}

void RunState::StartStatusChecker() {
  RunStatusChecker::Options options;
  options.interval = settings_.stop_poll_interval;
  options.on_stop = settings_.on_stop;
  options.interrupt = settings_.interrupt_on_stop;
  status_checker_ =
      std::make_unique<RunStatusChecker>([this] { return outbox_->connection(); }, settings_.run_id,
                                         std::move(options), &console_, &debug_log_);
  status_checker_->Start();
}

void RunState::StartConsoleCapture() {
  if (!settings_.console) return;
  ConsoleCapture::Callbacks callbacks;
  callbacks.on_lines = [this](records::OutputRecord::OutputType type, absl::Time time,
                              std::vector<std::string>& lines) { SendOutput(type, time, lines); };
  // A crash: hand the last lines to gRPC before the process dies; the daemon then finishes
  // the run as crashed with them.
  callbacks.on_crash = [this] { outbox_->Flush(); };
  absl::StatusOr<std::unique_ptr<ConsoleCapture>> capture =
      ConsoleCapture::Start(run_dir_ + "/files/output.log", std::move(callbacks));
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

void RunState::SendOutput(records::OutputRecord::OutputType type, absl::Time time,
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
  outbox_->Send(std::move(records));
}

bool RunState::stop_requested() const {
  return status_checker_ != nullptr && status_checker_->stop_requested();
}

absl::Status RunState::StartOnDaemon(bool reconnect) {
  absl::StatusOr<std::shared_ptr<ServiceConnection>> connection =
      ServiceConnection::Shared(reconnect);
  if (!connection.ok()) return connection.status();
  connection_ = *connection;

  service::StartRunRequest request;
  request.set_protocol_version(kProtocolVersion);
  request.set_client_version(kVersion);
  service::SystemMetricsOptions* stats = request.mutable_system_metrics();
  stats->set_disabled(!settings_.system_metrics);
  stats->set_sample_interval_ms(settings_.stats_sample_interval.count());
  stats->set_samples_to_average(settings_.stats_samples_to_average);
  request.set_mode(settings_.mode == Mode::kOffline ? service::MODE_OFFLINE : service::MODE_LOCAL);
  request.set_store_dir(settings_.store_dir);
  request.set_fsync_batches(settings_.durability == Durability::fsync);
  request.set_save_code(settings_.save_code);
  request.set_disable_git(settings_.disable_git);
  switch (settings_.resume) {
    case ResumeMode::kAllow:
      request.set_resume(service::RESUME_ALLOW);
      break;
    case ResumeMode::kMust:
      request.set_resume(service::RESUME_MUST);
      break;
    case ResumeMode::kNever:
      request.set_resume(service::RESUME_NEVER);
      break;
    case ResumeMode::kNone:
      request.set_resume(service::RESUME_NONE);
      break;
  }
  request.set_root_dir(settings_.root_dir);
  *request.mutable_process() = CurrentProcessInfo();
  request.mutable_process()->mutable_build()->set_program_compiler(settings_.program_compiler);
  request.mutable_process()->mutable_build()->set_program_cplusplus(settings_.program_cplusplus);
  records::RunRecord* run = request.mutable_run();
  run->set_run_id(settings_.run_id);
  run->set_project(settings_.project);
  run->set_entity(settings_.entity);
  run->set_display_name(settings_.name);
  run->set_notes(settings_.notes);
  run->set_run_group(settings_.group);
  run->set_job_type(settings_.job_type);
  for (const std::string& tag : settings_.tags) run->add_tags(tag);
  *run->mutable_telemetry() = InitTelemetry(settings_);
  double now = WallSeconds();
  run->mutable_start_time()->set_seconds(static_cast<int64_t>(now));
  run->mutable_start_time()->set_nanos(
      static_cast<int32_t>((now - static_cast<int64_t>(now)) * 1e9));
  for (const auto& [key, value] : settings_.config) {
    records::ConfigItem* item = run->mutable_config()->add_update();
    item->set_key(key);
    item->set_value_json(json::Encode(value));
  }

  grpc::ClientContext context;
  context.set_deadline(std::chrono::system_clock::now() + settings_.init_timeout);
  service::StartRunResponse response;
  grpc::Status status = connection_->stub().StartRun(&context, request, &response);
  if (!status.ok()) return FromGrpc(status);
  run_dir_ = response.run_dir();
  if (response.run().resumed()) AdoptResumedConfig(response.run().config());
  if (!settings_.resume_file.empty()) {
    // resume="auto": the next run started here continues this one unless it finishes cleanly.
    std::ofstream(settings_.resume_file, std::ios::trunc)
        << "{\"run_id\": \"" << settings_.run_id << "\"}";
  }

  debug_log_.Open(run_dir_ + "/logs/debug.log");
  debug_log_.Info("run %s started by pid %d; wandb-service pid %d at %s", settings_.run_id,
                  request.process().pid(), connection_->hello().pid(),
                  connection_->endpoint().socket_path);
  start_request_ = request;  // what a re-attach sends again
  RecordOutbox::Options outbox;
  outbox.resend_buffer = settings_.resend_buffer;
  outbox.reattach = [this] { return Reattach(); };
  outbox.reattach_timeout = settings_.init_timeout;
  outbox_ =
      std::make_unique<RecordOutbox>(connection_, settings_.run_id, std::move(outbox), &debug_log_);
  outbox_->Start();
  if (response.run().resumed()) NoteFeature(Feature::kResumed);

  console_.Info(absl::StrCat("Tracking run with wandb-cpp version ", kVersion));
  if (response.run().resumed()) {
    console_.Info(absl::StrCat("Resuming run ", settings_.run_id, " from step ",
                               response.run().starting_step()));
  }
  console_.Info(settings_.mode == Mode::kOffline
                    ? "W&B syncing is set to `offline` in this directory."
                    : absl::StrCat("Tracking into the local store ", settings_.store_dir));
  console_.Info(absl::StrCat("Run data is saved locally in ", run_dir_));
  for (const std::string& warning : settings_.warnings) console_.Warning(warning);
  return absl::OkStatus();
}

void RunState::NoteFeature(Feature feature) {
  if (!features_.NoteFirst(feature)) return;
  records::Record record;
  *record.mutable_telemetry() = TelemetryFor(feature);
  outbox_->Send(std::move(record));
}

absl::StatusOr<RecordOutbox::Attachment> RunState::Reattach() {
  // A new connection: the one that failed may still look healthy to gRPC for a while.
  absl::StatusOr<std::shared_ptr<ServiceConnection>> connection =
      ServiceConnection::Shared(/*reconnect=*/true);
  if (!connection.ok()) return connection.status();
  service::StartRunRequest request = start_request_;
  request.set_reattach_run_dir(run_dir_);
  grpc::ClientContext context;
  context.set_deadline(std::chrono::system_clock::now() + settings_.init_timeout);
  service::StartRunResponse response;
  grpc::Status status = (*connection)->stub().StartRun(&context, request, &response);
  if (!status.ok()) {
    if (status.error_code() == grpc::StatusCode::FAILED_PRECONDITION) {
      console_.Warning(absl::StrCat("run ", settings_.run_id, " lost its wandb-service and ",
                                    "cannot go on: ", status.error_message()));
    }
    return FromGrpc(status);
  }
  debug_log_.Warning(
      "wandb-service went away; run %s re-attached to wandb-service pid %d, "
      "whose log has every batch up to %d",
      settings_.run_id, (*connection)->hello().pid(), response.durable_seq());
  return RecordOutbox::Attachment{*connection, response.durable_seq()};
}

grpc::Status RunState::CallDaemon(
    const std::function<grpc::Status(ServiceConnection& connection)>& call) {
  std::shared_ptr<ServiceConnection> connection = outbox_->connection();
  grpc::Status status = call(*connection);
  bool gone = status.error_code() == grpc::StatusCode::UNAVAILABLE ||
              status.error_code() == grpc::StatusCode::CANCELLED;
  if (!gone || !outbox_->Reconnect(connection)) return status;
  return call(*outbox_->connection());
}

absl::Status RunState::CheckLive(const char* what) const {
  if (!finished_.load()) return absl::OkStatus();
  return absl::FailedPreconditionError(
      absl::StrCat(what, " on run ", settings_.run_id, " after finish()"));
}

absl::Status RunState::Log(Value::Map data, const LogOptions& options) {
  if (disabled()) return absl::OkStatus();
  if (absl::Status s = CheckLive("log()"); !s.ok()) return s;
  if (absl::Status s = validation::ValidateEntries(data); !s.ok()) return s;
  if (options.step.has_value()) {
    if (absl::Status s = validation::ValidateStep(*options.step); !s.ok()) return s;
  }
  // wandb's rule: a call flushes its row when it commits, or when it gives neither a step
  // nor a commit.
  bool flush = options.commit.value_or(!options.step.has_value());
  if (options.step.has_value()) NoteFeature(Feature::kSetStepLog);
  outbox_->Log(LogCall{std::move(data), options.step, flush, WallSeconds()});
  return absl::OkStatus();
}

absl::Status RunState::UpdateConfig(const Value::Map& values, bool allow_val_change) {
  if (disabled()) return absl::OkStatus();
  if (absl::Status s = CheckLive("config update"); !s.ok()) return s;
  if (absl::Status s = validation::ValidateEntries(values); !s.ok()) return s;
  records::Record record;
  {
    std::lock_guard lock(config_mu_);
    for (const auto& [key, value] : values) {
      const Value* old = config_.find(key);
      if (old != nullptr && !(*old == value) && !allow_val_change) {
        return absl::FailedPreconditionError(
            absl::StrCat("config key '", key, "' already has the value ", old->to_json(),
                         "; pass allow_val_change=true to change it to ", value.to_json()));
      }
    }
    for (const auto& [key, value] : values) {
      config_.set(key, value);
      records::ConfigItem* item = record.mutable_config()->add_update();
      item->set_key(key);
      item->set_value_json(json::Encode(value));
    }
  }
  outbox_->Send(std::move(record));
  NoteFeature(Feature::kSetConfigItem);
  return absl::OkStatus();
}

std::optional<Value> RunState::GetConfig(const std::string& key) {
  std::lock_guard lock(config_mu_);
  const Value* v = config_.find(key);
  return v == nullptr ? std::nullopt : std::optional<Value>(*v);
}

Value::Map RunState::ConfigSnapshot() {
  std::lock_guard lock(config_mu_);
  return config_.as_map();
}

absl::Status RunState::SetSummary(const std::vector<std::string>& path, Value value) {
  if (disabled()) return absl::OkStatus();
  if (absl::Status s = CheckLive("summary update"); !s.ok()) return s;
  if (absl::Status s = ValidatePath(path); !s.ok()) return s;
  if (absl::Status s = validation::ValidateValue(path[0], value); !s.ok()) return s;
  records::Record record;
  records::SummaryItem* item = record.mutable_summary()->add_update();
  SetPath(item, path);
  item->set_value_json(json::Encode(value));
  outbox_->Send(std::move(record));
  NoteFeature(Feature::kSetSummary);
  return absl::OkStatus();
}

absl::Status RunState::RemoveSummary(const std::vector<std::string>& path) {
  if (disabled()) return absl::OkStatus();
  if (absl::Status s = CheckLive("summary update"); !s.ok()) return s;
  if (absl::Status s = ValidatePath(path); !s.ok()) return s;
  records::Record record;
  SetPath(record.mutable_summary()->add_remove(), path);
  outbox_->Send(std::move(record));
  return absl::OkStatus();
}

absl::StatusOr<Value::Map> RunState::GetSummary() {
  if (disabled()) return Value::Map();
  if (absl::Status s = CheckLive("summary read"); !s.ok()) return s;
  service::RunQuery query;
  query.set_protocol_version(kProtocolVersion);
  query.set_run_id(settings_.run_id);
  query.set_after_seq(outbox_->Flush());
  service::GetSummaryResponse response;
  grpc::Status s = CallDaemon([&](ServiceConnection& connection) {
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

absl::StatusOr<bool> RunState::Flush() {
  if (disabled()) return true;
  if (absl::Status s = CheckLive("flush()"); !s.ok()) return s;
  service::RunQuery query;
  query.set_protocol_version(kProtocolVersion);
  query.set_run_id(settings_.run_id);
  query.set_after_seq(outbox_->Flush());
  service::FlushRunResponse response;
  grpc::Status s = CallDaemon([&](ServiceConnection& connection) {
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

absl::StatusOr<std::vector<std::string>> RunState::Save(const std::string& glob,
                                                        const SaveOptions& options) {
  if (disabled()) return std::vector<std::string>();
  if (absl::Status s = CheckLive("save()"); !s.ok()) return s;
  std::error_code ec;
  absl::StatusOr<SaveLinks> links = LinkForSave(
      glob, options.base_path, std::filesystem::current_path(ec).string(), run_dir_ + "/files");
  if (!links.ok()) return links.status();
  if (links->warning.has_value()) console_.Warning(*links->warning);
  records::Record record;
  records::FilesItem* item = record.mutable_files()->add_files();
  item->set_path(links->files_glob);
  switch (options.policy) {
    case Policy::now:
      item->set_policy(records::FilesItem::NOW);
      break;
    case Policy::end:
      item->set_policy(records::FilesItem::END);
      break;
    case Policy::live:
      item->set_policy(records::FilesItem::LIVE);
      break;
  }
  outbox_->Send(std::move(record));
  NoteFeature(Feature::kSave);
  return links->linked;
}

void RunState::Finish(int exit_code, bool called) {
  if (finished_.exchange(true) || disabled()) return;
  if (called) NoteFeature(Feature::kFinish);
  // First, so the program's last lines are sent before the outbox closes.
  if (capture_ != nullptr) capture_->Stop();
  if (status_checker_ != nullptr) status_checker_->Stop();
  outbox_->Close();
  service::FinishRunRequest request;
  request.set_protocol_version(kProtocolVersion);
  request.set_run_id(settings_.run_id);
  request.set_exit_code(exit_code);
  service::FinishRunResponse response;
  // A daemon that died since: once more, after the outbox re-attached the run and sent
  // again what the new daemon lacks (the last batch may then be a later one).
  grpc::Status status = CallDaemon([&](ServiceConnection& connection) {
    request.set_last_seq(outbox_->Close());
    grpc::ClientContext context;
    context.set_deadline(std::chrono::system_clock::now() + settings_.finish_timeout);
    return connection.stub().FinishRun(&context, request, &response);
  });
  debug_log_.Info("finish(%d): %s after %d batches, %d re-attachments", exit_code,
                  status.ok() ? "done" : status.error_message(), request.last_seq(),
                  outbox_->reattachments());
  if (int64_t lost = outbox_->undelivered(); lost > 0) {
    console_.Warning(absl::StrCat(
        lost, " records of run ", settings_.run_id, " could not be delivered to wandb-service",
        outbox_->reattachments() > 0
            ? absl::StrCat(" (lost when it went away; the run's summary counts them as ",
                           RecordOutbox::kUndeliveredKey, "; a larger resend_buffer keeps them)")
            : ""));
  }
  if (!status.ok()) {
    console_.Warning(absl::StrCat("wandb-service could not finish run ", settings_.run_id, ": ",
                                  status.error_message(), " (data so far is in ", run_dir_, ")"));
    return;
  }
  if (exit_code == 0 && !settings_.resume_file.empty()) {
    std::error_code ec;
    std::filesystem::remove(settings_.resume_file, ec);
  }
  console_.Footer(response);
  if (settings_.mode == Mode::kOffline) {
    console_.Info(absl::StrCat("Offline run ", settings_.run_id, " finished with ",
                               response.history_rows(), " history rows: ", run_dir_));
    console_.Info(absl::StrCat("Sync it to W&B with: wandb sync ", run_dir_));
    return;
  }
  console_.Info(absl::StrCat("Run ", settings_.run_id, " finished with ", response.history_rows(),
                             " history rows, stored in ", settings_.store_dir,
                             "; run directory: ", run_dir_));
  console_.Info(absl::StrFormat("Uploaded %d files (%.1f MB) to the local store",
                                response.files_uploaded(),
                                static_cast<double>(response.bytes_uploaded()) / 1e6));
  if (response.files_failed() > 0) {
    console_.Warning(absl::StrCat(response.files_failed(), " files of run ", settings_.run_id,
                                  " could not be stored; see ", run_dir_,
                                  "/logs/debug-internal.log"));
  }
}

}  // namespace wandb::internal
