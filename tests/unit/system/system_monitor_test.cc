#include "service/system/system_monitor.h"

#include <unistd.h>

#include <catch2/catch.hpp>
#include <chrono>
#include <thread>
#include <vector>

#include "absl/synchronization/mutex.h"

namespace wandb::service {
namespace {

// Collects what the monitor hands over, as the handler would.
struct Collected {
  absl::Mutex mu;
  std::vector<records::StatsRecord> records ABSL_GUARDED_BY(mu);

  SystemMonitor::Sink Sink() {
    return [this](records::StatsRecord r) {
      absl::MutexLock lock(&mu);
      records.push_back(std::move(r));
    };
  }
  bool WaitFor(size_t n) {
    absl::MutexLock lock(&mu);
    auto enough = [this, n]() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu) { return records.size() >= n; };
    return mu.AwaitWithTimeout(absl::Condition(&enough), absl::Seconds(30));
  }
  size_t size() {
    absl::MutexLock lock(&mu);
    return records.size();
  }
};

SystemMonitor::SamplerFactory SamplerOfThisProcess() {
  return [] { return std::make_unique<SystemSampler>(SystemSampler::Options{.pid = getpid()}); };
}

bool HasKey(const records::StatsRecord& r, const std::string& key) {
  for (const records::StatsItem& item : r.item()) {
    if (item.key() == key) return true;
  }
  return false;
}

}  // namespace

TEST_CASE("the monitor makes a record every samples_to_average samples, and one at Stop",
          "[system]") {
  Collected collected;
  SystemMonitor monitor(SamplerOfThisProcess(),
                        {.sample_interval = absl::Milliseconds(10), .samples_to_average = 3},
                        collected.Sink());
  monitor.Start();
  REQUIRE(collected.WaitFor(2));
  std::optional<records::StatsRecord> last = monitor.Stop();
  REQUIRE(last.has_value());
  CHECK(HasKey(*last, "cpu"));
  CHECK(HasKey(*last, "network"));
  CHECK(HasKey(*last, "proc.memory.rssMB"));
  size_t handed_over = collected.size();
  CHECK(monitor.records_made() == static_cast<int>(handed_over) + 1);
  CHECK(monitor.samples_taken() >= 3 * static_cast<int>(handed_over));
  // Stopped: nothing more arrives, and a second Stop() has nothing to give.
  CHECK_FALSE(monitor.Stop().has_value());
  std::this_thread::sleep_for(std::chrono::milliseconds(50));
  CHECK(collected.size() == handed_over);
  absl::MutexLock lock(&collected.mu);
  for (const records::StatsRecord& r : collected.records) {
    CHECK(r.timestamp().seconds() > 0);
    CHECK(HasKey(r, "proc.cpu.threads"));
  }
}

TEST_CASE("Stop() wakes a monitor in the middle of a long interval", "[system]") {
  Collected collected;
  SystemMonitor monitor(SamplerOfThisProcess(), {.sample_interval = absl::Hours(1)},
                        collected.Sink());
  monitor.Start();
  // Returns at once (an hour otherwise), with what the run's short life measured.
  std::optional<records::StatsRecord> last = monitor.Stop();
  REQUIRE(last.has_value());
  CHECK(HasKey(*last, "cpu"));
  CHECK(collected.size() == 0);
}

TEST_CASE("a monitor never started has no final record", "[system]") {
  Collected collected;
  SystemMonitor monitor(SamplerOfThisProcess(), {}, collected.Sink());
  CHECK_FALSE(monitor.Stop().has_value());
}

TEST_CASE("the run's options: 0 is wandb's default, the rest clamped to wandb's bounds",
          "[system]") {
  SystemMetricsOptions request;
  SystemMonitor::Options o = SystemMonitor::FromRequest(request);
  CHECK(o.sample_interval == absl::Seconds(2));
  CHECK(o.samples_to_average == 15);
  request.set_sample_interval_ms(100);
  request.set_samples_to_average(1);
  o = SystemMonitor::FromRequest(request);
  CHECK(o.sample_interval == absl::Milliseconds(500));
  CHECK(o.samples_to_average == 2);
  request.set_sample_interval_ms(5000);
  request.set_samples_to_average(50);
  o = SystemMonitor::FromRequest(request);
  CHECK(o.sample_interval == absl::Seconds(5));
  CHECK(o.samples_to_average == 30);
}

}  // namespace wandb::service
