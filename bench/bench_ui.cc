// The web UI's server (issue 16): the runs table of 10,000 runs, a 1,000,000-step chart, the
// API's latency under 50 concurrent clients, and the server's memory.
//
//   bench_ui [--runs 10000] [--steps 1000000] [--clients 50] [--seconds 10]
//   bench_ui --make-only --store DIR      only make the store (for the browser benchmark)
//
// It makes a store in a fresh directory through LocalStore (the daemon's own write path):
// project "sweep" with --runs finished runs, each with a config and summary of 12 values,
// and project "long" with one run of --steps history rows. Then it starts `wandb-cpp ui`
// (beside this program in bin/) on it as a separate process and measures over real HTTP.
// Prints RESULT lines; asserts nothing.
#include <httplib.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <iterator>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "service/store/local_store.h"

extern char** environ;

namespace {

using Clock = std::chrono::steady_clock;

double Ms(Clock::duration d) { return std::chrono::duration<double, std::milli>(d).count(); }

void Check(const absl::Status& status, const char* what) {
  if (!status.ok()) {
    std::cerr << "bench_ui: " << what << ": " << status << "\n";
    std::exit(1);
  }
}

void MakeStore(const std::string& dir, int runs, long steps) {
  auto store = wandb::store::LocalStore::Open(dir);
  Check(store.status(), "open store");
  const auto start = Clock::now();
  for (int i = 0; i < runs; ++i) {
    wandb::store::RunRow run;
    run.key = {"bench", "sweep", absl::StrFormat("r%05d", i)};
    run.name = absl::StrCat("trial-", i);
    run.group = absl::StrCat("g", i % 10);
    run.tags = {i % 2 ? "odd" : "even", absl::StrCat("t", i % 7)};
    run.host = "bench-host";
    const double lr = 1e-4 * (1 + i % 100);
    run.config_json = absl::StrFormat(
        R"({"lr": %g, "batch_size": %d, "optimizer": "%s", "layers": %d, "dropout": %g, )"
        R"("seed": %d, "model": {"width": %d, "depth": %d}})",
        lr, 16 << (i % 4), i % 3 ? "adam" : "sgd", 2 + i % 6, 0.05 * (i % 5), i, 64 << (i % 3),
        4 + i % 4);
    Check(store.value()->runs().Upsert(run).status(), "upsert");
    Check(store.value()->runs().ReplaceSummary(
              run.key, absl::StrFormat(R"({"loss": %g, "acc": %g, "val": {"loss": %g, "acc": %g}, )"
                                       R"("epoch": %d, "_step": %d, "_runtime": %g})",
                                       1.0 / (i + 1), (i % 1000) / 1000.0, 1.1 / (i + 1),
                                       (i % 997) / 1000.0, i % 50, 1000 + i, 60.0 + i % 600)),
          "summary");
    Check(store.value()->runs().Finish(run.key, 0, wandb::store::RunState::kFinished,
                                       absl::Seconds(60 + i % 600)),
          "finish");
  }
  std::cerr << "bench_ui: made " << runs << " runs in " << Ms(Clock::now() - start) << " ms\n";

  wandb::store::RunRow long_run;
  long_run.key = {"bench", "long", "million"};
  Check(store.value()->runs().Upsert(long_run).status(), "upsert long");
  std::vector<wandb::store::HistoryRow> batch;
  for (long step = 0; step < steps; ++step) {
    const double loss = step == steps * 617 / 1000 ? 1000.0 : 1.0 + 0.1 * std::sin(step * 1e-3);
    batch.push_back({step, absl::StrFormat(R"({"loss": %.17g, "_step": %d, "_runtime": %.3f, )"
                                           R"("_timestamp": %.3f})",
                                           loss, step, step * 1e-3, 1.7e9 + step * 1e-3)});
    if (batch.size() == 10000 || step + 1 == steps) {
      Check(store.value()->series().AppendHistory(long_run.key, batch).status(), "history");
      batch.clear();
    }
  }
  Check(store.value()->runs().Finish(long_run.key, 0, wandb::store::RunState::kFinished,
                                     absl::Seconds(1000)),
        "finish long");
}

struct Server {
  pid_t pid = -1;
  int port = 0;
};

Server StartUi(const std::string& bin_dir, const std::string& store) {
  int out[2];
  if (pipe(out) != 0) std::exit(1);
  std::string program = bin_dir + "/wandb-cpp";
  std::vector<std::string> args = {program, "ui", "--port", "0", "--store", store};
  std::vector<char*> argv;
  for (std::string& a : args) argv.push_back(a.data());
  argv.push_back(nullptr);
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_adddup2(&actions, out[1], 1);
  posix_spawn_file_actions_addclose(&actions, out[0]);
  Server server;
  if (posix_spawn(&server.pid, program.c_str(), &actions, nullptr, argv.data(), environ) != 0) {
    std::cerr << "bench_ui: cannot start " << program << "\n";
    std::exit(1);
  }
  close(out[1]);
  std::string text;
  char c;
  while (read(out[0], &c, 1) == 1 && c != '\n') text.push_back(c);
  const size_t colon = text.rfind(':');
  server.port = std::atoi(text.c_str() + colon + 1);
  if (server.port <= 0) {
    std::cerr << "bench_ui: wandb-cpp ui printed '" << text << "'\n";
    std::exit(1);
  }
  return server;
}

double TimeGet(httplib::Client& http, const std::string& path) {
  const auto start = Clock::now();
  httplib::Result r = http.Get(path.c_str());
  const double ms = Ms(Clock::now() - start);
  if (!r || r->status != 200) {
    std::cerr << "bench_ui: GET " << path << " failed\n";
    std::exit(1);
  }
  return ms;
}

double Median(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  return v[v.size() / 2];
}

double Percentile(std::vector<double>& sorted, double p) {
  return sorted[std::min(sorted.size() - 1, static_cast<size_t>(p * sorted.size()))];
}

// The process's user + system CPU time, in ms: what a request costs the server, whatever else
// the machine is doing (wall-clock latencies on a shared machine are not).
double CpuMs(pid_t pid) {
  std::ifstream in("/proc/" + std::to_string(pid) + "/stat");
  std::string text((std::istreambuf_iterator<char>(in)), {});
  std::istringstream fields(text.substr(text.rfind(')') + 2));
  std::string field;
  double ticks = 0;
  for (int i = 3; fields >> field; ++i) {
    if (i == 14 || i == 15) ticks += std::stod(field);
    if (i == 15) break;
  }
  return ticks * 1000.0 / sysconf(_SC_CLK_TCK);
}

long StatusKb(pid_t pid, const std::string& field) {
  std::ifstream in("/proc/" + std::to_string(pid) + "/status");
  std::string line;
  while (std::getline(in, line)) {
    if (line.rfind(field + ":", 0) == 0) return std::atol(line.c_str() + field.size() + 1);
  }
  return -1;
}

void Result(const std::string& name, double value, const std::string& unit) {
  std::printf("RESULT %s %.2f %s\n", name.c_str(), value, unit.c_str());
}

}  // namespace

