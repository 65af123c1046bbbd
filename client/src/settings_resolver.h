// Merges init() arguments with the WANDB_* environment and defaults (init wins), and checks
// the result.
#ifndef WANDB_CLIENT_SRC_SETTINGS_RESOLVER_H_
#define WANDB_CLIENT_SRC_SETTINGS_RESOLVER_H_

#include <chrono>
#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "wandb/settings.h"

namespace wandb::internal {

enum class ResumeMode { kNone, kAllow, kMust, kNever };

struct ResolvedSettings {
  std::string project;
  std::string entity;
  std::string name;
  std::string notes;
  std::vector<std::string> tags;
  std::string group;
  std::string job_type;
  Value::Map config;
  std::string root_dir;  // absolute
  std::string run_id;
  ResumeMode resume = ResumeMode::kNone;
  // resume="auto": wandb/wandb-resume.json, written at start and removed by a clean finish.
  std::string resume_file;
  Mode mode = Mode::kLocal;
  std::string store_dir;  // absolute
  // Online mode: the W&B API's base URL (no trailing '/') and the key.
  std::string base_url;
  std::string api_key;
  // The CA certificates HTTPS to base_url is verified against (absolute); "" the system's.
  std::string ca_file;
  uint32_t retry_wait_min_ms = 2000;  // wandb's first wait after a failed request
  // How often the daemon asks W&B whether the run was stopped on its page (wandb's 15 s).
  std::chrono::milliseconds online_stop_poll_interval{std::chrono::seconds(15)};
  // How long file_stream may stay quiet before the daemon posts wandb's heartbeat (30 s).
  std::chrono::milliseconds online_heartbeat_interval{std::chrono::seconds(30)};
  bool keep_in_store = true;  // online: the run goes into the local store too
  bool silent = false;
  bool reinit = false;
  std::chrono::milliseconds init_timeout{std::chrono::seconds(30)};
  std::chrono::milliseconds finish_timeout{std::chrono::seconds(60)};
  std::chrono::milliseconds stop_poll_interval{250};
  std::function<void()> on_stop;
  bool interrupt_on_stop = true;
  Durability durability = Durability::kOs;
  size_t resend_buffer = size_t{64} << 20;  // bytes
  size_t queue_limit = size_t{4} << 20;     // bytes
  size_t media_queue = size_t{256} << 20;   // bytes
  bool system_metrics = true;
  std::chrono::milliseconds stats_sample_interval{std::chrono::seconds(2)};
  int stats_samples_to_average = 15;
  bool console = true;  // capture stdout and stderr
  bool save_code = false;
  bool disable_git = false;
  bool id_given = false;  // the run id came from init() or WANDB_RUN_ID, not generated
  // The compiler and C++ standard of the program that called init().
  std::string program_compiler;
  int64_t program_cplusplus = 0;
  std::vector<std::string> warnings;  // to print once the run starts
};

inline constexpr char kDefaultBaseUrl[] = "https://api.wandb.ai";

using EnvLookup = std::function<const char*(const char*)>;

absl::StatusOr<ResolvedSettings> ResolveSettings(Settings settings, const EnvLookup& env);

}  // namespace wandb::internal

#endif  // WANDB_CLIENT_SRC_SETTINGS_RESOLVER_H_
