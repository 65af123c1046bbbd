#include "client/src/start_request.h"

#include "client/src/telemetry.h"
#include "common/protocol.h"
#include "common/value/json.h"

namespace wandb::internal {
namespace {

service::ResumeMode ResumeFor(ResumeMode resume) {
  switch (resume) {
    case ResumeMode::kAllow:
      return service::RESUME_ALLOW;
    case ResumeMode::kMust:
      return service::RESUME_MUST;
    case ResumeMode::kNever:
      return service::RESUME_NEVER;
    case ResumeMode::kNone:
      break;
  }
  return service::RESUME_NONE;
}

void FillRunRecord(const ResolvedSettings& settings, absl::Time start_time,
                   records::RunRecord* run) {
  run->set_run_id(settings.run_id);
  run->set_project(settings.project);
  run->set_entity(settings.entity);
  run->set_display_name(settings.name);
  run->set_notes(settings.notes);
  run->set_run_group(settings.group);
  run->set_job_type(settings.job_type);
  for (const std::string& tag : settings.tags) run->add_tags(tag);
  *run->mutable_telemetry() = InitTelemetry(settings);
  timespec start = absl::ToTimespec(start_time);
  run->mutable_start_time()->set_seconds(start.tv_sec);
  run->mutable_start_time()->set_nanos(static_cast<int32_t>(start.tv_nsec));
  for (const auto& [key, value] : settings.config) {
    records::ConfigItem* item = run->mutable_config()->add_update();
    item->set_key(key);
    item->set_value_json(json::Encode(value));
  }
}

service::Mode ModeFor(Mode mode) {
  switch (mode) {
    case Mode::kOffline:
      return service::MODE_OFFLINE;
    case Mode::kOnline:
      return service::MODE_ONLINE;
    default:
      return service::MODE_LOCAL;
  }
}

}  // namespace

service::StartRunRequest BuildStartRequest(const ResolvedSettings& settings,
                                           service::ProcessInfo process, absl::Time start_time) {
  service::StartRunRequest request;
  request.set_protocol_version(kProtocolVersion);
  request.set_client_version(kVersion);
  service::SystemMetricsOptions* stats = request.mutable_system_metrics();
  stats->set_disabled(!settings.system_metrics);
  stats->set_sample_interval_ms(settings.stats_sample_interval.count());
  stats->set_samples_to_average(settings.stats_samples_to_average);
  request.set_mode(ModeFor(settings.mode));
  if (settings.mode == Mode::kOnline) {
    service::OnlineOptions* online = request.mutable_online();
    online->set_base_url(settings.base_url);
    online->set_api_key(settings.api_key);
    online->set_ca_file(settings.ca_file);
    online->set_retry_wait_min_ms(settings.retry_wait_min_ms);
    online->set_stop_poll_ms(static_cast<uint32_t>(settings.online_stop_poll_interval.count()));
  }
  request.set_store_dir(settings.store_dir);
  request.set_fsync_batches(settings.durability == Durability::kFsync);
  request.set_save_code(settings.save_code);
  request.set_disable_git(settings.disable_git);
  request.set_resume(ResumeFor(settings.resume));
  request.set_root_dir(settings.root_dir);
  *request.mutable_process() = std::move(process);
  service::BuildInfo* build = request.mutable_process()->mutable_build();
  build->set_program_compiler(settings.program_compiler);
  build->set_program_cplusplus(settings.program_cplusplus);
  FillRunRecord(settings, start_time, request.mutable_run());
  return request;
}

}  // namespace wandb::internal
