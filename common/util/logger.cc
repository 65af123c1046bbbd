#include "common/util/logger.h"

#include <cstdlib>
#include <string>

#include "absl/time/clock.h"
#include "absl/time/time.h"

namespace wandb {
namespace {

const char* LevelName(LogLevel level) {
  switch (level) {
    case LogLevel::kDebug:
      return "DEBUG";
    case LogLevel::kInfo:
      return "INFO";
    case LogLevel::kWarning:
      return "WARNING";
    case LogLevel::kError:
      return "ERROR";
  }
  return "?";
}

}  // namespace

Logger::~Logger() { Close(); }

bool Logger::Open(const std::string& path) {
  FILE* f = std::fopen(path.c_str(), "ae");
  absl::MutexLock lock(&mu_);
  if (file_ != nullptr) std::fclose(file_);
  file_ = f;
  return f != nullptr;
}

void Logger::Close() {
  absl::MutexLock lock(&mu_);
  if (file_ != nullptr) std::fclose(file_);
  file_ = nullptr;
}

void Logger::Write(LogLevel level, absl::string_view message) {
  std::string line = absl::StrFormat(
      "%s %-7s %s\n", absl::FormatTime("%Y-%m-%d %H:%M:%E3S", absl::Now(), absl::LocalTimeZone()),
      LevelName(level), message);
  absl::MutexLock lock(&mu_);
  if (file_ == nullptr) return;
  std::fwrite(line.data(), 1, line.size(), file_);
  // Unbuffered in effect: a log line matters most just before a crash.
  std::fflush(file_);
}

LogLevel Logger::ThresholdFromEnvironment() {
  const char* env = std::getenv("WANDB_CPP_LOG_LEVEL");
  std::string v = env ? env : "";
  if (v == "debug") return LogLevel::kDebug;
  if (v == "warning") return LogLevel::kWarning;
  if (v == "error") return LogLevel::kError;
  return LogLevel::kInfo;
}

}  // namespace wandb
