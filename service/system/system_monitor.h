// A run's system-metrics thread, as wandb's stats thread: a sample every interval, and every
// `samples_to_average` samples one averaged StatsRecord, handed to `sink` (the run's handler,
// which persists it). Stop() ends the thread at once and returns the final record, which wandb
// takes at finish (FLUSH_STATS). The sampler is made on the thread: loading NVML can take
// seconds on a large GPU node, and starting a run must not wait for it.
#ifndef WANDB_SERVICE_SYSTEM_SYSTEM_MONITOR_H_
#define WANDB_SERVICE_SYSTEM_SYSTEM_MONITOR_H_

#include <functional>
#include <memory>
#include <optional>
#include <thread>

#include "absl/synchronization/mutex.h"
#include "absl/synchronization/notification.h"
#include "absl/time/time.h"
#include "common/util/logger.h"
#include "service/system/stats_averager.h"
#include "service/system/system_sampler.h"
#include "wandb/records.pb.h"
#include "wandb/service.pb.h"

namespace wandb::service {

class SystemMonitor {
 public:
  // wandb's defaults and bounds (_stats_sample_rate_seconds, _stats_samples_to_average).
  static constexpr absl::Duration kDefaultSampleInterval = absl::Seconds(2);
  static constexpr absl::Duration kMinSampleInterval = absl::Milliseconds(500);
  static constexpr int kDefaultSamplesToAverage = 15;
  static constexpr int kMinSamplesToAverage = 2;
  static constexpr int kMaxSamplesToAverage = 30;

  struct Options {
    absl::Duration sample_interval = kDefaultSampleInterval;
    int samples_to_average = kDefaultSamplesToAverage;
  };
  // A run's request: 0 means the default; other values are clamped to wandb's bounds.
  static Options FromRequest(const SystemMetricsOptions& request);

  using SamplerFactory = std::function<std::unique_ptr<SystemSampler>()>;
  using Sink = std::function<void(records::StatsRecord)>;

  SystemMonitor(SamplerFactory make_sampler, Options options, Sink sink, Logger* log = nullptr);
  ~SystemMonitor();  // stops without a final record
  SystemMonitor(const SystemMonitor&) = delete;
  SystemMonitor& operator=(const SystemMonitor&) = delete;

  void Start();
  // Wakes and joins the thread, then returns the final record; nullopt when not running.
  std::optional<records::StatsRecord> Stop();

  // What the thread has cost so far (sampling, averaging, the sink), once stopped.
  absl::Duration thread_cpu_time() const { return thread_cpu_; }
  int records_made() const { return records_; }
  int samples_taken() const { return samples_; }  // one per interval; flush-time ones aside

 private:
  void Loop();

  SamplerFactory make_sampler_;
  std::unique_ptr<SystemSampler> sampler_;  // made and used by the thread; by Stop() after it
  const Options options_;
  Sink sink_;
  Logger* log_;
  StatsAverager averager_;
  absl::Notification stop_;
  absl::Mutex stop_mu_;  // one Stop() at a time
  std::thread thread_;
  // Written by the thread, read after it is joined.
  absl::Duration thread_cpu_;
  int records_ = 0;
  int samples_ = 0;
};

}  // namespace wandb::service

#endif  // WANDB_SERVICE_SYSTEM_SYSTEM_MONITOR_H_
