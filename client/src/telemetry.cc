#include "client/src/telemetry.h"

#include <iterator>

#include "common/protocol.h"

namespace wandb::internal {

namespace {

// The setter of each Feature's flag, in the enum's order.
using FlagSetter = void (records::Feature::*)(bool);
constexpr FlagSetter kSetters[] = {
    &records::Feature::set_finish,          &records::Feature::set_save,
    &records::Feature::set_set_config_item, &records::Feature::set_set_step_log,
    &records::Feature::set_set_summary,     &records::Feature::set_resumed,
};
static_assert(std::size(kSetters) == static_cast<size_t>(Feature::kResumed) + 1);

}  // namespace

records::TelemetryRecord TelemetryFor(Feature feature) {
  records::TelemetryRecord record;
  (record.mutable_feature()->*kSetters[static_cast<size_t>(feature)])(true);
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
