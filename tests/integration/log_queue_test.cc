// The queue between log() and the outbox thread is bounded: a burst waits for it to drain
// instead of holding every row in memory, loses nothing, and finish() reports the waits.
#include <catch2/catch.hpp>

#include <cstdlib>
#include <fstream>
#include <string>

#include "tests/support/test_env.h"
#include "wandb/wandb.h"

namespace wandb::testing {
namespace {

// This process's peak resident memory, in KiB (VmHWM).
long PeakRssKb() {
  std::ifstream in("/proc/self/status");
  for (std::string line; std::getline(in, line);) {
    if (line.rfind("VmHWM:", 0) == 0) return std::strtol(line.c_str() + 6, nullptr, 10);
  }
  return -1;
}

Value::Map Row(int64_t i) {
  return {{"loss", 1.0 / static_cast<double>(i + 1)},
          {"acc", 0.5},
          {"lr", 1e-3},
          {"step", i},
          {"grad", 0.25},
          {"a", 1.5},
          {"b", 2.5},
          {"c", 3.5},
          {"d", 4.5},
          {"e", 5.5}};
}

}  // namespace

TEST_CASE(
    "A burst of log() calls waits for a full queue instead of growing it, and loses nothing") {
  TestEnv env;
  Settings settings{.id = "burstq"};
  settings.queue_limit = size_t{1} << 20;
  settings.resend_buffer = size_t{1} << 20;
  settings.system_metrics = false;
  settings.console = wandb::Console::kOff;
  Run run = init(settings);
  long before_kb = PeakRssKb();
  // Unbounded, these rows would pile up in the queue: the loop makes them several times faster
  // than the outbox encodes them (about 800 bytes each, hundreds of MB in all).
  constexpr int kRows = 300'000;
  for (int i = 0; i < kRows; ++i) run.log(Row(i));
  long growth_mb = (PeakRssKb() - before_kb) / 1024;
  std::string dir = run.dir();
  run.finish();
  CHECK(growth_mb < 64);
  int rows = 0;
  for (const records::Record& r : ReadLog(dir + "/run-burstq.wandb").records)
    rows += r.has_history();
  CHECK(rows == kRows);
  CHECK_THAT(ReadFile(dir + "/logs/debug.log"),
             Catch::Matches("[\\s\\S]*log\\(\\) waited [1-9][0-9]* times for room[\\s\\S]*"));
}

}  // namespace wandb::testing
