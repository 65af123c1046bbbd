// The system-metrics sampler's CPU cost (issue 5): what one sample costs, what a StatsRecord
// adds, and what the monitor thread itself uses, wake-ups included; from these, its share of
// one core at wandb's default interval (2 s, a record every 15 samples).
//
//   bench_system_metrics [--samples N] [--seconds S] [--interval-ms MS]
#include <time.h>
#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <vector>

#include "bench/bench_util.h"
#include "service/system/nvml.h"
#include "service/system/stats_averager.h"
#include "service/system/system_monitor.h"
#include "service/system/system_sampler.h"

namespace {

using wandb::service::Nvml;
using wandb::service::StatsAverager;
using wandb::service::StatsSample;
using wandb::service::SystemMonitor;
using wandb::service::SystemSampler;

int64_t ThreadCpuNs() {
  timespec ts{};
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
  return static_cast<int64_t>(ts.tv_sec) * 1000000000 + ts.tv_nsec;
}

SystemSampler::Options SamplerOptions() {
  return {.pid = getpid(), .nvml = Nvml::Get()};  // GPUs too, where the machine has them
}

}  // namespace

int main(int argc, char** argv) {
  int samples = 5000;
  double seconds = 10;
  int interval_ms = 50;
  for (int i = 1; i + 1 < argc; i += 2) {
    if (std::strcmp(argv[i], "--samples") == 0) samples = std::atoi(argv[i + 1]);
    if (std::strcmp(argv[i], "--seconds") == 0) seconds = std::atof(argv[i + 1]);
    if (std::strcmp(argv[i], "--interval-ms") == 0) interval_ms = std::atoi(argv[i + 1]);
  }
  std::printf("GPUs sampled: %d\n", Nvml::Get() ? Nvml::Get()->device_count() : 0);

  // 1. One sample, on this thread: /proc reads, statvfs, parsing (and NVML, if present).
  SystemSampler sampler(SamplerOptions());
  std::vector<int64_t> costs;
  costs.reserve(samples);
  std::vector<StatsSample> kept;
  for (int i = 0; i < samples; ++i) {
    int64_t start = ThreadCpuNs();
    StatsSample s = sampler.Sample();
    costs.push_back(ThreadCpuNs() - start);
    if (kept.size() < 16) kept.push_back(std::move(s));
  }
  int64_t total = 0;
  for (int64_t c : costs) total += c;
  double mean_us = bench::Us(total) / samples;
  double median_us = bench::Us(bench::Quantile(costs, 0.5));
  std::printf("one sample: mean %.1f us, median %.1f us of CPU (%d samples, %zu keys)\n", mean_us,
              median_us, samples, kept[0].size());
  bench::Result("sysmetrics_sample_cpu_us", median_us, "us");

  // 2. Averaging 15 samples into one StatsRecord (the 16th is the flush-time sample).
  constexpr int kRecords = 2000;
  int64_t start = ThreadCpuNs();
  for (int r = 0; r < kRecords; ++r) {
    StatsAverager averager;
    for (int i = 0; i < 15; ++i) averager.Add(kept[i]);
    wandb::records::StatsRecord record = averager.Flush(kept[15], absl::Now());
    if (record.item_size() == 0) std::abort();
  }
  double record_us = bench::Us(ThreadCpuNs() - start) / kRecords;
  std::printf("averaging 15 samples into a StatsRecord: %.1f us of CPU\n", record_us);
  bench::Result("sysmetrics_record_cpu_us", record_us, "us");

  // 3. The monitor thread as a run has it, at a shorter interval so that it wakes often enough
  //    to measure; its cost per wake-up (cold caches included) then scales to the default.
  const absl::Duration interval = absl::Milliseconds(interval_ms);
  int records = 0;
  SystemMonitor monitor([] { return std::make_unique<SystemSampler>(SamplerOptions()); },
                        {.sample_interval = interval, .samples_to_average = 15},
                        [&records](wandb::records::StatsRecord) { ++records; });
  monitor.Start();
  std::this_thread::sleep_for(std::chrono::milliseconds(static_cast<int64_t>(seconds * 1000)));
  monitor.Stop();
  double wakeups = std::max(1, monitor.samples_taken());
  double per_wakeup_us = absl::ToDoubleMicroseconds(monitor.thread_cpu_time()) / wakeups;
  std::printf(
      "monitor thread: %.1f ms of CPU over %.1f s at a %s interval (%d records): "
      "%.1f us per sample\n",
      absl::ToDoubleMilliseconds(monitor.thread_cpu_time()), seconds,
      absl::FormatDuration(interval).c_str(), records, per_wakeup_us);
  bench::Result("sysmetrics_thread_cpu_us_per_sample", per_wakeup_us, "us");

  // The thread's cost per wake-up already holds its share of the flush-time samples and
  // records (one of each every 15 wake-ups, as at the default); a wake-up every 2 s then costs:
  double default_interval_s = absl::ToDoubleSeconds(SystemMonitor::kDefaultSampleInterval);
  double cpu_per_second_us = per_wakeup_us / default_interval_s;
  double core_percent = cpu_per_second_us / 1e6 * 100;
  std::printf("at the default interval: %.1f us of CPU per second = %.4f %% of one core\n",
              cpu_per_second_us, core_percent);
  bench::Result("sysmetrics_core_percent_default", core_percent, "%");
  return 0;
}
