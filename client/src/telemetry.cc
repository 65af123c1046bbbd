#include "client/src/telemetry.h"

#include "common/protocol.h"

namespace wandb::internal {

records::TelemetryRecord TelemetryFor(Feature feature) {
  records::TelemetryRecord record;
  records::Feature* f = record.mutable_feature();
  switch (feature) {
    case Feature::kFinish:
      f->set_finish(true);
      break;
    case Feature::kSave:
      f->set_save(true);
      break;
    case Feature::kSetConfigItem:
      f->set_set_config_item(true);
      break;
    case Feature::kSetStepLog:
      f->set_set_step_log(true);
      break;
    case Feature::kSetSummary:
      f->set_set_summary(true);
      break;
    case Feature::kResumed:
      f->set_resumed(true);
      break;
  }
  return record;
}

records::TelemetryRecord InitTelemetry(const ResolvedSettings& settings) {
  records::TelemetryRecord record;
  records::Feature* f = record.mutable_feature();
  f->set_lib_cpp(true);
  f->set_service(true);
  f->set_offline(settings.mode == Mode::kOffline);
  f->set_set_init_name(!settings.name.empty());
  f->set_set_init_id(settings.id_given);
  f->set_set_init_tags(!settings.tags.empty());
  f->set_set_init_config(!settings.config.empty());
  record.set_cli_version(std::string("wandb-cpp ") + kVersion);
  return record;
}

}  // namespace wandb::internal