int main(int argc, char** argv) {
  int runs = 10000, clients = 50;
  long steps = 1000000;
  double seconds = 10;
  bool make_only = false;
  std::string store;
  for (int i = 1; i < argc; ++i) {
    std::string arg = argv[i];
    auto next = [&]() -> std::string { return i + 1 < argc ? argv[++i] : ""; };
    if (arg == "--runs") runs = std::atoi(next().c_str());
    if (arg == "--steps") steps = std::atol(next().c_str());
    if (arg == "--clients") clients = std::atoi(next().c_str());
    if (arg == "--seconds") seconds = std::atof(next().c_str());
    if (arg == "--store") store = next();
    if (arg == "--make-only") make_only = true;
  }
  const bool own_store = store.empty();
  if (own_store) {
    char tmpl[] = "/tmp/bench-ui-XXXXXX";
    store = mkdtemp(tmpl);
  }
  MakeStore(store, runs, steps);
  if (make_only) return 0;

  const std::string bin_dir = std::filesystem::canonical("/proc/self/exe").parent_path();
  Server ui = StartUi(bin_dir, store);
  httplib::Client http("127.0.0.1", ui.port);
  http.set_read_timeout(120);

  const std::string table =
      "/api/projects/bench/sweep/runs?sort=-summary.acc&columns=config.lr,summary.acc,"
      "summary.val.loss&limit=100";
  Result("runs_table_10k_cold_ms", TimeGet(http, table), "ms");
  std::vector<double> warm;
  for (int i = 0; i < 20; ++i) warm.push_back(TimeGet(http, table));
  Result("runs_table_10k_warm_median_ms", Median(warm), "ms");
  double cpu = CpuMs(ui.pid);
  for (int i = 0; i < 20; ++i) TimeGet(http, table);
  Result("runs_table_10k_cpu_ms", (CpuMs(ui.pid) - cpu) / 20, "ms");
  warm.clear();
  const std::string filtered = table + "&range=config.lr:0.002:0.005&q=trial-1&state=finished";
  for (int i = 0; i < 20; ++i) warm.push_back(TimeGet(http, filtered));
  Result("runs_table_10k_filtered_median_ms", Median(warm), "ms");

  const std::string series = "/api/runs/bench/long/million/series?key=loss&buckets=1000";
  Result("series_1m_cold_ms", TimeGet(http, series), "ms");
  warm.clear();
  for (int i = 0; i < 20; ++i) warm.push_back(TimeGet(http, series));
  Result("series_1m_warm_median_ms", Median(warm), "ms");
  cpu = CpuMs(ui.pid);
  for (int i = 0; i < 20; ++i) TimeGet(http, series);
  Result("series_1m_cpu_ms", (CpuMs(ui.pid) - cpu) / 20, "ms");
  warm.clear();
  for (int i = 0; i < 20; ++i) warm.push_back(TimeGet(http, series + "&smoothing=0.9"));
  Result("series_1m_smoothed_median_ms", Median(warm), "ms");
  warm.clear();
  for (int i = 0; i < 20; ++i) warm.push_back(TimeGet(http, series + "&min=600000&max=601000"));
  Result("series_1m_zoomed_median_ms", Median(warm), "ms");

  // 50 clients, each on its own connection, request a mix for `seconds`.
  const std::vector<std::string> mix = {
      table,
      "/api/runs/bench/sweep/r00042",
      series,
      "/api/projects",
      "/api/projects/bench/sweep/runs?sort=config.lr&offset=5000&limit=50",
      "/api/runs/bench/long/million/keys",
  };
  const double cpu_before = CpuMs(ui.pid);
  std::atomic<bool> stop{false};
  std::vector<std::vector<double>> latencies(clients);
  std::atomic<long> failures{0};
  std::vector<std::thread> threads;
  for (int c = 0; c < clients; ++c) {
    threads.emplace_back([&, c] {
      httplib::Client client("127.0.0.1", ui.port);
      client.set_keep_alive(true);
      client.set_read_timeout(60);
      for (size_t i = c; !stop; ++i) {
        const auto start = Clock::now();
        httplib::Result r = client.Get(mix[i % mix.size()].c_str());
        if (!r || r->status != 200) ++failures;
        latencies[c].push_back(Ms(Clock::now() - start));
      }
    });
  }
  std::this_thread::sleep_for(std::chrono::duration<double>(seconds));
  stop = true;
  for (std::thread& t : threads) t.join();
  std::vector<double> all;
  for (const auto& l : latencies) all.insert(all.end(), l.begin(), l.end());
  std::sort(all.begin(), all.end());
  Result(absl::StrCat("concurrent_", clients, "_requests_per_s"), all.size() / seconds, "req/s");
  Result(absl::StrCat("concurrent_", clients, "_p50_ms"), Percentile(all, 0.50), "ms");
  Result(absl::StrCat("concurrent_", clients, "_p99_ms"), Percentile(all, 0.99), "ms");
  Result("concurrent_failures", failures.load(), "requests");
  Result("server_cpu_per_request_ms", (CpuMs(ui.pid) - cpu_before) / all.size(), "ms");
  Result("server_rss_mb", StatusKb(ui.pid, "VmRSS") / 1024.0, "MB");
  Result("server_peak_rss_mb", StatusKb(ui.pid, "VmHWM") / 1024.0, "MB");

  kill(ui.pid, SIGTERM);
  waitpid(ui.pid, nullptr, 0);
  if (own_store) std::filesystem::remove_all(store);
  return 0;
}
