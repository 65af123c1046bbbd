// Stop latency: from a stop request (the store's stop flag, which `wandb-cpp stop` sets) to
// the training process's on_stop callback, with the default poll interval and a short one.
// The request travels: store -> the daemon's sender (it asks the store every 0.1 s) -> the
// client's run-status checker (it asks the daemon every stop_poll_interval) -> on_stop.
//
//   bench_stop [--reps N]
#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <optional>
#include <thread>
#include <vector>

#include <wandb/wandb.h>

#include "bench/bench_util.h"
#include "service/store/local_store.h"

namespace {

// `interval`: the client's stop_poll_interval; `period`: how far apart requests may fall.
int64_t OneStop(const std::string& store_dir, std::optional<std::chrono::milliseconds> interval,
                std::chrono::milliseconds period, int rep) {
  std::atomic<int64_t> stopped_at{0};
  wandb::Settings settings{.project = "bench-stop", .reinit = true};
  settings.stop_poll_interval = interval;  // nullopt: the default
  settings.on_stop = [&stopped_at] { stopped_at = bench::NowNs(); };
  wandb::Run run = wandb::init(settings);
  run.log({{"x", rep}});
  auto store = wandb::store::LocalStore::Open(store_dir);
  if (!store.ok()) std::exit(1);
  absl::StatusOr<wandb::store::RunRow> row;
  do {  // the run reaches the store once the daemon's sender has read its log
    row = (*store)->runs().Find(run.id());
  } while (!row.ok() && (std::this_thread::sleep_for(std::chrono::milliseconds(5)), true));
  // Requests land at a varying point of the poll cycles, as a person's would.
  std::this_thread::sleep_for(std::chrono::milliseconds(37 * rep % period.count()));
  int64_t requested = bench::NowNs();
  if (!(*store)->runs().RequestStop(row->key).ok()) std::exit(1);
  while (stopped_at.load() == 0) std::this_thread::sleep_for(std::chrono::milliseconds(1));
  run.finish();
  return stopped_at.load() - requested;
}

}  // namespace

int main(int argc, char** argv) {
  int reps = 5;
  for (int i = 1; i + 1 < argc; i += 2) {
    if (std::strcmp(argv[i], "--reps") == 0) reps = std::atoi(argv[i + 1]);
  }
  setenv("WANDB_MODE", "local", 1);
  bench::BenchEnv env;
  const char* store_dir = std::getenv("WANDB_CPP_STORE_DIR");
  using Interval = std::optional<std::chrono::milliseconds>;
  for (auto [interval, name] : {std::pair{Interval(), "default"},
                                std::pair{Interval(std::chrono::milliseconds(100)), "100ms"}}) {
    std::vector<int64_t> ns;
    for (int r = 0; r < reps; ++r) {
      ns.push_back(OneStop(store_dir, interval, std::chrono::milliseconds(500), r + 1));
    }
    if (interval.has_value()) {
      std::printf("  poll every %lld ms: stop request -> on_stop callback:",
                  static_cast<long long>(interval->count()));
    } else {
      std::printf("  default poll interval: stop request -> on_stop callback:");
    }
    for (int64_t d : ns) std::printf(" %.0f", bench::Ms(d));
    double median = bench::Ms(bench::Quantile(ns, 0.5));
    double max = bench::Ms(bench::Quantile(ns, 1.0));
    std::printf(" ms -> median %.0f ms, max %.0f ms\n", median, max);
    bench::Result(std::string("stop_latency_median_ms_") + name, median, "ms");
    bench::Result(std::string("stop_latency_max_ms_") + name, max, "ms");
  }
  return 0;
}
