#include "service/backend/upload_progress.h"

#include <nlohmann/json.hpp>

#include "absl/strings/str_cat.h"
#include "common/run/run_directory.h"
#include "common/util/read_file.h"

namespace wandb::service {
namespace {

// A time as nanoseconds since the epoch; null for "none yet".
nlohmann::json TimeJson(absl::Time t) {
  if (t == absl::InfinitePast()) return nullptr;
  return absl::ToUnixNanos(t);
}

bool ReadTime(const nlohmann::json& value, absl::Time* out) {
  if (value.is_null()) {
    *out = absl::InfinitePast();
    return true;
  }
  if (!value.is_number_integer()) return false;
  *out = absl::FromUnixNanos(value.get<int64_t>());
  return true;
}

bool ReadCount(const nlohmann::json& object, const char* key, int64_t* out) {
  auto it = object.find(key);
  if (it == object.end() || !it->is_number_integer() || it->get<int64_t>() < 0) return false;
  *out = it->get<int64_t>();
  return true;
}

}  // namespace

std::string UploadProgressPath(const std::string& run_dir) {
  return absl::StrCat(run_dir, "/logs/upload-progress.json");
}

absl::StatusOr<UploadProgress> ReadUploadProgress(const std::string& path) {
  absl::StatusOr<std::string> text = ReadFileToString(path);
  if (!text.ok()) return text.status();
  nlohmann::json json = nlohmann::json::parse(*text, nullptr, /*allow_exceptions=*/false);
  UploadProgress p;
  const auto invalid = [&path] {
    return absl::InvalidArgumentError(absl::StrCat(path, ": not an upload progress file"));
  };
  if (!json.is_object() || !json.value("target", nlohmann::json()).is_string() ||
      !ReadCount(json, "history_lines", &p.history_lines) ||
      !ReadCount(json, "events_lines", &p.events_lines) ||
      !ReadCount(json, "console_lines", &p.console_lines) ||
      !ReadTime(json.value("last_stats_ns", nlohmann::json()), &p.last_stats) ||
      !ReadTime(json.value("last_console_ns", nlohmann::json()), &p.last_console)) {
    return invalid();
  }
  p.target = json["target"].get<std::string>();
  const nlohmann::json step = json.value("last_step", nlohmann::json());
  if (step.is_number_integer()) {
    p.last_step = step.get<int64_t>();
  } else if (!step.is_null()) {
    return invalid();
  }
  return p;
}

absl::Status WriteUploadProgress(const std::string& path, const UploadProgress& progress) {
  nlohmann::json json = {
      {"target", progress.target},
      {"history_lines", progress.history_lines},
      {"last_step", progress.last_step ? nlohmann::json(*progress.last_step) : nullptr},
      {"events_lines", progress.events_lines},
      {"last_stats_ns", TimeJson(progress.last_stats)},
      {"console_lines", progress.console_lines},
      {"last_console_ns", TimeJson(progress.last_console)},
  };
  return WriteFileAtomically(path, json.dump() + "\n");
}

}  // namespace wandb::service
