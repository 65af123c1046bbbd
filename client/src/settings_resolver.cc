#include "client/src/settings_resolver.h"

#include <unistd.h>

#include <algorithm>
#include <filesystem>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "client/src/config_files.h"
#include "common/run/run_fields.h"
#include "common/run/run_id.h"
#include "common/run/store_location.h"
#include "common/util/ca_file.h"
#include "common/util/netrc.h"
#include "common/util/read_file.h"
#include "common/util/settings_file.h"
#include "common/value/json.h"
#include "common/value/validation.h"

namespace wandb::internal {
namespace {

// The longest timeout taken from the environment, in seconds: one day.
constexpr double kMaxTimeoutSeconds = 86400;
// wandb's bounds for its stats settings.
constexpr std::chrono::milliseconds kMinStatsSampleInterval{500};
constexpr int kMinStatsSamples = 2;
constexpr int kMaxStatsSamples = 30;
// Asking W&B more often than this would only load its server.
constexpr std::chrono::milliseconds kMinOnlineStopPollInterval{1000};

// The init argument when given, else the environment variable when set and non-empty.
std::string Pick(const std::optional<std::string>& arg, const char* env_value,
                 std::string fallback = "") {
  if (arg.has_value()) return *arg;
  if (env_value != nullptr && *env_value != '\0') return env_value;
  return fallback;
}

bool IsTrue(const char* value) {
  std::string v = absl::AsciiStrToLower(value ? value : "");
  return v == "true" || v == "1" || v == "yes";
}

bool IsFalse(const char* value) {
  std::string v = absl::AsciiStrToLower(value ? value : "");
  return v == "false" || v == "0" || v == "no";
}

// `source` names where the value came from, for the error.
absl::StatusOr<Mode> ParseMode(const char* value, absl::string_view source) {
  std::string v = absl::AsciiStrToLower(value);
  if (v == "local") return Mode::kLocal;
  if (v == "offline" || v == "dryrun") return Mode::kOffline;
  if (v == "disabled") return Mode::kDisabled;
  if (v == "online" || v == "run") return Mode::kOnline;
  return absl::InvalidArgumentError(absl::StrCat(
      source, "='", value, "' is not a mode; use local, online, offline, dryrun or disabled"));
}

Value::Map FilterConfig(Value::Map config, const std::vector<std::string>& include,
                        const std::vector<std::string>& exclude) {
  auto listed = [](const std::vector<std::string>& keys, const std::string& key) {
    return std::find(keys.begin(), keys.end(), key) != keys.end();
  };
  std::erase_if(config, [&](const auto& entry) {
    return (!include.empty() && !listed(include, entry.first)) || listed(exclude, entry.first);
  });
  return config;
}

// The init argument, else the environment variable `name` (seconds, in (0, one day]).
// `name` is the setting's environment variable, `setting` the field's name.
absl::Status PickTimeout(const std::optional<std::chrono::milliseconds>& arg, const EnvLookup& env,
                         const char* name, const char* setting, std::chrono::milliseconds* out) {
  if (arg.has_value()) {
    if (arg->count() <= 0) {
      return absl::InvalidArgumentError(
          absl::StrCat(setting, " must be positive, not ", arg->count(), " ms"));
    }
    *out = *arg;
    return absl::OkStatus();
  }
  const char* text = env(name);
  if (text == nullptr || *text == '\0') return absl::OkStatus();
  double seconds = 0;
  // `!(seconds > 0)` also refuses nan, which SimpleAtod accepts like inf and 1e300.
  if (!absl::SimpleAtod(text, &seconds) || !(seconds > 0)) {
    return absl::InvalidArgumentError(
        absl::StrCat(name, "='", text, "' is not a positive number of seconds"));
  }
  // Bounded so that the conversion to milliseconds below is defined.
  if (!(seconds <= kMaxTimeoutSeconds)) {
    return absl::InvalidArgumentError(absl::StrCat(name, "='", text, "' is more than ",
                                                   kMaxTimeoutSeconds, " seconds (one day)"));
  }
  *out = std::chrono::milliseconds(static_cast<int64_t>(seconds * 1000));
  return absl::OkStatus();
}

// A size in bytes: the init() argument, else the environment variable `name`, else `*out`
// as it is. `example` is shown in the error for a value that is not a number.
absl::Status PickBytes(const std::optional<size_t>& arg, const EnvLookup& env, const char* name,
                       uint64_t example, size_t* out) {
  if (arg.has_value()) {
    *out = *arg;
    return absl::OkStatus();
  }
  const char* text = env(name);
  if (text == nullptr || *text == '\0') return absl::OkStatus();
  uint64_t bytes = 0;
  if (!absl::SimpleAtoi(text, &bytes)) {
    return absl::InvalidArgumentError(
        absl::StrCat(name, "='", text, "' is not a number of bytes (e.g. ", example, ")"));
  }
  *out = static_cast<size_t>(bytes);
  return absl::OkStatus();
}

// The run id that wandb-resume.json names, or "" (no file, or not one of ours).
std::string ResumeFileRunId(const std::string& path) {
  absl::StatusOr<std::string> text = ReadFileToString(path);
  if (!text.ok()) return "";
  absl::StatusOr<Value> parsed = json::Parse(*text);
  if (!parsed.ok() || !parsed->is_map()) return "";
  const Value* id = parsed->find("run_id");
  return id != nullptr && id->is_string() ? id->as_string() : "";
}

// The init argument in WANDB_RESUME's words.
std::optional<std::string> ResumeWord(const std::optional<Resume>& resume) {
  if (!resume.has_value()) return std::nullopt;
  switch (*resume) {
    case Resume::kAllow:
      return "allow";
    case Resume::kMust:
      return "must";
    case Resume::kNever:
      return "never";
    case Resume::kAuto:
      break;
  }
  return "auto";
}

// wandb's resume values; auto also picks the run id from the resume file.
absl::Status PickResume(const Settings& s, const EnvLookup& env, ResolvedSettings* r) {
  std::string value = Pick(ResumeWord(s.resume), env("WANDB_RESUME"));
  std::string lower = absl::AsciiStrToLower(value);
  if (lower.empty() || lower == "false") return absl::OkStatus();
  if (lower == "allow") {
    r->resume = ResumeMode::kAllow;
  } else if (lower == "must") {
    r->resume = ResumeMode::kMust;
  } else if (lower == "never") {
    r->resume = ResumeMode::kNever;
  } else if (lower == "auto" || lower == "true") {
    r->resume = ResumeMode::kAllow;
    r->resume_file = r->root_dir + "/wandb/wandb-resume.json";
    if (std::string id = ResumeFileRunId(r->resume_file); !id.empty()) {
      if (!r->run_id.empty() && r->run_id != id) {
        r->warnings.push_back(absl::StrCat("resume='auto' continues run ", id, " from ",
                                           r->resume_file, ", not the id given (", r->run_id, ")"));
      }
      r->run_id = id;
    }
  } else {
    r->resume = ResumeMode::kAllow;  // wandb: any other value is the id of the run to allow
    r->run_id = value;
  }
  return absl::OkStatus();
}

// wandb's console values: auto, wrap and redirect all mean a capture here (one that catches
// the program's own writes and its children's); off means none.
absl::Status PickConsole(const std::optional<wandb::Console>& arg, const char* env_value,
                         bool* capture) {
  if (arg.has_value()) {
    *capture = *arg != wandb::Console::kOff;
    return absl::OkStatus();
  }
  std::string value = Pick(std::nullopt, env_value, "auto");
  std::string lower = absl::AsciiStrToLower(value);
  if (lower == "auto" || lower == "on" || lower == "wrap" || lower == "redirect") {
    *capture = true;
  } else if (lower == "off") {
    *capture = false;
  } else {
    return absl::InvalidArgumentError(
        absl::StrCat("WANDB_CONSOLE='", value,
                     "' is not a console setting; use auto, on, wrap, redirect or off"));
  }
  return absl::OkStatus();
}

// The system-metrics settings; out-of-range values are brought into wandb's bounds, with a
// warning, as wandb clamps them.
absl::Status PickSystemMetrics(const Settings& s, const EnvLookup& env, ResolvedSettings* r) {
  r->system_metrics =
      s.system_metrics.has_value() ? *s.system_metrics : !IsTrue(env("WANDB__DISABLE_STATS"));
  if (absl::Status st =
          PickTimeout(s.stats_sample_interval, env, "WANDB__STATS_SAMPLE_RATE_SECONDS",
                      "stats_sample_interval", &r->stats_sample_interval);
      !st.ok()) {
    return st;
  }
  if (r->stats_sample_interval < kMinStatsSampleInterval) {
    r->warnings.push_back(absl::StrCat("stats_sample_interval ", r->stats_sample_interval.count(),
                                       " ms is below wandb's minimum; sampling every 0.5 s"));
    r->stats_sample_interval = kMinStatsSampleInterval;
  }
  int samples = r->stats_samples_to_average;
  if (s.stats_samples_to_average.has_value()) {
    samples = *s.stats_samples_to_average;
  } else if (const char* text = env("WANDB__STATS_SAMPLES_TO_AVERAGE");
             text != nullptr && *text != '\0') {
    if (!absl::SimpleAtoi(text, &samples)) {
      return absl::InvalidArgumentError(absl::StrCat("WANDB__STATS_SAMPLES_TO_AVERAGE='", text,
                                                     "' is not a whole number of samples"));
    }
  }
  int clamped = std::clamp(samples, kMinStatsSamples, kMaxStatsSamples);
  if (clamped != samples) {
    r->warnings.push_back(absl::StrCat("stats_samples_to_average ", samples, " is outside ",
                                       kMinStatsSamples, "..", kMaxStatsSamples, "; using ",
                                       clamped));
  }
  r->stats_samples_to_average = clamped;
  return absl::OkStatus();
}

// Online mode's server and key: the key from the setting, WANDB_API_KEY, then the netrc entry
// for the server's host (as wandb looks). The key never goes into a message.
// wandb's settings files' [default] section: the global file's keys with the workspace's
// (<root_dir>/wandb/settings) over them.
struct SettingsFiles {
  std::string global_path;
  std::string workspace_path;
  settings_file::Section values;

