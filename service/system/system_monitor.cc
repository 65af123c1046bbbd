#include "service/system/system_monitor.h"

#include <time.h>

#include <algorithm>

namespace wandb::service {
namespace {

absl::Duration ThreadCpuTime() {
  timespec ts{};
  if (clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts) != 0) return absl::ZeroDuration();
  return absl::DurationFromTimespec(ts);
}

}  // namespace

SystemMonitor::Options SystemMonitor::FromRequest(const SystemMetricsOptions& request) {
  Options options;
  if (request.sample_interval_ms() > 0) {
    options.sample_interval =
        std::max(kMinSampleInterval, absl::Milliseconds(request.sample_interval_ms()));
  }
  if (request.samples_to_average() > 0) {
    options.samples_to_average =
        std::clamp(request.samples_to_average(), kMinSamplesToAverage, kMaxSamplesToAverage);
  }
  return options;
}

SystemMonitor::SystemMonitor(SamplerFactory make_sampler, Options options, Sink sink, Logger* log)
    : make_sampler_(std::move(make_sampler)),
      options_(options),
      sink_(std::move(sink)),
      log_(log) {}

SystemMonitor::~SystemMonitor() { Stop(); }

void SystemMonitor::Start() {
  thread_ = std::thread([this] { Loop(); });
}

std::optional<records::StatsRecord> SystemMonitor::Stop() {
  absl::MutexLock lock(&stop_mu_);
  if (!thread_.joinable()) return std::nullopt;
  stop_.Notify();
  thread_.join();
  // wandb's FLUSH_STATS: one more sample, and the mean of those since the last record.
  records::StatsRecord last = averager_.Flush(sampler_->Sample(), absl::Now());
  ++records_;
  if (log_ != nullptr) {
    log_->Info("system metrics: %d records; the sampler used %.1f ms of CPU", records_,
               absl::ToDoubleMilliseconds(thread_cpu_));
  }
  return last;
}

void SystemMonitor::Loop() {
  sampler_ = make_sampler_();  // its first readings: what the first sample is measured from
  // Deadlines, not sleeps, so samples keep their rhythm and Stop() wakes the thread at once.
  absl::Time next = absl::Now();
  for (;;) {
    next += options_.sample_interval;
    if (stop_.WaitForNotificationWithDeadline(next)) break;
    averager_.Add(sampler_->Sample());
    ++samples_;
    if (averager_.samples() >= options_.samples_to_average) {
      sink_(averager_.Flush(sampler_->Sample(), absl::Now()));
      ++records_;
    }
    // After a suspend or a long stall, start afresh rather than sample in a burst.
    if (absl::Time now = absl::Now(); now > next + options_.sample_interval) next = now;
  }
  thread_cpu_ = ThreadCpuTime();
}

}  // namespace wandb::service
