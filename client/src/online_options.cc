#include "client/src/online_options.h"

#include <cstdlib>

namespace wandb::internal {

service::OnlineOptions OnlineOptionsOf(const ResolvedSettings& settings) {
  service::OnlineOptions online;
  online.set_base_url(settings.base_url);
  online.set_api_key(settings.api_key);
  online.set_ca_file(settings.ca_file);
  online.set_retry_wait_min_ms(settings.retry_wait_min_ms);
  online.set_stop_poll_ms(static_cast<uint32_t>(settings.online_stop_poll_interval.count()));
  online.set_heartbeat_ms(static_cast<uint32_t>(settings.online_heartbeat_interval.count()));
  online.set_skip_local_store(!settings.keep_in_store);
  return online;
}

absl::StatusOr<std::optional<service::OnlineOptions>> OnlineOptionsFromEnvironment() {
  absl::StatusOr<ResolvedSettings> settings =
      ResolveSettings(Settings{}, [](const char* name) { return std::getenv(name); });
  if (!settings.ok()) return settings.status();
  if (settings->mode != Mode::kOnline) return std::nullopt;
  return OnlineOptionsOf(*settings);
}

}  // namespace wandb::internal
