// A training process for the daemon-crash tests: logs --rows rows at a steady pace while the
// test kills its daemon, and finishes the run.
//
//   reattach_client --id ID --rows N [--pace-every K --pace-us U] [--progress-file PATH]
//                   [--resend-buffer BYTES] [--two-calls] [--offline] [--fsync]
//                   [--wait-file PATH]
//
// Every K rows it sleeps U microseconds, so the run lasts long enough to be interrupted.
// Every 1000 rows it writes how many rows it has logged to the progress file (atomically).
// Each row is {"i": i, "loss": ...}. With --two-calls a row is two log() calls with an
// explicit step, {"i"} then {"loss"}, neither committing: every row stays pending in the
// daemon until the next step arrives. --offline runs in offline mode (no local store);
// --fsync with durability fsync. With --wait-file it flush()es after the last row, writes
// its progress, and finishes only once PATH exists.
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <string>

#include <wandb/wandb.h>

namespace {

void WriteProgress(const std::string& path, long rows) {
  if (path.empty()) return;
  std::string tmp = path + ".tmp";
  std::ofstream(tmp, std::ios::trunc) << rows << "\n";
  std::rename(tmp.c_str(), path.c_str());
}

}  // namespace

int main(int argc, char** argv) {
  std::string id;
  std::string progress;
  long rows = 0;
  long pace_every = 0;
  long pace_us = 0;
  long resend_buffer = -1;
  bool two_calls = false;
  bool offline = false;
  bool fsync = false;
  std::string wait_file;
  for (int i = 1; i < argc; ++i) {
    std::string arg = argv[i];
    auto next = [&]() -> std::string { return i + 1 < argc ? argv[++i] : ""; };
    if (arg == "--id")
      id = next();
    else if (arg == "--rows")
      rows = std::atol(next().c_str());
    else if (arg == "--pace-every")
      pace_every = std::atol(next().c_str());
    else if (arg == "--pace-us")
      pace_us = std::atol(next().c_str());
    else if (arg == "--progress-file")
      progress = next();
    else if (arg == "--resend-buffer")
      resend_buffer = std::atol(next().c_str());
    else if (arg == "--two-calls")
      two_calls = true;
    else if (arg == "--offline")
      offline = true;
    else if (arg == "--fsync")
      fsync = true;
    else if (arg == "--wait-file")
      wait_file = next();
  }
  wandb::Settings settings{.project = "integration", .id = id};
  if (resend_buffer >= 0) settings.resend_buffer = static_cast<size_t>(resend_buffer);
  if (offline) settings.mode = wandb::Mode::kOffline;
  if (fsync) settings.durability = wandb::Durability::kFsync;
  wandb::Run run = wandb::init(settings);
  for (long i = 0; i < rows; ++i) {
    double loss = 1.0 / (static_cast<double>(i) + 1);
    if (two_calls) {
      run.log({{"i", i}}, {.step = i});
      run.log({{"loss", loss}}, {.step = i});
    } else {
      run.log({{"i", i}, {"loss", loss}});
    }
    if (pace_every > 0 && (i + 1) % pace_every == 0) usleep(static_cast<useconds_t>(pace_us));
    // With --wait-file, `rows` in the progress file means: all flushed.
    if ((i + 1) % 1000 == 0 && (wait_file.empty() || i + 1 < rows)) WriteProgress(progress, i + 1);
  }
  if (!wait_file.empty()) {
    if (!run.flush()) return 2;
    WriteProgress(progress, rows);
    while (access(wait_file.c_str(), F_OK) != 0) usleep(10000);
  }
  run.finish();
  WriteProgress(progress, rows);
  return 0;
}
