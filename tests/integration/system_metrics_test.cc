// System metrics: the daemon samples the machine and the training process (this test
// process) while a run is live, writes averaged StatsRecords into the run's log, and the
// local store keeps them under wandb's system.* names.
#include <dlfcn.h>

#include <catch2/catch.hpp>
#include <chrono>
#include <map>
#include <thread>

#include "common/value/json.h"
#include "service/store/local_store.h"
#include "tests/support/test_env.h"
#include "wandb/wandb.h"

namespace wandb::testing {
namespace {

bool MachineHasNvml() {
  void* nvml = dlopen("libnvidia-ml.so.1", RTLD_NOW | RTLD_LOCAL);
  if (nvml != nullptr) dlclose(nvml);
  return nvml != nullptr;
}

double Number(const records::StatsItem& item) {
  absl::StatusOr<Value> value = json::Parse(item.value_json());
  REQUIRE(value.ok());
  REQUIRE(value->is_number());
  return value->as_double();
}

std::vector<store::SystemMetricsRow> StoredMetrics(const TestEnv& env, const std::string& id) {
  absl::StatusOr<std::unique_ptr<store::LocalStore>> store =
      store::LocalStore::Open(env.store_dir());
  REQUIRE(store.ok());
  absl::StatusOr<store::RunRow> run = (*store)->runs().Find(id);
  REQUIRE(run.ok());
  absl::StatusOr<std::vector<store::SystemMetricsRow>> rows =
      (*store)->series().SystemMetrics(run->key);
  REQUIRE(rows.ok());
  return *rows;
}

}  // namespace

TEST_CASE("a live run's system metrics reach its log and the store with sane values") {
  TestEnv env;
  Settings settings{.id = "sysmet1"};
  settings.stats_sample_interval = std::chrono::milliseconds(500);
  settings.stats_samples_to_average = 2;  // a record about every second
  Run run = init(settings);
  for (int i = 0; i < 30; ++i) {
    run.log({{"i", i}});
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  run.finish();

  std::vector<records::Record> log = ReadLog(run.dir() + "/run-sysmet1.wandb").records;
  std::vector<const records::StatsRecord*> stats;
  size_t exit_at = 0;
  int64_t start = 0;
  for (size_t i = 0; i < log.size(); ++i) {
    if (log[i].has_stats()) stats.push_back(&log[i].stats());
    if (log[i].has_exit()) exit_at = i;
    if (log[i].has_run()) start = log[i].run().start_time().seconds();
  }
  // About 3 s at a record a second, and the last one taken at finish.
  REQUIRE(stats.size() >= 2);
  REQUIRE(exit_at > 0);
  CHECK(log[exit_at + 1].has_stats());  // where wandb's FLUSH_STATS puts it

  bool nvml = MachineHasNvml();
  for (const records::StatsRecord* record : stats) {
    CHECK(record->timestamp().seconds() >= start);
    std::map<std::string, const records::StatsItem*> items;
    for (const records::StatsItem& item : record->item()) items[item.key()] = &item;
    for (const char* percent :
         {"cpu", "memory", "disk", "proc.memory.percent", "proc.cpu.percent"}) {
      INFO(percent);
      REQUIRE(items.count(percent) == 1);
      CHECK(Number(*items[percent]) >= 0.0);
      CHECK(Number(*items[percent]) <= 100.0);
    }
    REQUIRE(items.count("proc.memory.rssMB") == 1);
    CHECK(Number(*items["proc.memory.rssMB"]) > 0);
    REQUIRE(items.count("proc.memory.availableMB") == 1);
    CHECK(Number(*items["proc.memory.availableMB"]) > 0);
    REQUIRE(items.count("proc.cpu.threads") == 1);
    CHECK(Number(*items["proc.cpu.threads"]) >= 1);
    REQUIRE(items.count("network") == 1);
    absl::StatusOr<Value> network = json::Parse(items["network"]->value_json());
    REQUIRE(network.ok());
    REQUIRE(network->is_map());
    CHECK(network->find("sent") != nullptr);
    CHECK(network->find("recv") != nullptr);
    // GPU metrics exactly when the machine has NVIDIA's library.
    CHECK((items.count("gpu.0.gpu") == 1) == nvml);
    if (!nvml) {
      for (const auto& [key, item] : items) CHECK(key.rfind("gpu.", 0) != 0);
    }
  }

  // The store has every record, under wandb's system.* names, network flattened.
  std::vector<store::SystemMetricsRow> rows = StoredMetrics(env, "sysmet1");
  CHECK(rows.size() == stats.size());
  for (const store::SystemMetricsRow& row : rows) {
    CHECK_THAT(row.row_json, Catch::StartsWith("{\"system."));
    CHECK_THAT(row.row_json, Catch::Contains("\"system.cpu\": "));
    CHECK_THAT(row.row_json, Catch::Contains("\"system.network.sent\": "));
    CHECK_THAT(row.row_json, Catch::Contains("\"system.network.recv\": "));
    CHECK_THAT(row.row_json, Catch::Contains("\"system.proc.memory.rssMB\": "));
    CHECK_THAT(row.row_json, !Catch::Contains("\"system.network\": "));
  }
}

TEST_CASE("system_metrics = false records no system metrics") {
  TestEnv env;
  Settings settings{.id = "sysmet0"};
  settings.system_metrics = false;
  settings.stats_sample_interval = std::chrono::milliseconds(500);
  settings.stats_samples_to_average = 2;
  Run run = init(settings);
  run.log({{"i", 1}});
  std::this_thread::sleep_for(std::chrono::milliseconds(1500));
  run.finish();
  for (const records::Record& r : ReadLog(run.dir() + "/run-sysmet0.wandb").records) {
    CHECK_FALSE(r.has_stats());
  }
  CHECK(StoredMetrics(env, "sysmet0").empty());
}

}  // namespace wandb::testing
