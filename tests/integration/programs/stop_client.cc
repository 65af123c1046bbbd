// A training loop that runs until someone stops it, for the stop-request tests.
//
//   stop_client --id ID --how callback|flag|sigint|die|ignore --rows-file PATH
//               [--ready-file PATH]
//
// It logs rows (with a short pause each) until a stop request reaches it: through the on_stop
// callback, by polling run.stop_requested(), or as the SIGINT the run sends to a program that
// catches it, as a program handling Ctrl-C would. Then it finishes the run and writes how many
// rows it logged to --rows-file. With `die` (SIGINT at its default) and `ignore` (SIGINT
// ignored, as under nohup) it has no handler: the library finishes the run and ends the
// process as Ctrl-C would. These two log as fast as they can and keep --rows-file current
// after each row, since they never get to write it at the end.
#include <fcntl.h>
#include <signal.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <cstdio>
#include <fstream>
#include <string>
#include <thread>

#include <wandb/wandb.h>

namespace {

std::atomic<bool> interrupted{false};

void OnSigint(int) { interrupted = true; }

}  // namespace

int main(int argc, char** argv) {
  std::string id, how, rows_file, ready_file;
  for (int i = 1; i + 1 < argc; i += 2) {
    std::string arg = argv[i];
    if (arg == "--id") id = argv[i + 1];
    if (arg == "--how") how = argv[i + 1];
    if (arg == "--rows-file") rows_file = argv[i + 1];
    if (arg == "--ready-file") ready_file = argv[i + 1];
  }
  std::atomic<bool> stop{false};
  wandb::Settings settings{.project = "stops", .id = id};
  settings.stop_poll_interval = std::chrono::milliseconds(100);
  if (how == "callback") settings.on_stop = [&stop] { stop = true; };
  if (how == "flag") settings.interrupt_on_stop = false;
  if (how == "sigint") signal(SIGINT, OnSigint);
  if (how == "ignore") signal(SIGINT, SIG_IGN);
  const bool no_handler = how == "die" || how == "ignore";
  int rows_fd = no_handler ? open(rows_file.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644) : -1;
  wandb::Run run = wandb::init(settings);

  long rows = 0;
  auto stopped = [&] {
    if (how == "callback") return stop.load();
    if (how == "flag") return run.stop_requested();
    return interrupted.load();
  };
  while (!stopped()) {
    run.log({{"loss", 1.0 / static_cast<double>(rows + 1)}, {"row", rows}});
    ++rows;
    if (rows == 10 && !ready_file.empty()) std::ofstream(ready_file) << "ready\n";
    if (no_handler) {
      char count[32];
      int n = std::snprintf(count, sizeof(count), "%020ld\n", rows);
      if (pwrite(rows_fd, count, static_cast<size_t>(n), 0) != n) return 4;
      continue;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(2));
  }
  run.finish();
  std::ofstream(rows_file) << rows << "\n";
  return 0;
}