  // The key's value, or nullptr when the files do not set it (or set it empty).
  const char* Get(const std::string& key) const {
    auto it = values.find(key);
    return it == values.end() || it->second.empty() ? nullptr : it->second.c_str();
  }
};

absl::StatusOr<SettingsFiles> ReadSettingsFiles(const EnvLookup& env, const std::string& root_dir) {
  SettingsFiles files{settings_file::GlobalPath(env("WANDB_CONFIG_DIR"), env("HOME")),
                      settings_file::WorkspacePath(root_dir),
                      {}};
  absl::StatusOr<settings_file::Section> values =
      settings_file::ReadDefaults(files.global_path, files.workspace_path);
  if (!values.ok()) {
    return absl::FailedPreconditionError(
        absl::StrCat("wandb's settings file: ", values.status().message()));
  }
  files.values = *std::move(values);
  return files;
}

absl::Status PickOnline(const Settings& s, const EnvLookup& env, const SettingsFiles& files,
                        ResolvedSettings* r) {
  r->base_url = Pick(s.base_url, env("WANDB_BASE_URL"),
                     Pick(std::nullopt, files.Get("base_url"), std::string(kDefaultBaseUrl)));
  while (!r->base_url.empty() && r->base_url.back() == '/') r->base_url.pop_back();
  if (r->mode != Mode::kOnline) return absl::OkStatus();
  if (!absl::StartsWith(r->base_url, "https://") && !absl::StartsWith(r->base_url, "http://")) {
    return absl::InvalidArgumentError(absl::StrCat(
        "base_url '", r->base_url, "' must start with https:// (or http://), as WANDB_BASE_URL"));
  }
  std::string host = netrc::HostOf(r->base_url);
  if (absl::StartsWith(r->base_url, "http://") && host != "localhost" &&
      !absl::StartsWith(host, "127.") && host != "[::1]") {
    r->warnings.push_back(absl::StrCat(
        "base_url ", r->base_url, " is not https: the API key crosses the network unencrypted"));
  }
  r->api_key = s.api_key.value_or("");
  if (r->api_key.empty()) {
    const char* file_key = files.Get("api_key");
    absl::StatusOr<std::optional<std::string>> found = netrc::FindApiKey(
        r->base_url, env("WANDB_API_KEY"), env("NETRC"), env("HOME"),
        file_key != nullptr ? std::optional<std::string>(file_key) : std::nullopt);
    if (!found.ok()) {
      return absl::FailedPreconditionError(absl::StrCat("online mode: ", found.status().message()));
    }
    if (found->has_value()) r->api_key = **found;
  }
  if (r->api_key.empty() &&
      s.offline_without_key.value_or(IsTrue(env("WANDB_CPP_OFFLINE_WITHOUT_KEY")))) {
    r->mode = Mode::kOffline;
    r->warnings.push_back(absl::StrCat(
        "online mode has no W&B API key for ", host,
        ": the run stays offline in its run "
        "directory (offline_without_key); `wandb-cpp login`, then `wandb-cpp sync` sends it"));
    return absl::OkStatus();
  }
  if (r->api_key.empty()) {
    return absl::FailedPreconditionError(absl::StrCat(
        "online mode needs a W&B API key for ", host, ": run `wandb-cpp login` (keys are at ",
        "https://wandb.ai/authorize), or set WANDB_API_KEY; WANDB_MODE=local keeps the run on ",
        "this machine"));
  }
  absl::StatusOr<std::string> ca_file = tls::ResolveCaFile(s.ca_file, env);
  if (!ca_file.ok()) {
    return absl::FailedPreconditionError(absl::StrCat("online mode: ", ca_file.status().message()));
  }
  r->ca_file = *std::move(ca_file);
  if (absl::Status st = PickTimeout(std::nullopt, env, "WANDB_CPP_ONLINE_STOP_POLL_INTERVAL",
                                    "online_stop_poll_interval", &r->online_stop_poll_interval);
      !st.ok()) {
    return st;
  }
  if (absl::Status st = PickTimeout(std::nullopt, env, "WANDB_CPP_HEARTBEAT_INTERVAL",
                                    "online_heartbeat_interval", &r->online_heartbeat_interval);
      !st.ok()) {
    return st;
  }
  r->keep_in_store = s.keep_in_store.value_or(!IsFalse(env("WANDB_CPP_KEEP_IN_STORE")));
  if (r->online_stop_poll_interval < kMinOnlineStopPollInterval) {
    r->warnings.push_back(absl::StrCat("WANDB_CPP_ONLINE_STOP_POLL_INTERVAL below 1 s would ",
                                       "load the W&B server: asking every second"));
    r->online_stop_poll_interval = kMinOnlineStopPollInterval;
  }
  if (const char* wait = env("WANDB_CPP_RETRY_WAIT_MIN_MS"); wait != nullptr && *wait != '\0') {
    if (!absl::SimpleAtoi(wait, &r->retry_wait_min_ms)) {
      return absl::InvalidArgumentError(
          absl::StrCat("WANDB_CPP_RETRY_WAIT_MIN_MS='", wait, "' is not a whole number"));
    }
  }
  return absl::OkStatus();
}

}  // namespace

absl::StatusOr<ResolvedSettings> ResolveSettings(Settings s, const EnvLookup& env) {
  ResolvedSettings r;
  std::string dir = Pick(s.dir, env("WANDB_DIR"));
  std::error_code ec;
  r.root_dir = std::filesystem::absolute(dir.empty() ? "." : dir, ec).lexically_normal();
  if (ec) return absl::InvalidArgumentError(absl::StrCat("dir '", dir, "': ", ec.message()));
  if (r.root_dir.size() > 1 && r.root_dir.back() == '/') r.root_dir.pop_back();
  // wandb's settings files come under init() and the environment.
  absl::StatusOr<SettingsFiles> files = ReadSettingsFiles(env, r.root_dir);
  if (!files.ok()) return files.status();
  r.project = Pick(s.project, env("WANDB_PROJECT"),
                   Pick(std::nullopt, files->Get("project"), "uncategorized"));
  r.entity = Pick(s.entity, env("WANDB_ENTITY"), Pick(std::nullopt, files->Get("entity")));
  r.name = Pick(s.name, env("WANDB_NAME"));
  r.notes = Pick(s.notes, env("WANDB_NOTES"));
  r.group = Pick(s.group, env("WANDB_RUN_GROUP"));
  r.job_type = Pick(s.job_type, env("WANDB_JOB_TYPE"));
  r.run_id = Pick(s.id, env("WANDB_RUN_ID"));
  r.reinit = s.reinit;
  if (s.tags.has_value()) {
    r.tags = *s.tags;
  } else if (const char* tags = env("WANDB_TAGS"); tags != nullptr && *tags != '\0') {
    for (absl::string_view t : absl::StrSplit(tags, ',', absl::SkipWhitespace())) {
      r.tags.emplace_back(absl::StripAsciiWhitespace(t));
    }
  }
  if (s.mode.has_value()) {
    r.mode = *s.mode;
  } else if (const char* mode = env("WANDB_MODE"); mode != nullptr && *mode != '\0') {
    absl::StatusOr<Mode> parsed = ParseMode(mode, "WANDB_MODE");
    if (!parsed.ok()) return parsed.status();
    r.mode = *parsed;
  } else if (const char* mode = files->Get("mode"); mode != nullptr) {
    absl::StatusOr<Mode> parsed =
        ParseMode(mode, absl::StrCat("wandb's settings file (", files->global_path, " or ",
                                     files->workspace_path, "): mode"));
    if (!parsed.ok()) return parsed.status();
    r.mode = *parsed;
  }
  if (absl::Status st = PickOnline(s, env, *files, &r); !st.ok()) return st;
  r.silent = s.silent.has_value() ? *s.silent : IsTrue(env("WANDB_SILENT"));
  if (absl::Status st =
          PickTimeout(s.init_timeout, env, "WANDB_INIT_TIMEOUT", "init_timeout", &r.init_timeout);
      !st.ok()) {
    return st;
  }
  if (absl::Status st = PickTimeout(s.finish_timeout, env, "WANDB_FINISH_TIMEOUT", "finish_timeout",
                                    &r.finish_timeout);
      !st.ok()) {
    return st;
  }

  if (absl::Status st = PickTimeout(s.stop_poll_interval, env, "WANDB_CPP_STOP_POLL_INTERVAL",
                                    "stop_poll_interval", &r.stop_poll_interval);
      !st.ok()) {
    return st;
  }
  if (s.durability.has_value()) {
    r.durability = *s.durability;
  } else if (const char* d = env("WANDB_CPP_DURABILITY"); d != nullptr && *d != '\0') {
    std::string v = absl::AsciiStrToLower(d);
    if (v != "os" && v != "fsync") {
      return absl::InvalidArgumentError(
          absl::StrCat("WANDB_CPP_DURABILITY='", d, "' is not a durability; use os or fsync"));
    }
    r.durability = v == "fsync" ? Durability::kFsync : Durability::kOs;
  }
  if (absl::Status st =
          PickBytes(s.resend_buffer, env, "WANDB_CPP_RESEND_BUFFER", 67108864, &r.resend_buffer);
      !st.ok()) {
    return st;
  }
  if (absl::Status st =
          PickBytes(s.queue_limit, env, "WANDB_CPP_QUEUE_LIMIT", 4194304, &r.queue_limit);
      !st.ok()) {
    return st;
  }
  if (absl::Status st =
          PickBytes(s.media_queue, env, "WANDB_CPP_MEDIA_QUEUE", 268435456, &r.media_queue);
      !st.ok()) {
    return st;
  }
  if (absl::Status st = PickSystemMetrics(s, env, &r); !st.ok()) return st;
  r.save_code = s.save_code.has_value() ? *s.save_code : IsTrue(env("WANDB_SAVE_CODE"));
  r.disable_git = s.disable_git.has_value() ? *s.disable_git : IsTrue(env("WANDB_DISABLE_GIT"));
  if (absl::Status st = PickConsole(s.console, env("WANDB_CONSOLE"), &r.console); !st.ok()) {
    return st;
  }
  r.on_stop = std::move(s.on_stop);
  r.interrupt_on_stop = s.interrupt_on_stop;

  std::string store = Pick(s.store_dir, env("WANDB_CPP_STORE_DIR"));
  if (store.empty()) {
    absl::StatusOr<std::string> fallback = DefaultStoreDir(env);
    if (!fallback.ok()) return fallback.status();
    store = *fallback;
  }
  r.store_dir = std::filesystem::absolute(store, ec).lexically_normal();
  if (ec)
    return absl::InvalidArgumentError(absl::StrCat("store_dir '", store, "': ", ec.message()));

  if (absl::Status st = PickResume(s, env, &r); !st.ok()) return st;
  r.id_given = !r.run_id.empty();
  if (r.run_id.empty()) r.run_id = GenerateRunId();
  if (absl::Status st = ValidateRunId(r.run_id); !st.ok()) return st;
  if (absl::Status st = CheckName("project", r.project); !st.ok()) return st;
  if (absl::Status st = CheckName("entity", r.entity); !st.ok()) return st;
  if (absl::Status st = CheckText("name", r.name, kMaxNameBytes); !st.ok()) return st;
  if (absl::Status st = CheckText("group", r.group, kMaxGroupBytes); !st.ok()) return st;
  if (absl::Status st = CheckText("job_type", r.job_type, kMaxGroupBytes); !st.ok()) return st;
  if (absl::Status st = CheckText("notes", r.notes, kMaxNotesBytes); !st.ok()) return st;
  if (r.tags.size() > kMaxTags) {
    return absl::InvalidArgumentError(absl::StrCat(r.tags.size(), " tags; at most ", kMaxTags));
  }
  for (const std::string& tag : r.tags) {
    if (absl::Status st = CheckTag(tag); !st.ok()) return st;
  }
  // Config files are defaults: init's own config overrides them. The keys and values are
  // checked by init(), which reports them as invalid data.
  const char* config_paths = env("WANDB_CONFIG_PATHS");
  absl::StatusOr<Value::Map> defaults = LoadConfigDefaults(
      std::filesystem::current_path(ec).string(), config_paths ? config_paths : "");
  if (!defaults.ok()) return defaults.status();
  Value config = Value(*std::move(defaults));
  for (auto& [key, value] : s.config) config.set(key, std::move(value));
  r.config = FilterConfig(std::move(config.as_map()), s.config_include_keys, s.config_exclude_keys);
  return r;
}

}  // namespace wandb::internal
