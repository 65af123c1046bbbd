// A small leveled logger that appends lines to one file; each process has its own
// (the daemon's service.log, a run's logs/debug-internal.log, the client's logs/debug.log).
//
// The level comes from WANDB_CPP_LOG_LEVEL (debug, info, warning, error; default info).
#ifndef WANDB_COMMON_UTIL_LOGGER_H_
#define WANDB_COMMON_UTIL_LOGGER_H_

#include <cstdio>
#include <memory>
#include <string>
#include "absl/strings/string_view.h"

#include "absl/strings/str_format.h"
#include "absl/synchronization/mutex.h"

namespace wandb {

enum class LogLevel { kDebug = 0, kInfo = 1, kWarning = 2, kError = 3 };

class Logger {
 public:
  // A logger that writes nowhere until Open() succeeds.
  Logger() = default;
  ~Logger();
  Logger(const Logger&) = delete;
  Logger& operator=(const Logger&) = delete;

  // Appends to `path` (created if missing). On failure the logger stays silent: logging
  // must never be the reason a run fails.
  bool Open(const std::string& path);
  void Close();

  void Write(LogLevel level, absl::string_view message);

  template <typename... Args>
  void Debug(const absl::FormatSpec<Args...>& format, const Args&... args) {
    if (Enabled(LogLevel::kDebug)) Write(LogLevel::kDebug, absl::StrFormat(format, args...));
  }
  template <typename... Args>
  void Info(const absl::FormatSpec<Args...>& format, const Args&... args) {
    if (Enabled(LogLevel::kInfo)) Write(LogLevel::kInfo, absl::StrFormat(format, args...));
  }
  template <typename... Args>
  void Warning(const absl::FormatSpec<Args...>& format, const Args&... args) {
    if (Enabled(LogLevel::kWarning)) Write(LogLevel::kWarning, absl::StrFormat(format, args...));
  }
  template <typename... Args>
  void Error(const absl::FormatSpec<Args...>& format, const Args&... args) {
    if (Enabled(LogLevel::kError)) Write(LogLevel::kError, absl::StrFormat(format, args...));
  }

  bool Enabled(LogLevel level) const { return level >= threshold_; }

 private:
  LogLevel threshold_ = ThresholdFromEnvironment();
  absl::Mutex mu_;
  FILE* file_ ABSL_GUARDED_BY(mu_) = nullptr;

  static LogLevel ThresholdFromEnvironment();
};

}  // namespace wandb

#endif  // WANDB_COMMON_UTIL_LOGGER_H_
