// A training loop that runs until someone stops it, for the stop-request tests.
//
//   stop_client --id ID --how callback|flag|sigint|die --rows-file PATH [--ready-file PATH]
//
// It logs rows (with a short pause each) until a stop request reaches it: through the on_stop
// callback, by polling run.stop_requested(), or as the SIGINT the run sends by default, which
// it catches as a program handling Ctrl-C would. Then it finishes the run and writes how many
// rows it logged to --rows-file. With `die` it does not catch the SIGINT, and dies of it.
#include <signal.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
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
    std::this_thread::sleep_for(std::chrono::milliseconds(2));
  }
  run.finish();
  std::ofstream(rows_file) << rows << "\n";
  return 0;
}
